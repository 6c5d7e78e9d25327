"""`qasearch parse`: archive pages / JSON Lines -> one JSON thread a line on stdout."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from indexer.archive.records import ParseError
from indexer.archive.sources import read_sources


@click.command("parse")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
def parse_command(sources: tuple[Path, ...]) -> None:
    """Parse SOURCES (page files, folders of pages, .jsonl files) into JSON Lines.

    Each thread goes to stdout as one JSON object a line (re-readable as a .jsonl source);
    each unreadable page or line goes to stderr as `path: reason`. Exits 1 when anything
    failed, 0 otherwise.
    """
    failures = 0
    out = sys.stdout
    try:
        for item in read_sources(sources):
            if isinstance(item, ParseError):
                failures += 1
                click.echo(str(item), err=True)
            else:
                out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:
        # The reader (`| head`) went away: stop quietly, and keep Python's exit-time
        # flush of stdout from raising the same error again.
        _silence_stdout()
        sys.exit(1)
    if failures:
        sys.exit(1)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a real file descriptor (tests)
        pass
