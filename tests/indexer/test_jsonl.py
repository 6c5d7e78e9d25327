"""JSON Lines import: good records, every kind of bad line, and the rest of the file still read."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.archive import jsonl
from indexer.archive.jsonl import RecordError, read_jsonl, thread_from_dict
from indexer.archive.pages import parse_thread
from indexer.archive.records import Asker, ParseError, RelatedFaq, Reply, SimilarThread, Thread
from search.request import unservable_id_reason

MINIMAL = {"id": "a1", "title": "Cough", "question": "I cough.", "specialty": "Internal Medicine"}


def line(**overrides) -> str:
    record = {**MINIMAL, "replies": []}
    record.update(overrides)
    return json.dumps({k: v for k, v in record.items() if v is not ...})


def test_full_record_round_trips_through_to_dict(small_page, write_file):
    thread = parse_thread(small_page, "knee", source="archive/knee.txt")
    path = write_file("one.jsonl", json.dumps(thread.to_dict(), ensure_ascii=False) + "\n")
    assert list(read_jsonl(path)) == [thread]


def test_minimal_record_defaults_and_source_is_the_file(write_file):
    path = write_file("min.jsonl", line() + "\n")
    assert list(read_jsonl(path)) == [
        Thread(
            id="a1",
            title="Cough",
            question="I cough.",
            specialty="Internal Medicine",
            source=str(path),
        )
    ]


def test_answer_with_doctor_is_one_reply(write_file):
    path = write_file(
        "a.jsonl",
        "\n".join(
            [
                line(replies=..., answer="Drink water.", doctor="Dr Who"),
                line(id="a2", replies=..., answer="Rest."),
            ]
        ),
    )
    first, second = read_jsonl(path)
    assert first.replies == (Reply("Dr Who", None, "Drink water."),)
    assert first.doctor == "Dr Who"
    assert second.replies == (Reply("", None, "Rest."),)


def test_optional_fields_are_read_and_dates_normalised(write_file):
    record = line(
        subject="cough",
        asker={"name": "Ann", "age": "20~29", "sex": "female"},
        asked="2019/1/2",
        replies=[{"doctor": "Lin", "specialty": "ENT", "text": "ok", "date": "2019-01-03"}],
        more_info="More.",
        similar=[{"title": "Other cough"}],
        related_faq=[{"topic": "Cough", "specialty": "ENT"}, {"topic": "Cold"}],
    )
    (thread,) = read_jsonl(write_file("o.jsonl", record))
    assert thread.asker == Asker("Ann", "20~29", "female")
    assert thread.asked == "2019-01-02"
    assert thread.replies == (Reply("Lin", "ENT", "ok", "2019-01-03"),)
    assert thread.similar == (SimilarThread("Other cough"),)
    assert thread.related_faq == (RelatedFaq("Cough", "ENT"), RelatedFaq("Cold"))


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ('{"id": "x", "title": ', "broken JSON: Expecting value at column 22"),
        ("[1, 2]", "expected a JSON object, got a list"),
        ('"just a string"', "expected a JSON object, got a string"),
        (line(title=...), "missing required key 'title'"),
        (line(replies=...), "missing required key 'replies' (or 'answer')"),
        (line(title=42), "key 'title' must be a string, got a number"),
        (line(id=" "), "key 'id' is blank"),
        (line(specialty=None), "key 'specialty' must be a string, got null"),
        (line(more_info=["x"]), "key 'more_info' must be a string, got a list"),
        (line(replies="none"), "key 'replies' must be a list, got a string"),
        (line(replies=[{"text": "hi"}]), "missing required key 'replies[0].doctor'"),
        (line(replies=[{"doctor": 7}]), "key 'replies[0].doctor' must be a string, got a number"),
        (line(replies=["hi"]), "key 'replies[0]' must be an object, got a string"),
        (line(replies=..., answer=3), "key 'answer' must be a string, got a number"),
        (line(answer="x"), "give either 'replies' or 'answer', not both"),
        (line(asked="yesterday"), "key 'asked' must be a date YYYY-MM-DD, got 'yesterday'"),
        (line(asker="Ann"), "key 'asker' must be an object, got a string"),
        (line(asker={"age": 20}), "key 'asker.age' must be a string, got a number"),
        (line(similar=[{"excerpt": "x"}]), "missing required key 'similar[0].title'"),
        (
            line(related_faq=[{"topic": True}]),
            "key 'related_faq[0].topic' must be a string, got a boolean",
        ),
    ],
)
def test_bad_line_is_an_error_with_line_number_and_the_rest_is_read(write_file, bad_line, reason):
    path = write_file("mixed.jsonl", "\n".join([line(id="ok1"), bad_line, "", line(id="ok2")]))
    items = list(read_jsonl(path))
    assert [getattr(item, "id", None) for item in items] == ["ok1", None, "ok2"]
    error = items[1]
    assert isinstance(error, ParseError)
    assert (error.source, error.line) == (str(path), 2)
    assert error.reason == reason
    assert str(error) == f"{path}:2: {error.reason}"


def test_blank_lines_bom_and_crlf(write_file):
    content = "\ufeff" + line(id="a") + "\r\n\r\n   \r\n" + line(id="b") + "\r\n"
    assert [t.id for t in read_jsonl(write_file("crlf.jsonl", content))] == ["a", "b"]


def test_invalid_utf8_line(write_file):
    path = write_file(
        "bin.jsonl", line(id="a").encode() + b"\n\xff\xfe{}\n" + line(id="b").encode()
    )
    items = list(read_jsonl(path))
    assert items[1] == ParseError(str(path), "not valid UTF-8 (byte 1)", 2)
    assert items[2].id == "b"


def test_over_long_line_is_skipped_and_reading_goes_on(write_file, monkeypatch):
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 200)
    monkeypatch.setattr(jsonl, "_CHUNK", 64)
    huge = line(id="big", more_info="x" * 1000)
    path = write_file("long.jsonl", "\n".join([line(id="a"), huge, line(id="b")]) + "\n")
    items = list(read_jsonl(path))
    assert items[0].id == "a"
    assert items[1] == ParseError(str(path), "line is over the 200-byte cap", 2)
    assert items[2].id == "b"
    assert len(items) == 3


def test_unreadable_file(tmp_path):
    assert list(read_jsonl(tmp_path)) == [ParseError(str(tmp_path), "a folder, not a regular file")]


def test_thread_from_dict_is_usable_without_a_file():
    thread = thread_from_dict({**MINIMAL, "answer": "ok"})
    assert thread.source is None and thread.replies == (Reply("", None, "ok"),)


def test_answer_form_without_doctor_round_trips(write_file):
    (thread,) = read_jsonl(write_file("a.jsonl", line(replies=..., answer="Rest.")))
    again = write_file("b.jsonl", json.dumps(thread.to_dict()))
    assert list(read_jsonl(again)) == [thread]


def test_reply_doctor_null_is_a_type_error(write_file):
    (error,) = read_jsonl(write_file("n.jsonl", line(replies=[{"doctor": None, "text": "x"}])))
    assert error.reason == "key 'replies[0].doctor' must be a string, got null"


_text = st.text(max_size=30)
_name = st.none() | _text
_blank_free = st.text(min_size=1, max_size=30).filter(str.strip)
_iso = st.none() | st.dates().map(lambda d: d.isoformat())
threads = st.builds(
    Thread,
    # Any id that can be served (the others are refused: tests/indexer/test_thread_ids.py).
    id=_blank_free.filter(lambda text: unservable_id_reason(text) is None),
    title=_blank_free,
    specialty=_blank_free,
    question=_blank_free,
    subject=_text,
    asker=st.builds(Asker, _name, _name, _name),
    asked=_iso,
    replies=st.lists(st.builds(Reply, _text, _name, _text, _iso), max_size=3).map(tuple),
    more_info=_text,
    similar=st.lists(
        st.builds(SimilarThread, _blank_free, _text, _name, _name, _text), max_size=2
    ).map(tuple),
    related_faq=st.lists(st.builds(RelatedFaq, _blank_free, _name), max_size=2).map(tuple),
    source=st.none() | _blank_free,
)


@settings(max_examples=150, deadline=None)
@given(threads)
def test_any_thread_round_trips_through_json(thread):
    obj = json.loads(json.dumps(thread.to_dict(), ensure_ascii=False))
    assert thread_from_dict(obj, default_source=thread.source) == thread


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)
_keys = st.sampled_from(
    [
        "id",
        "title",
        "question",
        "specialty",
        "replies",
        "answer",
        "doctor",
        "asker",
        "asked",
        "similar",
        "related_faq",
        "more_info",
        "subject",
        "source",
        "x",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _json, max_size=10))
def test_thread_from_dict_only_ever_raises_record_error(obj):
    try:
        thread = thread_from_dict(obj)
    except RecordError as exc:
        assert str(exc)
    else:
        assert isinstance(thread, Thread)
