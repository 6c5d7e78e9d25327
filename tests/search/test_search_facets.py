"""Facet counts and totals against brute force over the records themselves."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.index.schema import text_analyzer
from search.query.parse import synonym_table
from search.request import SearchRequest

ANALYZER = text_analyzer()
WORDS = ["rash", "pain", "urination", "night", "spots", "cough", "general", "back", "ear",
         "zorblax", "moles", "burning", "tired", "nothing-like-this"]
SPECIALTIES = ["Dermatology", "Urology", "Family Medicine", "Rehabilitation", "Nowhere"]
DOCTORS = ["Wu Yuxin", "Lin Chih-Hao", "Chen Mei-Ling", "Huang Shu-Fen", "Dr. Nobody"]


def stems(text: str) -> set[str]:
    return {token.text for token in ANALYZER(text)}


def thread_text(thread) -> str:
    replies = " ".join(reply.text for reply in thread.replies)
    return " ".join((thread.title, thread.subject, thread.question, replies, thread.more_info))


def brute_force(threads, words, specialties, doctors):
    """Python re-implementation of an OR of plain words plus disjunctive facets."""
    # Only stop words ("which should") is no query at all: every thread, like "".
    wanted = set().union(*(stems(w) for w in words)) or None
    if wanted:  # a word also finds its synonyms (search/query/synonyms.py)
        wanted |= {other for stem in wanted for other in synonym_table().others(stem)}
    matches = [t for t in threads if wanted is None or stems(thread_text(t)) & wanted]

    def by_specialty(t):
        return not specialties or t.specialty in specialties

    def by_doctor(t):
        return not doctors or t.doctor in doctors

    specialty_counts: dict[str, int] = {}
    for t in matches:
        if by_doctor(t):
            specialty_counts[t.specialty] = specialty_counts.get(t.specialty, 0) + 1
    doctor_counts: dict[str, int] = {}
    for t in matches:
        if by_specialty(t) and t.doctor:
            doctor_counts[t.doctor] = doctor_counts.get(t.doctor, 0) + 1
    for value in specialties:
        specialty_counts.setdefault(value, 0)
    for value in doctors:
        doctor_counts.setdefault(value, 0)
    total = [t.id for t in matches if by_specialty(t) and by_doctor(t)]
    return sorted(total), specialty_counts, doctor_counts


@settings(
    max_examples=60, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    words=st.lists(st.sampled_from(WORDS), max_size=3),
    specialties=st.lists(st.sampled_from(SPECIALTIES), max_size=2, unique=True),
    doctors=st.lists(st.sampled_from(DOCTORS), max_size=2, unique=True),
)
def test_counts_equal_brute_force(engine, threads, words, specialties, doctors):
    text = " ".join(re.sub(r"\W", " ", w) for w in words)
    request = SearchRequest(text, tuple(specialties), tuple(doctors), per_page=100)
    response = engine.search(request)
    expected_ids, expected_specialty, expected_doctor = brute_force(
        threads, text.split(), specialties, doctors
    )
    assert sorted(hit.id for hit in response.results) == expected_ids
    assert response.total == len(expected_ids)
    assert response.facets.specialty == expected_specialty
    assert response.facets.doctor == expected_doctor


def test_ticking_a_specialty_keeps_the_other_specialties_counts(engine):
    plain = engine.search(SearchRequest("urination burning rash"))
    ticked = engine.search(SearchRequest("urination burning rash", specialties=("Dermatology",)))
    assert ticked.facets.specialty == plain.facets.specialty
    assert ticked.facets.specialty["Urology"] > 0
    assert {hit.specialty for hit in ticked.results} == {"Dermatology"}
    assert ticked.total == plain.facets.specialty["Dermatology"]


def test_two_values_of_one_facet_combine_with_or(engine):
    both = engine.search(SearchRequest("", specialties=("Dermatology", "Urology")))
    assert both.total == 4 + 3


def test_different_facets_combine_with_and(engine):
    response = engine.search(SearchRequest("", specialties=("Urology",), doctors=("Wu Yuxin",)))
    assert response.total == 0
    assert response.facets.doctor["Wu Yuxin"] == 0  # selected values always shown
    assert response.facets.specialty["Urology"] == 0


def test_facets_are_sorted_by_count_then_name(engine):
    facets = engine.search(SearchRequest("")).facets
    for counts in (facets.specialty, facets.doctor):
        assert list(counts.items()) == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def test_doctor_facet_limit(engine):
    limited = engine.search(SearchRequest("", doctor_facet_limit=2)).facets.doctor
    assert len(limited) == 2
    every = engine.search(SearchRequest("", doctor_facet_limit=None)).facets.doctor
    assert len(every) == 4
    assert list(every)[:2] == list(limited)
    ticked = engine.search(
        SearchRequest("", doctors=("Huang Shu-Fen",), doctor_facet_limit=1)
    ).facets.doctor
    assert "Huang Shu-Fen" in ticked


def test_facets_count_all_matches_not_the_page(engine):
    response = engine.search(SearchRequest("", per_page=1))
    assert len(response.results) == 1
    assert sum(response.facets.specialty.values()) == response.total == 13


@settings(
    max_examples=40, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_generated_archive_counts_equal_brute_force(generated_engine, generated_threads, data):
    vocabulary = sorted({w.lower() for t in generated_threads[:40] for w in t.title.split()
                         if w.isalpha() and len(w) > 3})
    specialties = sorted({t.specialty for t in generated_threads})
    doctors = sorted({t.doctor for t in generated_threads if t.doctor})
    words = data.draw(st.lists(st.sampled_from(vocabulary), max_size=3))
    picked_specialties = data.draw(st.lists(st.sampled_from(specialties), max_size=2, unique=True))
    picked_doctors = data.draw(st.lists(st.sampled_from(doctors), max_size=2, unique=True))
    request = SearchRequest(" ".join(words), tuple(picked_specialties), tuple(picked_doctors),
                            per_page=100, doctor_facet_limit=None)
    response = generated_engine.search(request)
    expected_ids, expected_specialty, expected_doctor = brute_force(
        generated_threads, words, picked_specialties, picked_doctors
    )
    assert response.total == len(expected_ids)
    if response.total <= 100:
        assert sorted(hit.id for hit in response.results) == expected_ids
    assert response.facets.specialty == expected_specialty
    assert response.facets.doctor == expected_doctor
