"""Spelling: a misspelt word is corrected from the index's own words, automatically when
the correction finds clearly more threads, as a "did you mean" when it finds only a few,
never for the words of a known name, and never when the search asks for the exact words."""

from __future__ import annotations

from search.request import SearchRequest


def test_a_misspelt_word_is_searched_corrected_and_the_response_says_so(engine):
    response = engine.search(SearchRequest("dermatitis rashh"))
    assert response.corrected == "dermatitis rash"
    assert response.suggestion is None
    assert response.to_dict()["query"] == "dermatitis rashh"
    assert response.to_dict()["corrected"] == "dermatitis rash"
    assert response.total == engine.search(SearchRequest("dermatitis rash")).total
    assert [h.id for h in response.results] == [
        h.id for h in engine.search(SearchRequest("dermatitis rash")).results
    ]


def test_exact_searches_as_typed_and_only_suggests(engine):
    response = engine.search(SearchRequest("dermatitis rashh", exact=True))
    assert response.corrected is None
    assert response.suggestion == "dermatitis rash"
    assert response.total == 1  # the dermatitis thread only


def test_a_correction_found_in_few_threads_is_only_suggested(engine):
    # "zorblax" is in one title: a guess that thin is offered, not imposed.
    response = engine.search(SearchRequest("zorblaxx"))
    assert response.corrected is None
    assert response.suggestion == "zorblax"
    assert response.total == 0


def test_a_fine_query_is_left_alone(engine):
    for text in ("kidney stone", "zorblax"):
        response = engine.search(SearchRequest(text))
        assert response.suggestion is None and response.corrected is None


def test_unknown_word_without_a_neighbour_is_left_alone(engine):
    response = engine.search(SearchRequest("qqqqxxxx"))
    assert response.suggestion is None and response.corrected is None


def test_the_correction_keeps_the_rest_of_the_query(engine):
    response = engine.search(SearchRequest('"kidney stone" OR urinaton'))
    assert response.corrected == '"kidney stone" OR urination'


def test_empty_query_gets_no_correction(engine):
    response = engine.search(SearchRequest(""))
    assert response.suggestion is None and response.corrected is None


def test_a_misspelt_word_is_corrected_even_when_the_other_words_find_threads(engine):
    typed = engine.search(SearchRequest("urinaton pain rash night", exact=True))
    assert typed.total >= 3  # the other words find threads
    response = engine.search(SearchRequest("urinaton pain rash night"))
    assert response.corrected == "urination pain rash night"
    assert response.total > typed.total


def test_words_of_known_names_are_never_corrected(engine):
    # "Yuxin" and "Chih" are unknown to the text fields but are doctors' names.
    for text in ("Wu Yuxin", "dr. chih-hao rash", "yuxin rashh"):
        response = engine.search(SearchRequest(text, exact=True))
        for offered in (response.suggestion, response.corrected):
            assert offered is None or ("yuxin" in offered.lower() or "chih" in offered.lower())
    assert engine.search(SearchRequest("yuxin rashh")).corrected == "yuxin rash"
