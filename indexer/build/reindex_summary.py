"""What a reindex run reports, and the intake that filters its input.

ReindexSummary is what the public reindex functions return and the CLI prints; the
intake turns the source stream into threads while collecting the pages it skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.archive.records import ParseError, Thread, unservable_id

# progress(threads_done, skipped_so_far), called every batch.
Progress = Callable[[int, int], None]

class ReindexError(RuntimeError):
    """The run failed and changed nothing live; the message says why and what to do."""


class StrictModeError(ReindexError):
    """strict=True and a source could not be read."""

    def __init__(self, error: ParseError) -> None:
        super().__init__(
            f"strict mode: {error}; the live index is unchanged "
            "(fix or remove the page, or run without --strict to skip bad pages)"
        )
        self.error = error


@dataclass
class ReindexSummary:
    mode: str  # "full" or "incremental"
    index_dir: Path
    generation: str
    threads: int  # threads in the live index after the run
    written: int = 0  # documents written by this run
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[ParseError] = field(default_factory=list)
    elapsed: float = 0.0
    removed: list[str] = field(default_factory=list)  # generations and debris deleted
    lexical_elapsed: float | None = None  # until the lexical generation was live
    vectors: str | None = None  # what the run did about sentence vectors

    @property
    def threads_per_second(self) -> float:
        return self.written / self.elapsed if self.elapsed > 0 else 0.0

    def skipped_by_reason(self) -> dict[str, int]:
        """Skipped sources counted by kind of reason (see reason_group), most first."""
        return dict(Counter(reason_group(error.reason) for error in self.skipped).most_common())

    def skipped_text(self) -> str:
        if not self.skipped:
            return "0 skipped"
        reasons = ", ".join(f"{n} {reason}" for reason, n in self.skipped_by_reason().items())
        return f"{len(self.skipped)} skipped: {reasons}"

    def describe(self) -> str:
        """The one-line summary printed after a run."""
        if self.mode == "full":
            done = f"indexed {self.written} threads"
        else:
            done = (
                f"incremental: {self.added} added, {self.updated} updated, "
                f"{self.deleted} deleted, {self.unchanged} unchanged"
            )
        rate = f" ({self.threads_per_second:,.0f} threads/s)" if self.mode == "full" else ""
        vectors = f"; {self.vectors}" if self.vectors else ""
        return (
            f"{done}; {self.skipped_text()}; {self.elapsed:.1f}s{rate}{vectors}; "
            f"live generation {self.generation} has {self.threads} threads"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "index_dir": str(self.index_dir),
            "generation": self.generation,
            "threads": self.threads,
            "written": self.written,
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "skipped_by_reason": self.skipped_by_reason(),
            "elapsed_seconds": round(self.elapsed, 3),
            "threads_per_second": round(self.threads_per_second, 1),
        }


def reason_group(reason: str) -> str:
    """The kind of a ParseError reason, without its particulars: numbers become N and any
    detail after ':', '(' or ',' is dropped, so "binary file (12% control characters)"
    and "binary file (40% ...)" count together."""
    if "duplicate thread id" in reason:
        return "duplicate thread id"
    if " cap" in reason:
        return "over the size cap"
    generic = re.sub(r"\d[\d,]*\d|\d", "N", reason)
    return re.split(r"[:(,]", generic, maxsplit=1)[0].strip() or reason


class SourceIntake:
    """Filters the source stream: keeps threads, collects ParseErrors, drops duplicate ids."""

    def __init__(self, items: Iterable[Thread | ParseError], strict: bool) -> None:
        self.items = items
        self.strict = strict
        self.skipped: list[ParseError] = []
        self.first_source: dict[str, str | None] = {}

    def threads(self) -> Iterator[Thread]:
        for item in self.items:
            if isinstance(item, ParseError):
                self._skip(item)
            elif (refused := unservable_id(item.id)) is not None:
                # Records built in Python skip the readers' check: listed implies reachable.
                self._skip(ParseError(item.source or "<records>", refused))
            elif item.id in self.first_source:
                self._skip(
                    ParseError(
                        item.source or item.id,
                        f"duplicate thread id: {item.id} was already read from "
                        f"{self.first_source[item.id] or 'an earlier record'}",
                    )
                )
            else:
                self.first_source[item.id] = item.source
                yield item

    def _skip(self, error: ParseError) -> None:
        if self.strict:
            raise StrictModeError(error)
        self.skipped.append(error)
