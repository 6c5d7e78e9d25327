"""Whole thread records beside the Whoosh index: `threads.sqlite` inside a generation.

The index stores only what result lists show; the thread page needs everything (every
reply, the more-info article, similar threads), so the indexer keeps each record here
as zlib-compressed JSON of `Thread.to_dict()`, and the searcher reads it back by id.

    threads(id TEXT PRIMARY KEY, hash TEXT, specialty TEXT, data BLOB)

Readers open the file read-only (`mode=ro` URI), so a web worker can never write or
create it. Connections are opened with `check_same_thread=False` and guarded by a lock,
so one store may be shared by the threads of a worker.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_CREATE = """
CREATE TABLE IF NOT EXISTS threads (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    specialty TEXT NOT NULL,
    data BLOB NOT NULL
)
"""


class ThreadStoreError(RuntimeError):
    """The store file is missing or unreadable; the message names the file."""


class ThreadStore:
    """Thread records by id in one sqlite file."""

    def __init__(self, path: Path | str, *, readonly: bool = True, durable: bool = True) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._lock = threading.Lock()
        try:
            if readonly:
                if not self.path.is_file():
                    raise ThreadStoreError(f"thread store {self.path} does not exist")
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self._db = sqlite3.connect(self.path, check_same_thread=False)
                if not durable:
                    # For a generation being built: it is thrown away after a crash and
                    # fsynced before it goes live, so a journal is not worth its cost.
                    # A live store (incremental reindex) keeps sqlite's full journal.
                    self._db.execute("PRAGMA journal_mode=OFF")
                    self._db.execute("PRAGMA synchronous=OFF")
                self._db.execute(_CREATE)
                self._db.commit()
        except sqlite3.Error as error:
            raise ThreadStoreError(f"cannot open thread store {self.path}: {error}") from None

    @classmethod
    def open(cls, path: Path | str, readonly: bool = True, durable: bool = True) -> ThreadStore:
        return cls(path, readonly=readonly, durable=durable)

    def __enter__(self) -> ThreadStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, thread_id: str) -> dict[str, Any] | None:
        """The thread's record as `Thread.to_dict()` gave it, or None if unknown."""
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM threads WHERE id = ?", (thread_id,)
            ).fetchone()
        return None if row is None else json.loads(zlib.decompress(row[0]))

    def put_many(self, rows: Iterable[tuple[str, str, str, dict[str, Any]]]) -> int:
        """Insert or replace (id, hash, specialty, record) rows; returns how many."""
        encoded = (
            (thread_id, thread_hash, specialty, encode_record(record))
            for thread_id, thread_hash, specialty, record in rows
        )
        return self.put_encoded(encoded)

    def put_encoded(self, rows: Iterable[tuple[str, str, str, bytes]]) -> int:
        """Like put_many, with records already passed through `encode_record`."""
        with self._lock:
            cursor = self._db.executemany(
                "INSERT OR REPLACE INTO threads (id, hash, specialty, data) VALUES (?, ?, ?, ?)",
                rows,
            )
            self._db.commit()
        return cursor.rowcount

    def delete_many(self, ids: Iterable[str]) -> int:
        with self._lock:
            cursor = self._db.executemany(
                "DELETE FROM threads WHERE id = ?", ((thread_id,) for thread_id in ids)
            )
            self._db.commit()
        return cursor.rowcount

    def hashes(self) -> dict[str, str]:
        """Every thread id with its content hash."""
        with self._lock:
            return dict(self._db.execute("SELECT id, hash FROM threads"))

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM threads").fetchone()[0]

    def specialty_counts(self) -> dict[str, int]:
        """Threads per specialty, most first (ties by name)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT specialty, COUNT(*) AS n FROM threads GROUP BY specialty "
                "ORDER BY n DESC, specialty"
            ).fetchall()
        return dict(rows)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def encode_record(record: dict[str, Any]) -> bytes:
    """The stored form of a record: compact JSON, zlib-compressed."""
    return encode_record_json(json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def encode_record_json(text: str) -> bytes:
    """encode_record for a record already written as JSON (any key order)."""
    return zlib.compress(text.encode("utf-8"), 6)
