"""Facet counts and totals against brute force over the records themselves, with lay
synonyms (words and phrases), names typed as text and automatic spelling correction."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.index.schema import name_analyzer, text_analyzer
from search.query.parse import analysed, synonym_table
from search.request import SearchRequest

ANALYZER = text_analyzer()
NAMES = name_analyzer()
WORDS = ["rash", "pain", "urination", "night", "spots", "cough", "general", "back", "ear",
         "zorblax", "moles", "burning", "tired", "nothing-like-this",
         # a phrase's synonyms, a doctor's and a specialty's name, a misspelling
         "tinnitus", "kidney stone", "Wu Yuxin", "dermatology", "urinaton"]
SPECIALTIES = ["Dermatology", "Urology", "Family Medicine", "Rehabilitation", "Nowhere"]
DOCTORS = ["Wu Yuxin", "Lin Chih-Hao", "Chen Mei-Ling", "Huang Shu-Fen", "Dr. Nobody"]


def stems(text: str) -> set[str]:
    return {token.text for token in ANALYZER(text)}


def thread_text(thread) -> str:
    replies = " ".join(reply.text for reply in thread.replies)
    return " ".join((thread.title, thread.subject, thread.question, replies, thread.more_info))


YEARS = [None, 2012, 2015, 2018, 2020, 2030]
SEXES = ["female", "male", "other"]
AGES = ["20~29", "30~39", "10~19", "90~99"]


def year_of(thread):
    return int(thread.asked[:4]) if thread.asked else None


def contains(sequence: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(sequence[i:i + size]) == phrase for i in range(len(sequence) - size + 1))


def names_of(text: str) -> tuple[str, ...]:
    return tuple(token.text for token in NAMES(text))


def name_matches(threads, text: str):
    """Threads of each whole doctor's (any replier) or specialty's name found in `text`."""
    known = {names_of(t.doctor) for t in threads if t.doctor}
    known |= {names_of(t.specialty) for t in threads}
    typed = " ".join(names_of(text))
    found = [name for name in known if f" {' '.join(name)} " in f" {typed} "]
    return {
        t.id for t in threads for name in found
        if name == names_of(t.specialty)
        or any(names_of(reply.doctor or "") == name for reply in t.replies)
    }


def brute_force(threads, text, specialties, doctors, years=(None, None), sexes=(), ages=()):
    """Python re-implementation of an OR of plain words plus disjunctive facets.

    Returns (ids, counts) where counts maps each facet name to its expected counts: each
    facet is counted over the matches that pass every OTHER facet's filter.
    """
    # Only stop words ("which should") is no query at all: every thread, like "".
    sequence = analysed(text)
    wanted = set(sequence) or None
    phrases = set()
    if wanted:  # words and phrases also find their synonyms (search/query/synonyms.py)
        for _, other in synonym_table().expansions(sequence):
            if len(other) == 1:
                wanted.add(other[0])
            else:
                phrases.add(other)  # looked for in titles and questions
    by_name = name_matches(threads, text) if wanted else set()

    def matches_query(t) -> bool:
        if wanted is None or t.id in by_name or stems(thread_text(t)) & wanted:
            return True
        fields = [analysed(t.title), analysed(f"{t.subject}\n\n{t.question}")]
        return any(contains(field, phrase) for phrase in phrases for field in fields)

    matches = [t for t in threads if matches_query(t)]

    low, high = years

    def in_years(t):
        if low is None and high is None:
            return True
        year = year_of(t)
        return year is not None and (low is None or year >= low) and (high is None or year <= high)

    passes = {
        "specialty": lambda t: not specialties or t.specialty in specialties,
        "doctor": lambda t: not doctors or t.doctor in doctors,
        "year": in_years,
        "sex": lambda t: not sexes or t.asker.sex in sexes,
        "age": lambda t: not ages or t.asker.age in ages,
    }
    value_of = {
        "specialty": lambda t: t.specialty,
        "doctor": lambda t: t.doctor,
        "year": lambda t: t.asked[:4] if t.asked else None,
        "sex": lambda t: t.asker.sex,
        "age": lambda t: t.asker.age,
    }
    selected = {"specialty": specialties, "doctor": doctors, "year": (), "sex": sexes, "age": ages}
    counts: dict[str, dict[str, int]] = {}
    for name in passes:
        others = [check for other, check in passes.items() if other != name]
        facet: dict[str, int] = {}
        for t in matches:
            value = value_of[name](t)
            if value and all(check(t) for check in others):
                facet[value] = facet.get(value, 0) + 1
        for value in selected[name]:
            facet.setdefault(value, 0)
        counts[name] = facet
    total = [t.id for t in matches if all(check(t) for check in passes.values())]
    return sorted(total), counts


@settings(
    max_examples=100, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    words=st.lists(st.sampled_from(WORDS), max_size=3),
    specialties=st.lists(st.sampled_from(SPECIALTIES), max_size=2, unique=True),
    doctors=st.lists(st.sampled_from(DOCTORS), max_size=2, unique=True),
    years=st.tuples(st.sampled_from(YEARS), st.sampled_from(YEARS)).map(
        lambda pair: pair if None in pair else tuple(sorted(pair))
    ),
    sexes=st.lists(st.sampled_from(SEXES), max_size=2, unique=True),
    ages=st.lists(st.sampled_from(AGES), max_size=2, unique=True),
)
def test_counts_equal_brute_force(engine, threads, words, specialties, doctors, years, sexes, ages):
    text = " ".join(re.sub(r"\W", " ", w) for w in words)
    request = SearchRequest(
        text, tuple(specialties), tuple(doctors), per_page=100, year_from=years[0],
        year_to=years[1], sexes=tuple(sexes), age_bands=tuple(ages),
    )
    response = engine.search(request)
    searched = text
    if response.corrected is not None:  # the correction the engine chose, and ran
        assert "urinaton" in words
        searched = response.corrected
        assert searched == text.replace("urinaton", "urination")
    expected_ids, expected = brute_force(
        threads, searched, specialties, doctors, years, sexes, ages
    )
    assert sorted(hit.id for hit in response.results) == expected_ids
    assert response.total == len(expected_ids)
    assert response.facets.to_dict() == expected


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
    years = data.draw(st.tuples(st.sampled_from([None, *range(2009, 2027, 3)]),
                                st.sampled_from([None, *range(2010, 2027, 4)])))
    if None not in years:
        years = tuple(sorted(years))
    sexes = data.draw(st.lists(st.sampled_from(["female", "male"]), max_size=1))
    ages = data.draw(st.lists(st.sampled_from(["10~19", "20~29", "30~39", "60~69"]),
                              max_size=2, unique=True))
    request = SearchRequest(" ".join(words), tuple(picked_specialties), tuple(picked_doctors),
                            per_page=100, doctor_facet_limit=None, year_from=years[0],
                            year_to=years[1], sexes=tuple(sexes), age_bands=tuple(ages))
    response = generated_engine.search(request)
    assert response.corrected is None  # title words are known words
    expected_ids, expected = brute_force(
        generated_threads, " ".join(words), picked_specialties, picked_doctors, years, sexes,
        ages,
    )
    assert response.total == len(expected_ids)
    if response.total <= 100:
        assert sorted(hit.id for hit in response.results) == expected_ids
    assert response.facets.to_dict() == expected


def test_year_and_age_facets_are_in_their_own_order_and_sex_by_count(generated_engine):
    facets = generated_engine.search(SearchRequest("")).facets
    assert list(facets.year) == sorted(facets.year) and len(facets.year) > 10
    assert list(facets.age) == sorted(facets.age, key=lambda band: int(band.split("~")[0]))
    assert list(facets.sex.values()) == sorted(facets.sex.values(), reverse=True)


def test_a_year_range_keeps_every_year_counted(engine):
    everything = engine.search(SearchRequest("")).facets.year
    ranged = engine.search(SearchRequest("", year_from=2016, year_to=2019))
    assert ranged.facets.year == everything  # the year facet ignores its own range
    assert ranged.total == sum(n for year, n in everything.items() if 2016 <= int(year) <= 2019)
    assert all("2016" <= hit.asked[:4] <= "2019" for hit in ranged.results)


def test_only_common_words_is_said_and_lists_everything_newest_first(engine):
    response = engine.search(SearchRequest("on my", per_page=100))
    assert response.common_words_only and response.total == 13
    dates = [hit.asked for hit in response.results if hit.asked]
    assert dates == sorted(dates, reverse=True)
    assert not engine.search(SearchRequest("rash on my arm")).common_words_only
    assert not engine.search(SearchRequest("")).common_words_only


# -- hybrid search: the result set is lexical matches OR semantic neighbours ------------

SEMANTIC_WORDS = [*WORDS, "itchy", "tummy", "glorpy", "ache", "sore"]


@pytest.fixture(scope="module")
def hybrid_engine(threads, tmp_path_factory):
    from semantic_fakes import FakeEncoder

    from indexer.build.reindex import build_index
    from indexer.build.vector_build import VectorOptions
    from search.engine import SearchEngine

    directory = tmp_path_factory.mktemp("search-index-hybrid")
    build_index(threads, directory, vectors=VectorOptions(FakeEncoder()))
    with SearchEngine(directory, encoder=FakeEncoder()) as engine:
        yield engine


def semantic_neighbours(engine, text: str) -> set[str]:
    """Brute force: every live thread whose stored vector is within the floor of the
    query's, the nearest `semantic_depth` of them."""
    from semantic_fakes import FakeEncoder

    from search.semantic.hybrid import QueryVectorCache

    gen = engine._current
    settings = engine.semantic.settings
    query = FakeEncoder().encode([QueryVectorCache.normalise(text)])[0]
    rows = (np.asarray(gen.vectors.matrix, dtype=np.float64) @ query) * gen.vectors.scales
    near = sorted((float(-rows[d]), d) for d in np.flatnonzero(gen.live)
                  if rows[d] >= settings.floor)[: settings.semantic_depth]
    return {gen.searcher.stored_fields(d)["id"] for _, d in near}


@settings(
    max_examples=60, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    words=st.lists(st.sampled_from(SEMANTIC_WORDS), min_size=1, max_size=3),
    specialties=st.lists(st.sampled_from(SPECIALTIES), max_size=2, unique=True),
    doctors=st.lists(st.sampled_from(DOCTORS), max_size=2, unique=True),
    years=st.tuples(st.sampled_from(YEARS), st.sampled_from(YEARS)).map(
        lambda pair: pair if None in pair else tuple(sorted(pair))
    ),
    sexes=st.lists(st.sampled_from(SEXES), max_size=2, unique=True),
    ages=st.lists(st.sampled_from(AGES), max_size=2, unique=True),
    sort=st.sampled_from(["relevance", "newest", "oldest"]),
)
def test_hybrid_counts_equal_brute_force(hybrid_engine, threads, words, specialties, doctors,
                                         years, sexes, ages, sort):
    text = " ".join(re.sub(r"\W", " ", w) for w in words)
    request = SearchRequest(
        text, tuple(specialties), tuple(doctors), sort=sort, per_page=100, year_from=years[0],
        year_to=years[1], sexes=tuple(sexes), age_bands=tuple(ages),
    )
    response = hybrid_engine.search(request)
    searched = response.corrected or text  # neighbours too are of the query that was run
    lexical_ids, _ = brute_force(threads, searched, (), ())
    semantic_ids = semantic_neighbours(hybrid_engine, searched) if text.split() else set()
    in_set = set(lexical_ids) | semantic_ids
    members = [t for t in threads if t.id in in_set]
    # The facet brute force over exactly that set: every word matches a member.
    expected_ids, expected = brute_force(
        members, "", specialties, doctors, years, sexes, ages)
    assert sorted(hit.id for hit in response.results) == expected_ids
    assert response.total == len(expected_ids)
    assert response.facets.to_dict() == expected
