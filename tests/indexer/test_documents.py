"""Thread -> index document mapping and the content hash."""

from __future__ import annotations

import dataclasses
import json
import zlib

from indexer.archive.records import Asker, RelatedFaq, Reply, SimilarThread, Thread
from indexer.build.documents import (
    content_hash,
    hashed_record,
    record_hash,
    thread_document,
    thread_record,
)
from search.index.schema import SCHEMA

THREAD = Thread(
    id="001_abc",
    title="Knee Pain After Running",
    specialty="Orthopedics",
    subject="Knee hurts after jogging",
    question="My right knee hurts after running.",
    asker=Asker(name="Lee", age="30~39", sex="male"),
    asked="2020-03-04",
    replies=(
        Reply(doctor="Dr. Chen Ming", specialty="Orthopedics", text="Rest and ice."),
        Reply(doctor="Dr. Wang Li", specialty="Rehabilitation", text="Stretch daily."),
        Reply(doctor="Dr. Chen Ming", specialty="Orthopedics", text="Come back in a week."),
    ),
    more_info="Knee pain in runners is common.",
    source="archive/001_abc.txt",
)


def test_document_fields_come_from_the_thread():
    doc = thread_document(THREAD)
    assert doc["id"] == "001_abc"
    assert doc["title"] == "Knee Pain After Running"
    assert doc["symptoms"] == "Knee hurts after jogging\n\nMy right knee hurts after running."
    assert doc["replies"] == "Rest and ice.\n\nStretch daily.\n\nCome back in a week."
    assert doc["more_info"] == "Knee pain in runners is common."
    assert doc["specialty"] == doc["specialty_name"] == "Orthopedics"
    assert doc["doctor"] == "Dr. Chen Ming"
    assert doc["year"] == "2020"
    assert doc["asked"] == "2020-03-04"
    assert doc["sex"] == "male"
    assert doc["age_band"] == "30~39"
    assert doc["content_hash"] == content_hash(THREAD)


def test_every_replying_doctor_is_searchable_once():
    assert thread_document(THREAD)["doctor_names"].split("\n") == ["Dr. Chen Ming", "Dr. Wang Li"]


def test_document_keys_are_schema_fields():
    assert set(thread_document(THREAD)) <= set(SCHEMA.names())


def test_thread_without_replies_has_no_doctor_facet_value():
    bare = dataclasses.replace(THREAD, replies=(), asked=None, asker=Asker())
    doc = thread_document(bare)
    for absent in ("doctor", "year", "asked", "sex", "age_band"):
        assert absent not in doc
    assert doc["doctor_names"] == ""
    assert doc["replies"] == ""


def test_content_hash_ignores_where_the_thread_was_read_from():
    moved = dataclasses.replace(THREAD, source="elsewhere/001_abc.jsonl")
    assert content_hash(moved) == content_hash(THREAD)


def test_content_hash_changes_with_any_content():
    assert content_hash(dataclasses.replace(THREAD, more_info="Changed.")) != content_hash(THREAD)
    edited_reply = dataclasses.replace(THREAD.replies[1], text="Stretch twice daily.")
    edited = dataclasses.replace(THREAD, replies=(THREAD.replies[0], edited_reply))
    assert content_hash(edited) != content_hash(THREAD)


def test_content_hash_is_stable_across_calls():
    assert content_hash(THREAD) == content_hash(dataclasses.replace(THREAD))
    assert len(content_hash(THREAD)) == 32


def test_thread_record_equals_to_dict():
    rich = dataclasses.replace(
        THREAD,
        similar=(SimilarThread(title="Knee swelling", excerpt="My knee...", doctor="Dr. Wang",
                               specialty="Orthopedics", answer="Ice."),),
        related_faq=(RelatedFaq(topic="Knee Pain", specialty="Orthopedics"),),
    )
    assert thread_record(rich) == rich.to_dict()
    assert list(thread_record(rich)) == list(rich.to_dict())
    assert record_hash(thread_record(rich)) == content_hash(rich)


def test_hashed_record_is_the_hash_and_the_stored_record():
    for thread in (THREAD, dataclasses.replace(THREAD, source=None), dataclasses.replace(
            THREAD, title='Say "ah" \u2014 caf\u00e9', replies=())):
        record = thread_record(thread)
        thread_hash, stored = hashed_record(record)
        assert thread_hash == record_hash(record) == content_hash(thread)
        assert json.loads(zlib.decompress(stored)) == json.loads(json.dumps(thread.to_dict()))
