"""Whatever people type or paste, search answers: never an exception, never slow."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.request import MAX_QUERY_CHARS, SearchRequest

NASTY = [
    '"', '"red spots', "((rash", "rash))", "(", ")", "[a TO z]", "{", "title:", "specialty:",
    "foo:bar", "id:t001", "content_hash:x", "*", "**", "*rash", "r*", "?", "???", "~~~", "rash~9",
    "rash~-1", "a~", "~", "^", "rash^99999", "rash^", "AND", "OR", "NOT", "AND OR NOT", "NOT rash",
    "-", "--rash", "+", "+rash -", "\x00", "rash\x00spots", "🙂🙂🙂", "發燒咳嗽", "مرحبا بالعالم",
    "\u202eevil", "' OR 1=1; DROP TABLE threads; --", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "\\", "\\\\\"", "title:(rash OR", 'doctor:"', "specialty:''",
    "*:*", "rash AND", "OR rash", "\t\n\r", " " * 100, "a" * 4999,
    "x* " * 300, "ab~2 " * 300, "(" * 500, '"' * 999,
]


@pytest.mark.parametrize("text", NASTY)
def test_nasty_strings_never_raise(engine, text):
    started = time.perf_counter()
    response = engine.search(SearchRequest(text[:MAX_QUERY_CHARS]))
    assert response.total >= 0
    assert time.perf_counter() - started < 2.0


def test_long_pasted_question_is_answered(engine, threads):
    question = " ".join(
        [threads[2].question] + ["I really do not know what else to say here"] * 60
    )[:MAX_QUERY_CHARS]
    response = engine.search(SearchRequest(question))
    assert response.results[0].id == "t003"


def test_junk_of_maximum_length_is_answered(engine):
    junk = ("qz%&(x" * 1000)[:MAX_QUERY_CHARS]
    assert engine.search(SearchRequest(junk)).total >= 0


@settings(
    max_examples=150, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(max_size=200))
def test_random_text_never_raises(engine, text):
    response = engine.search(SearchRequest(text))
    assert response.total >= 0


@settings(
    max_examples=150, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    parts=st.lists(
        st.sampled_from(['"', "(", ")", "*", "~", "-", "+", ":", "^", "AND", "OR", "NOT",
                         "title", "doctor", "specialty", "rash", "pain", "u", " ", "2", "?"]),
        max_size=30,
    )
)
def test_random_syntax_soup_never_raises(engine, parts):
    response = engine.search(SearchRequest("".join(parts)))
    assert response.total >= 0
