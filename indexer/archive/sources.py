"""Everything the indexer reads, as one stream of Thread records and ParseErrors.

A source is a page file, a folder of pages (`*.txt`, recursively, hidden files and
folders skipped, in sorted order) or a `.jsonl` file. Threads are yielded one at a time;
only the ids seen so far are kept, to report duplicates.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.archive.files import special_kind
from indexer.archive.jsonl import count_jsonl_lines, read_jsonl_numbered
from indexer.archive.pages import read_page
from indexer.archive.records import ParseError, Thread

PAGE_SUFFIX = ".txt"
JSONL_SUFFIX = ".jsonl"


class SourceError(ValueError):
    """A source given by name can never be read (a FIFO, a device); one line naming it."""


def check_sources(paths: Iterable[Path | str]) -> None:
    """Refuse, before anything is opened, a source that is neither a file nor a folder.

    A FIFO would block the run forever (while holding the reindex lock), a device such
    as /dev/zero never ends. Missing paths pass: read_sources reports them as errors.
    Inside a folder such files are skipped with a reason, like any unreadable page.
    """
    for path in map(Path, paths):
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        kind = special_kind(mode)
        if kind is not None and kind != "a folder":
            raise SourceError(
                f"{path}: {kind}, not a page file, a folder of pages or a .jsonl file"
            )


def read_sources(paths: Iterable[Path | str]) -> Iterator[Thread | ParseError]:
    """Yield every thread of every source, in order, and a ParseError for each bad item.

    A missing path is an error ("no such file or directory"); a thread whose id was
    already read is an error naming where it was first seen.
    """
    first_seen: dict[str, str] = {}
    for path in map(Path, paths):
        for (file, line), item in _read_one_source(path):
            if isinstance(item, ParseError):
                yield item
            elif item.id in first_seen:
                reason = f"duplicate thread id {item.id}, first seen in {first_seen[item.id]}"
                yield ParseError(file, reason, line)
            else:
                first_seen[item.id] = file if line is None else f"{file}:{line}"
                yield item


def count_sources(paths: Iterable[Path | str]) -> int:
    """How many items read_sources will yield: pages plus non-blank JSON Lines lines.

    Cheap (no parsing), meant for progress bars and ETAs; files changing in between make
    it an estimate.
    """
    total = 0
    for path in map(Path, paths):
        if path.is_dir():
            total += sum(1 for _ in iter_page_files(path))
        elif path.suffix.lower() == JSONL_SUFFIX and path.is_file():
            try:
                total += count_jsonl_lines(path)
            except OSError:
                total += 1
        else:
            total += 1  # a page, or a path that yields one error
    return total


def iter_page_files(folder: Path) -> Iterator[Path]:
    """The page files under a folder: `*.txt`, recursively, sorted, hidden names skipped.

    Symlinked folders are not followed (no loops); a folder's own files come before its
    subfolders.
    """
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and name.lower().endswith(PAGE_SUFFIX):
                yield Path(dirpath, name)


def _read_one_source(path: Path) -> Iterator[tuple[tuple[str, int | None], Thread | ParseError]]:
    """(file, line or None) and item for each thing read from one source path."""
    if path.is_dir():
        for page in iter_page_files(path):
            yield (str(page), None), read_page(page)
    elif not path.exists():
        yield (str(path), None), ParseError(str(path), "no such file or directory")
    elif path.suffix.lower() == JSONL_SUFFIX:
        for line_number, item in read_jsonl_numbered(path):
            yield (str(path), line_number or None), item
    else:
        yield (str(path), None), read_page(path)
