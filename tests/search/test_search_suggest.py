"""Did you mean: corrections from the index's own words, only when they find more."""

from __future__ import annotations

from search.request import SearchRequest


def test_misspelt_word_is_corrected(engine):
    response = engine.search(SearchRequest("dermatitis rashh"))
    assert response.suggestion == "dermatitis rash"


def test_a_fine_query_gets_no_suggestion(engine):
    assert engine.search(SearchRequest("kidney stone")).suggestion is None
    assert engine.search(SearchRequest("zorblax")).suggestion is None


def test_unknown_word_without_a_neighbour_gets_no_suggestion(engine):
    assert engine.search(SearchRequest("qqqqxxxx")).suggestion is None


def test_suggestion_keeps_the_rest_of_the_query(engine):
    response = engine.search(SearchRequest('"kidney stone" OR urinaton'))
    assert response.suggestion == '"kidney stone" OR urination'


def test_empty_query_gets_no_suggestion(engine):
    assert engine.search(SearchRequest("")).suggestion is None


def test_a_misspelt_word_is_corrected_even_when_the_other_words_find_threads(engine):
    response = engine.search(SearchRequest("urinaton pain rash night"))
    assert response.total >= 3  # the other words find threads
    assert response.suggestion == "urination pain rash night"
