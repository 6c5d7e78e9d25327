"""Lay words find the clinical words doctors use, and the typed word still ranks first."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.archive.records import Reply, Thread
from indexer.build.reindex import build_index
from search.engine import SearchEngine
from search.query.parse import synonym_table
from search.query.synonyms import SynonymTable
from search.request import SearchRequest


def _thread(thread_id: str, title: str, question: str) -> Thread:
    return Thread(id=thread_id, title=title, specialty="Urology", question=question,
                  replies=(Reply("Lin Chih-Hao", "Urology", "Drink water.", "2020-01-01"),),
                  asked="2020-01-01")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    directory: Path = tmp_path_factory.mktemp("synonyms-index")
    build_index([
        _thread("lay", "Burning when I pee", "It burns when I pee, since Monday."),
        _thread("clinical", "Painful urination", "Painful urination and urgency for a week."),
        _thread("other", "Knee swelling", "My knee is swollen after a fall."),
        _thread("skin", "Itching arms", "My arms keep itching at night."),
    ], directory)
    with SearchEngine(directory) as opened:
        yield opened


def ids(engine: SearchEngine, text: str) -> list[str]:
    return [hit.id for hit in engine.search(SearchRequest(text)).results]


def test_a_lay_word_finds_the_clinical_word_but_ranks_its_own_first(engine):
    assert ids(engine, "pee") == ["lay", "clinical"]
    assert ids(engine, "urination") == ["clinical", "lay"]


def test_forms_the_stemmer_keeps_apart_are_joined(engine):
    # Porter stems itchy -> itchi but itching -> itch.
    assert ids(engine, "itchy") == ["skin"]


def test_synonyms_are_marked_in_snippets(engine):
    hit = engine.search(SearchRequest("pee")).results[1]
    assert "<mark>urination</mark>" in hit.snippet.lower()


def test_a_negated_word_excludes_its_synonyms_too(engine):
    assert ids(engine, "burning -urination") == []


def test_table_maps_analysed_terms_both_ways_and_ignores_multi_word_entries():
    table = SynonymTable(str.split, groups=[("pee", "urine", "passing water")])
    assert table.others("pee") == ["urine"]
    assert table.others("urine") == ["pee"]
    assert table.others("water") == []
    assert synonym_table().others("pee")  # the real table, in the index's analysed form
