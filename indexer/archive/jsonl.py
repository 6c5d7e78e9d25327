"""JSON Lines import: one thread object a line, the keys of `Thread.to_dict()`.

Required keys: `id`, `title`, `question`, `specialty` (non-blank strings) and either
`replies` (a list of {doctor, specialty, text, date}) or a plain `answer` string with an
optional `doctor` (read as one Reply; an unnamed doctor is ""). Every other key of
Thread is optional and defaults as in the record; unknown keys are ignored. Dates may be
`YYYY-MM-DD` or `YYYY/MM/DD` and come out ISO. A `source` key, as written by
`qasearch parse`, is kept (it names the original page); otherwise the source is this file.

A bad line becomes a ParseError with its line number and the rest of the file is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.archive.files import open_regular
from indexer.archive.pages import parse_date
from indexer.archive.records import (
    Asker,
    ParseError,
    RelatedFaq,
    Reply,
    SimilarThread,
    Thread,
    unservable_id,
)

MAX_LINE_BYTES = 4 * 1024 * 1024  # a page is capped at 2 MiB; its JSON (escapes) can be bigger
_CHUNK = 1024 * 1024


class RecordError(ValueError):
    """A JSON object that is not a valid thread record; the message names the key."""


def read_jsonl(path: Path) -> Iterator[Thread | ParseError]:
    """Yield a Thread for each good line of a JSON Lines file and a ParseError for each bad one."""
    for _line_number, item in read_jsonl_numbered(path):
        yield item


def read_jsonl_numbered(path: Path) -> Iterator[tuple[int, Thread | ParseError]]:
    """As read_jsonl, with each item's 1-based line number (0 when the file cannot be opened)."""
    source = str(path)
    try:
        handle = open_regular(path)  # a FIFO given as .jsonl is refused, never waited on
    except OSError as exc:
        yield 0, ParseError(source, exc.strerror or str(exc))
        return
    with handle:
        line_number = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            line_number += 1
            if len(raw) > MAX_LINE_BYTES:
                _skip_rest_of_line(handle)
                yield (
                    line_number,
                    ParseError(
                        source, f"line is over the {MAX_LINE_BYTES:,}-byte cap", line_number
                    ),
                )
                continue
            if not raw.strip():
                continue
            item = _parse_line(raw, source, line_number)
            yield line_number, item


def count_jsonl_lines(path: Path) -> int:
    """Number of non-blank lines: how many items read_jsonl will yield (for progress bars)."""
    count = 0
    with open_regular(path) as handle:
        for raw in handle:
            if raw.strip():
                count += 1
    return count


def thread_from_dict(obj: dict[str, Any], default_source: str | None = None) -> Thread:
    """Build a Thread from one decoded JSON object; RecordError names the first bad key."""
    required = {key: _required_text(obj, key) for key in ("id", "title", "question", "specialty")}
    refused = unservable_id(required["id"])
    if refused is not None:
        raise RecordError(refused)
    return Thread(
        **required,
        subject=_optional(obj, "subject", str, ""),
        asker=_asker(obj.get("asker")),
        asked=_date(obj, "asked", "asked"),
        replies=_replies(obj),
        more_info=_optional(obj, "more_info", str, ""),
        similar=tuple(
            _similar(item, f"similar[{i}]") for i, item in enumerate(_list(obj, "similar"))
        ),
        related_faq=tuple(
            _related(item, f"related_faq[{i}]") for i, item in enumerate(_list(obj, "related_faq"))
        ),
        source=_optional(obj, "source", str, None) or default_source,
    )


def _parse_line(raw: bytes, source: str, line_number: int) -> Thread | ParseError:
    def error(reason: str) -> ParseError:
        return ParseError(source, reason, line_number)

    try:
        text = raw.decode("utf-8-sig" if line_number == 1 else "utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        return error(f"not valid UTF-8 (byte {exc.start + 1})")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return error(f"broken JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return error("broken JSON: nested too deeply")
    if not isinstance(obj, dict):
        return error(f"expected a JSON object, got {_json_type(obj)}")
    try:
        return thread_from_dict(obj, default_source=source)
    except RecordError as exc:
        return error(str(exc))


def _skip_rest_of_line(handle: Any) -> None:
    while chunk := handle.readline(_CHUNK):
        if chunk.endswith(b"\n"):
            return


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _required_text(obj: dict[str, Any], key: str, where: str = "") -> str:
    name = f"{where}.{key}" if where else key
    if key not in obj:
        raise RecordError(f"missing required key {name!r}")
    value = obj[key]
    if not isinstance(value, str):
        raise RecordError(f"key {name!r} must be a string, got {_json_type(value)}")
    if not value.strip():
        raise RecordError(f"key {name!r} is blank")
    return value


def _required_string(obj: dict[str, Any], key: str, where: str) -> str:
    """A key that must be present but may be blank (an unnamed doctor is "")."""
    name = f"{where}.{key}"
    if key not in obj:
        raise RecordError(f"missing required key {name!r}")
    if not isinstance(obj[key], str):
        raise RecordError(f"key {name!r} must be a string, got {_json_type(obj[key])}")
    return obj[key]


def _optional(obj: dict[str, Any], key: str, kind: type, default: Any, where: str = "") -> Any:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, kind):
        name = f"{where}.{key}" if where else key
        wanted = "a string" if kind is str else _json_type(kind())
        raise RecordError(f"key {name!r} must be {wanted}, got {_json_type(value)}")
    return value


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    return _optional(obj, key, list, [])


def _object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RecordError(f"key {name!r} must be an object, got {_json_type(value)}")
    return value


def _date(obj: dict[str, Any], key: str, name: str) -> str | None:
    value = _optional(obj, key, str, None)
    if value is None or not value.strip():
        return None
    iso = parse_date(value)
    if iso is None:
        raise RecordError(f"key {name!r} must be a date YYYY-MM-DD, got {value!r}")
    return iso


def _asker(value: Any) -> Asker:
    if value is None:
        return Asker()
    obj = _object(value, "asker")
    return Asker(
        name=_optional(obj, "name", str, None, "asker"),
        age=_optional(obj, "age", str, None, "asker"),
        sex=_optional(obj, "sex", str, None, "asker"),
    )


def _replies(obj: dict[str, Any]) -> tuple[Reply, ...]:
    has_replies = obj.get("replies") is not None
    has_answer = obj.get("answer") is not None
    if has_replies and has_answer:
        raise RecordError("give either 'replies' or 'answer', not both")
    if has_answer:
        answer = _optional(obj, "answer", str, "")
        doctor = _optional(obj, "doctor", str, "")
        return (Reply(doctor=doctor, specialty=None, text=answer),) if answer.strip() else ()
    if not has_replies:
        raise RecordError("missing required key 'replies' (or 'answer')")
    return tuple(_reply(item, f"replies[{i}]") for i, item in enumerate(_list(obj, "replies")))


def _reply(value: Any, name: str) -> Reply:
    obj = _object(value, name)
    return Reply(
        doctor=_required_string(obj, "doctor", name),
        specialty=_optional(obj, "specialty", str, None, name),
        text=_optional(obj, "text", str, "", name),
        date=_date(obj, "date", f"{name}.date"),
    )


def _similar(value: Any, name: str) -> SimilarThread:
    obj = _object(value, name)
    return SimilarThread(
        title=_required_text(obj, "title", name),
        excerpt=_optional(obj, "excerpt", str, "", name),
        doctor=_optional(obj, "doctor", str, None, name),
        specialty=_optional(obj, "specialty", str, None, name),
        answer=_optional(obj, "answer", str, "", name),
    )


def _related(value: Any, name: str) -> RelatedFaq:
    obj = _object(value, name)
    return RelatedFaq(
        topic=_required_text(obj, "topic", name),
        specialty=_optional(obj, "specialty", str, None, name),
    )
