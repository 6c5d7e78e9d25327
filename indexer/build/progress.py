"""Reindex progress: a tqdm bar on a terminal, nothing while running otherwise.

The one summary line at the end is printed by the CLI from the ReindexSummary, so logs
and CI output get exactly one line per run.
"""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm


class ReindexProgress:
    """A `progress(done, skipped)` callable for the reindex functions."""

    def __init__(self, total: int | None = None, stream: TextIO | None = None,
                 desc: str = "indexing") -> None:
        stream = stream or sys.stderr
        self.bar: tqdm | None = None
        if stream.isatty():
            self.bar = tqdm(
                total=total, unit=" threads", unit_scale=True, file=stream,
                desc=desc, dynamic_ncols=True, smoothing=0.1,
            )

    def __call__(self, done: int, skipped: int) -> None:
        if self.bar is None:
            return
        self.bar.update(done - self.bar.n)
        if skipped:
            self.bar.set_postfix(skipped=skipped, refresh=False)

    def encoding(self, done: int, total: int) -> None:
        """The `progress(done, total)` of vector encoding (vector_build.VectorProgress)."""
        if self.bar is None:
            return
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> ReindexProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
