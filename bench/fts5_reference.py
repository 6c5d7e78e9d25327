"""The reference engine: SQLite FTS5 over the same threads, fields and weights.

Built from the threads the project's own parser reads from the archive, so both engines
index the same text. One FTS5 table, tokenize='porter unicode61':

    threads(id UNINDEXED, title, symptoms, replies, more_info,
            specialty UNINDEXED, doctor UNINDEXED)

`symptoms` is subject + question and `replies` every reply's text, as in the project's
index documents. Ranking is bm25 with the project's FIELD_WEIGHTS; facets are GROUP BY
over all matches with the project's semantics (the specialty facet ignores the specialty
filter, the doctor facet honours it); snippets come from snippet().

Facet counts read a small side table, `facets(rowid, specialty, doctor)`, joined on the
rowid, rather than the UNINDEXED columns: those live in FTS5's content rows behind the
long text, and reading them for thousands of matches made each count ~6x slower (21 ms
against 3.7 ms per query at 10,000 threads). A reference should be set up as someone
who knows SQLite would set it up.

Run as a program (`python -m bench.fts5_reference build ARCHIVE --db PATH`) so the
harness can measure its time and memory the same way as `qasearch reindex`; it prints
one JSON object: threads, parse_errors, parse_s, insert_s, optimize_s, total_s.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.archive.records import Thread
from indexer.archive.sources import read_sources
from search.index.schema import FIELD_WEIGHTS, STOP_WORDS_USED

COLUMNS = ("id", "title", "symptoms", "replies", "more_info", "specialty", "doctor")
# bm25() takes one weight per column in table order; unindexed columns get 0.
BM25_WEIGHTS = tuple(FIELD_WEIGHTS.get(column, 0.0) for column in COLUMNS)
_TOKEN = re.compile(r"\w+")

_CREATE = f"""
CREATE VIRTUAL TABLE threads USING fts5(
    id UNINDEXED, title, symptoms, replies, more_info,
    specialty UNINDEXED, doctor UNINDEXED,
    tokenize = 'porter unicode61'
);
INSERT INTO threads(threads, rank) VALUES ('rank', 'bm25({", ".join(map(str, BM25_WEIGHTS))})');
CREATE TABLE facets (rowid INTEGER PRIMARY KEY, specialty TEXT NOT NULL, doctor TEXT);
"""


@dataclass(frozen=True)
class BuildFigures:
    threads: int
    parse_errors: int
    parse_s: float  # time spent inside the project's parser (read_sources)
    insert_s: float  # FTS5 inserts and the commit, parse time excluded
    optimize_s: float  # FTS5 'optimize': merge into one b-tree, like a final segment merge
    total_s: float  # all of it, in this process (interpreter start-up not included)


def build_fts5(archive: Path, db_path: Path) -> BuildFigures:
    """Parse `archive` with the project's parser and index it into a fresh FTS5 db."""
    db_path.unlink(missing_ok=True)
    start = time.perf_counter()
    db = sqlite3.connect(db_path)
    # Same durability trade as the project's thread store: rebuilt from the archive after
    # a crash. One transaction for the whole load.
    db.execute("PRAGMA journal_mode=MEMORY")
    db.execute("PRAGMA synchronous=OFF")
    db.executescript(_CREATE)
    parse_s = 0.0
    counts = {"threads": 0, "errors": 0}

    def rows() -> Iterator[tuple[str | None, ...]]:
        nonlocal parse_s
        items = iter(read_sources([archive]))
        while True:
            began = time.perf_counter()
            item = next(items, None)
            parse_s += time.perf_counter() - began
            if item is None:
                return
            if not isinstance(item, Thread):
                counts["errors"] += 1
                continue
            counts["threads"] += 1
            yield (
                item.id,
                item.title,
                "\n\n".join(part for part in (item.subject, item.question) if part),
                "\n\n".join(reply.text for reply in item.replies if reply.text),
                item.more_info,
                item.specialty,
                item.doctor,
            )

    with db:
        db.executemany(f"INSERT INTO threads ({', '.join(COLUMNS)}) VALUES (?,?,?,?,?,?,?)", rows())
        db.execute("INSERT INTO facets SELECT rowid, specialty, doctor FROM threads")
    loaded = time.perf_counter()
    with db:
        db.execute("INSERT INTO threads(threads) VALUES ('optimize')")
    db.close()
    end = time.perf_counter()
    return BuildFigures(
        threads=counts["threads"],
        parse_errors=counts["errors"],
        parse_s=parse_s,
        insert_s=loaded - start - parse_s,
        optimize_s=end - loaded,
        total_s=end - start,
    )


def match_expression(text: str) -> str | None:
    """An FTS5 MATCH string that ORs the query's words, each quoted; None if none are left.

    Quoting makes any user text safe (no FTS5 syntax errors, no column filters or NEAR);
    the project's stop words are dropped because its analyzer drops them too, and an OR
    of "the" would match nearly every thread.
    """
    tokens: dict[str, None] = {}
    for token in _TOKEN.findall(text.lower()):
        if token not in STOP_WORDS_USED:
            tokens.setdefault(token, None)
    if not tokens:
        return None
    return " OR ".join(f'"{token}"' for token in tokens)


@dataclass(frozen=True)
class Fts5Hit:
    id: str
    title: str
    specialty: str
    doctor: str | None
    score: float
    snippet: str


@dataclass(frozen=True)
class Fts5Response:
    total: int
    results: tuple[Fts5Hit, ...]
    specialty_counts: dict[str, int]
    doctor_counts: dict[str, int]


class Fts5Engine:
    """Top-N by weighted bm25, facet counts and snippets from the reference db."""

    def __init__(self, db_path: Path) -> None:
        self._db = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)

    def close(self) -> None:
        self._db.close()

    def search(
        self, text: str, specialties: tuple[str, ...] = (), per_page: int = 10
    ) -> Fts5Response:
        expression = match_expression(text)
        if expression is None:
            return Fts5Response(0, (), {}, {})
        return self.search_expression(expression, specialties, per_page)

    def search_expression(
        self, expression: str, specialties: tuple[str, ...] = (), per_page: int = 10
    ) -> Fts5Response:
        """As `search`, for an FTS5 MATCH expression written by the caller (phrases,
        prefixes: bench/attack.py)."""
        where, args = "threads MATCH ?", [expression]
        if specialties:
            where += f" AND specialty IN ({', '.join('?' * len(specialties))})"
            args.extend(specialties)
        rows = self._db.execute(
            "SELECT id, title, specialty, doctor, rank, "
            "snippet(threads, -1, '<mark>', '</mark>', '…', 24) "
            f"FROM threads WHERE {where} ORDER BY rank LIMIT ?",
            (*args, per_page),
        ).fetchall()
        # Each facet ignores its own selection: specialty counts over every match,
        # doctor counts over the matches the specialty filter keeps.
        joined = "FROM threads JOIN facets f ON f.rowid = threads.rowid WHERE threads MATCH ?"
        specialty_counts = dict(
            self._db.execute(
                f"SELECT f.specialty, count(*) {joined} GROUP BY f.specialty", (expression,)
            ).fetchall()
        )
        doctor_filter = (
            f" AND f.specialty IN ({', '.join('?' * len(specialties))})" if specialties else ""
        )
        doctor_counts = dict(
            self._db.execute(
                f"SELECT f.doctor, count(*) {joined}{doctor_filter} AND f.doctor IS NOT NULL "
                "GROUP BY f.doctor",
                args,
            ).fetchall()
        )
        if specialties:
            total = sum(specialty_counts.get(name, 0) for name in specialties)
        else:
            total = sum(specialty_counts.values())
        return Fts5Response(
            total=total,
            results=tuple(Fts5Hit(*row) for row in rows),
            specialty_counts=specialty_counts,
            doctor_counts=doctor_counts,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fts5_reference")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="index an archive into a fresh FTS5 db")
    build.add_argument("archive", type=Path)
    build.add_argument("--db", type=Path, required=True)
    args = parser.parse_args(argv)
    if not args.archive.is_dir():
        parser.error(f"archive {args.archive} is not a directory")
    figures = build_fts5(args.archive, args.db)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v
                      for k, v in figures.__dict__.items()}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
