"""Suggestions as you type: the archive's phrases, counted at reindex, completed at open."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from indexer.build.reindex import build_index, update_index
from search.engine import SearchEngine
from search.index.phrases import PHRASES_FILE, PhraseCounter, phrase_key, typed_key
from search.results.completions import Completions


def completions(*threads: tuple[str, str, tuple[str, ...]], tmp_path) -> Completions:
    counter = PhraseCounter()
    for title, subject, topics in threads:
        counter.add(title, subject, topics)
    counter.write(tmp_path)
    return Completions.load(tmp_path)


def texts(found) -> list[str]:
    return [item.text for item in found]


def test_keys_fold_case_accents_and_punctuation():
    assert phrase_key("Red Spots (thigh)?") == "red spots thigh"
    assert phrase_key("Eczéma — Itchy!") == "eczema itchy"
    assert typed_key("red ") == "red " and typed_key("Red") == "red" and typed_key("  ") == ""


def test_ranked_by_threads_matched_at_any_word_start(tmp_path):
    found = completions(
        ("Red Spots on the Thigh", "Red spots?", ("Red Spots", "Eczema")),
        ("Tiny red spots that do not fade", "", ("Red Spots",)),
        ("Reddish skin after sun", "", ("Red Spots", "Eczema")),
        tmp_path=tmp_path,
    )
    assert [(c.text, c.threads) for c in found.complete("red sp")] == [
        ("Red Spots", 3),  # a topic of three threads; "Red spots?" is the same phrase
        ("Red Spots on the Thigh", 1),  # starts with the typed text: before the next
        ("Tiny red spots that do not fade", 1),
    ]
    assert texts(found.complete("spots"))[0] == "Red Spots"  # from the second word
    assert "Reddish skin after sun" in texts(found.complete("red"))
    assert "Reddish skin after sun" not in texts(found.complete("red "))  # a whole word
    assert texts(found.complete("ECZ")) == ["Eczema"]
    assert found.complete("zzz") == [] and found.complete("") == []
    assert len(found.complete("r", limit=2)) == 2


def test_a_thread_counts_once_per_phrase(tmp_path):
    found = completions(("Eczema", "Eczema", ("Eczema", "Eczema")), tmp_path=tmp_path)
    assert [(c.text, c.threads) for c in found.complete("ecz")] == [("Eczema", 1)]


def test_missing_or_damaged_file_means_no_suggestions(tmp_path):
    assert Completions.load(tmp_path).complete("red") == []
    (tmp_path / PHRASES_FILE).write_bytes(b"not numpy")
    assert Completions.load(tmp_path).complete("red") == []
    # A suffix array naming phrases that are not there is cut, never indexed out of range.
    good = completions(("Red Spots", "", ()), tmp_path=tmp_path)
    broken = Completions(good.keys, good.texts, good.counts, np.array([[5, 0], [0, 0]]))
    assert texts(broken.complete("red")) == ["Red Spots"]


def test_reindex_writes_phrases_and_incremental_runs_recount_them(tmp_path, threads):
    build_index(threads, tmp_path)
    with SearchEngine(tmp_path) as engine:
        assert texts(engine.suggest("kidney")) == ["Kidney Stone Pain"]
        assert engine.suggest("zorbl")[0].text == "Zorblax in the title only"
    renamed = replace(threads[3], id="t003", title="Kidney Stones Again")
    update_index([*threads[:2], renamed, *threads[4:]], tmp_path)  # t003 replaced, t004 gone
    with SearchEngine(tmp_path) as engine:
        assert texts(engine.suggest("kidney")) == ["Kidney Stones Again"]
        assert engine.suggest("burning when") == []
