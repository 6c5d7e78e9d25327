"""SearchEngine against the hand-written index: relevance, syntax, sorting, paging, API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.engine import SearchEngine
from search.index.generations import IndexUnavailableError
from search.request import SearchRequest


def ids(engine: SearchEngine, query: str = "", **kwargs) -> list[str]:
    request = SearchRequest(query, per_page=100, **kwargs)
    return [hit.id for hit in engine.search(request).results]


def test_distinctive_symptom_phrase_finds_its_thread_first(engine):
    assert ids(engine, "flank pain radiating to the groin")[0] == "t004"
    assert ids(engine, "dry cough every night lying down")[0] == "t005"


def test_title_weighs_more_than_more_info(engine):
    # "zorblax" is in t009's title and only in t010's more-info article.
    assert ids(engine, "zorblax") == ["t009", "t010"]


def test_more_words_matched_rank_first_and_a_missing_word_does_not_empty_the_list(engine):
    found = ids(engine, "burning urination qwertyuiop")
    assert found[0] == "t003"
    assert "t013" in found


def test_question_mark_is_not_a_wildcard(engine):
    assert ids(engine, "why do I itch?")[0] == "t002"


def test_stemming_matches_other_forms(engine):
    assert "t002" in ids(engine, "itches")
    assert set(ids(engine, "urinate")) >= {"t003"}


def test_quoted_phrase_needs_the_words_in_order(engine):
    assert ids(engine, '"kidney stone"') == ["t004"]
    assert ids(engine, '"stone kidney"') == []


def test_not_and_minus_exclude(engine):
    assert "t011" in ids(engine, "rash")
    assert "t011" not in ids(engine, "rash -markup")
    assert "t011" not in ids(engine, "rash NOT markup")
    assert "t002" in ids(engine, "rash NOT markup")


def test_and_requires_both(engine):
    assert ids(engine, "rash AND hiking") == ["t002"]


def test_field_values_are_case_insensitive_and_multi_word(engine):
    assert set(ids(engine, "specialty:UROLOGY")) == {"t003", "t004", "t013"}
    assert set(ids(engine, "Specialty:urology")) == {"t003", "t004", "t013"}
    assert set(ids(engine, 'specialty:"internal medicine"')) == {"t005"}
    assert set(ids(engine, 'doctor:"wu yuxin"')) == {"t001", "t002", "t009", "t010"}
    # doctor: searches every replying doctor, not only the first
    assert "t012" in ids(engine, "doctor:chen")
    assert ids(engine, "title:zorblax") == ["t009"]


def test_prefix_and_fuzzy(engine):
    assert set(ids(engine, "urin*")) == {"t003", "t013"}
    assert "t002" in ids(engine, "hikng~")
    assert "t004" in ids(engine, "kidnee~1")


def test_short_prefix_is_a_plain_word_not_an_expansion(engine):
    assert ids(engine, "u*") == []


def test_empty_query_lists_everything_newest_first_with_facets(engine, threads):
    response = engine.search(SearchRequest("", per_page=100))
    assert response.total == len(threads)
    dated = sorted((t for t in threads if t.asked), key=lambda t: t.asked, reverse=True)
    assert [hit.id for hit in response.results] == [t.id for t in dated] + ["t013"]
    assert sum(response.facets.specialty.values()) == len(threads)


def test_sort_orders(engine):
    newest = ids(engine, "pain", sort="newest")
    oldest = ids(engine, "pain", sort="oldest")
    assert newest == ["t012", "t004"]
    assert oldest == ["t004", "t012"]
    assert set(ids(engine, "pain", sort="relevance")) == set(newest)


def test_pagination_is_a_partition(engine, threads):
    pages = [
        [hit.id for hit in engine.search(SearchRequest("", page=p, per_page=5)).results]
        for p in (1, 2, 3, 4)
    ]
    assert [len(p) for p in pages] == [5, 5, 3, 0]
    flat = [i for page in pages for i in page]
    assert sorted(flat) == sorted(t.id for t in threads)


def test_relevance_pages_follow_the_ranking(engine):
    text = "pain rash urination"
    ranking = ids(engine, text)
    paged = [
        hit.id
        for page in (1, 2, 3)
        for hit in engine.search(SearchRequest(text, page=page, per_page=2)).results
    ]
    assert paged == ranking[:6]


def test_hits_carry_display_fields_and_scores(engine):
    hit = engine.search(SearchRequest("kidney stone")).results[0]
    assert (hit.id, hit.title, hit.specialty, hit.doctor, hit.asked) == (
        "t004", "Kidney Stone Pain", "Urology", "Lin Chih-Hao", "2020-01-20"
    )
    assert hit.score > 0
    assert "<mark>kidney</mark>" in hit.snippet.lower()


def test_thread_without_reply_has_no_doctor(engine):
    hit = engine.search(SearchRequest("tinnitus")).results[0]
    assert hit.id == "t008" and hit.doctor is None


def test_json_shape(engine):
    data = engine.search(SearchRequest("rash", specialties=("Dermatology",))).to_dict()
    assert set(data) == {
        "query", "corrected", "total", "page", "results", "facets", "suggestion", "partial",
        "common_words_only",
    }
    assert data["partial"] is False  # a plain word search is never cut short
    assert set(data["results"][0]) == {
        "id", "title", "specialty", "doctor", "asked", "score", "snippet"
    }
    assert set(data["facets"]) == {"specialty", "doctor", "year", "sex", "age"}


def test_get_thread_returns_the_whole_record(engine, threads):
    record = engine.get_thread("t012")
    assert record == json.loads(json.dumps(threads[11].to_dict()))
    assert len(record["replies"]) == 2
    assert engine.get_thread("nope") is None


def test_similar_excludes_itself_and_finds_the_related_thread(engine):
    similar = [hit.id for hit in engine.similar("t003")]
    assert "t003" not in similar
    assert similar[0] == "t013"  # the other frequent-urination question
    assert len(engine.similar("t003", limit=1)) == 1
    assert engine.similar("unknown") == []


def test_specialty_counts_and_stats(engine, threads):
    counts = engine.specialty_counts()
    assert counts["Dermatology"] == 4 and sum(counts.values()) == len(threads)
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
    # Counted from the facet column: the same figures, in the same order, as the store's.
    assert list(counts.items()) == list(engine._current.store.specialty_counts().items())
    stats = engine.stats()
    assert stats["doc_count"] == len(threads)
    assert stats["generation"] == engine.generation


def test_missing_index_is_a_clear_error(tmp_path: Path):
    with pytest.raises(IndexUnavailableError, match="reindex"):
        SearchEngine(tmp_path / "nothing-here")


def test_only_negated_words_list_the_rest_newest_first(engine, threads):
    found = ids(engine, "-rash")
    rashes = {"t002", "t011"}
    assert set(found) == {t.id for t in threads} - rashes
    assert found[0] == "t012"  # the newest


def test_hyphenated_words_are_not_negations(engine):
    assert "t012" in ids(engine, "doctor:Chen-Mei-Ling back")
    assert "t005" in ids(engine, "chest x-ray")
    assert set(ids(engine, "the -rash")) == set(ids(engine, "-rash"))


def test_a_typed_field_narrows_the_words_instead_of_adding_to_them(engine):
    # "specialty:urology pain" means urology threads about pain, not "either".
    assert set(ids(engine, "specialty:urology pain")) <= {"t003", "t004", "t013"}
    assert ids(engine, "specialty:urology zorblax") == []
    both = ids(engine, "specialty:urology rash")
    assert both == [] or set(both) <= {"t003", "t004", "t013"}
    # Two values of one field are alternatives, like ticking two facet boxes.
    assert set(ids(engine, 'specialty:urology specialty:"internal medicine"')) == {
        "t003", "t004", "t013", "t005"}


def test_similar_questions_are_marked_by_meaningful_words_only(generated_engine, generated_threads):
    import re

    marked = set()
    for thread in generated_threads[:40]:
        for hit in generated_engine.similar(thread.id):
            marked |= {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", hit.snippet)}
    assert marked  # similar questions are still marked
    filler = {"go", "away", "itself", "last", "month", "week", "ago", "went", "get", "help"}
    assert not marked & filler, marked & filler


def test_mark_words_marks_every_searched_word_and_escapes_the_rest(engine):
    marked = engine.mark_words("itching rash", ["An <i>itchy</i> rash", "", "nothing here"])
    first = "An &lt;i&gt;<mark>itchy</mark>&lt;/i&gt; <mark>rash</mark>"
    assert marked == [first, "", "nothing here"]
    assert engine.mark_words("", ["a rash"]) == ["a rash"]


def test_the_sample_archive_gives_ten_different_titles_for_common_queries(generated_engine):
    for words in ("itchy rash on my arms", "pain", "stomach pain after eating", "red spots"):
        titles = [hit.title for hit in generated_engine.search(SearchRequest(words)).results]
        assert len(titles) == 10 and len(set(titles)) == 10, (words, titles)
