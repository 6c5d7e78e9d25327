"""Thread record -> Whoosh document: the one mapping from a Thread to the schema's fields.

Field choices (the searcher relies on them):

- `symptoms` is the asker's subject line plus the question; `replies` is every reply's
  text (doctor replies and the asker's follow-ups alike) joined by blank lines.
- `doctor_names` holds every replying doctor, so `doctor:wu` finds a thread where Dr. Wu
  replied second; the `doctor` facet is the first replying doctor only.
- A thread without replies has NO `doctor` value: the field is left out of its document.
  Whoosh then stores an empty value in the sortable column, so a facet count keyed on
  `doctor` sees such threads under the empty string; the searcher drops the empty key
  from the doctor facet (those threads are still counted in totals and other facets).
  The same holds for `sex`, `age_band`, `year` and `asked` when the page lacks them.
- `content_hash` is a stable hash of the record (minus where it was read from), used by
  incremental reindex to tell changed threads from unchanged ones.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from indexer.archive.records import Thread
from search.index.thread_store import encode_record_json

# The record keys that say where a thread was read from, not what it says: a thread
# moved to another file is not a changed thread.
_PROVENANCE_KEYS = ("source",)


def content_hash(thread: Thread) -> str:
    """Hex digest of the record's canonical JSON without `source`; equal records, equal hash."""
    return record_hash(thread.to_dict())


def thread_record(thread: Thread) -> dict[str, Any]:
    """Equal to `thread.to_dict()`, several times faster: dataclasses.asdict deep-copies
    every string, which a reindex pays for on each of its threads."""
    return _plain(thread)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {key: _plain(item) for key, item in vars(value).items()}
    if isinstance(value, tuple | list):
        return type(value)(_plain(item) for item in value)
    return value


def record_hash(record: dict[str, Any]) -> str:
    """content_hash from `Thread.to_dict()` output already in hand (the dict is not changed)."""
    return _hash_of(_canonical_json(record))


def hashed_record(record: dict[str, Any]) -> tuple[str, bytes]:
    """(record_hash(record), encode_record(record)) with the record written as JSON once,
    not twice (that was 3% of a full build): the stored JSON is the hashed, canonical
    one with the provenance keys added at its end."""
    canonical = _canonical_json(record)
    provenance = {key: record[key] for key in _PROVENANCE_KEYS if key in record}
    stored = canonical
    if provenance:
        extra = json.dumps(provenance, ensure_ascii=False, separators=(",", ":"))
        stored = f"{canonical[:-1]},{extra[1:]}" if canonical != "{}" else extra
    return _hash_of(canonical), encode_record_json(stored)


def _canonical_json(record: dict[str, Any]) -> str:
    content = {key: value for key, value in record.items() if key not in _PROVENANCE_KEYS}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _hash_of(canonical: str) -> str:
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).hexdigest()


def thread_document(thread: Thread, *, thread_hash: str | None = None) -> dict[str, Any]:
    """The Whoosh document for `thread`: keys are schema field names, absent values omitted.

    `thread_hash` lets a caller that already computed `content_hash(thread)` pass it in.
    """
    symptoms = "\n\n".join(part for part in (thread.subject, thread.question) if part)
    doctors = _unique(reply.doctor for reply in thread.replies if reply.doctor)
    document: dict[str, Any] = {
        "id": thread.id,
        "title": thread.title,
        "symptoms": symptoms,
        "replies": "\n\n".join(reply.text for reply in thread.replies if reply.text),
        "more_info": thread.more_info,
        "doctor_names": "\n".join(doctors),
        "specialty_name": thread.specialty,
        "specialty": thread.specialty,
        "content_hash": thread_hash if thread_hash is not None else content_hash(thread),
    }
    if thread.doctor:
        document["doctor"] = thread.doctor
    if thread.asked:
        document["asked"] = thread.asked
        document["year"] = thread.asked[:4]
    if thread.asker.sex:
        document["sex"] = thread.asker.sex
    if thread.asker.age:
        document["age_band"] = thread.asker.age
    return document


def _unique(values: Any) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return list(seen)
