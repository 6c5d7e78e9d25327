"""What one search may spend, and whether it had to stop short.

A query's cost must not depend on what an attacker types: the words are bounded when
the query is built (search/query/), and the work that grows with the archive is
counted while it runs. Three kinds of work are counted, each with a limit per search:

- terms that prefixes, wildcards and fuzzy words stand for (`co*` is an OR of terms),
  and lexicon entries looked at to find them;
- posting blocks decoded for terms not in the posting cache (up to 128 postings each);
- position lists read to check phrases (one per document and word checked), and the
  posting blocks decoded to reach them (up to 128 documents' positions each);
- wall time, checked before each expansion and each phrase: the safety net for what the
  counts miss (a busy machine, a slow disk).

When a limit is reached the search stops doing that kind of work and answers with what
it has: remaining expansions are searched as the word typed, remaining phrase
candidates are left out (or, under NOT, left in), and the response says `partial`.
Plain words are cut only by the posting-block count, which a normal query (a dozen
words at most, see MAX_QUERY_WORDS) stays far below once its words are in the cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

SEARCH_TIME_BUDGET_S = 0.25  # a search is milliseconds; past this it answers with what it has
MAX_POSITION_READS = 12_000  # (document, word) position lists one search may read for phrases
MAX_POSITION_BLOCKS = 200  # posting blocks it may decode to reach them (~0.2 ms each)
MAX_QUERY_EXPANSIONS = 100  # terms all prefix/wildcard/fuzzy parts of one query stand for
MAX_QUERY_SCANNED_TERMS = 3_000  # lexicon entries all those parts may look at together
MAX_POSTING_BLOCKS = 1_000  # posting blocks decoded for uncached terms (~0.06 ms each)


@dataclass(frozen=True)
class SearchLimits:
    """The limits every search of an engine runs under (see the module docstring)."""

    seconds: float | None = SEARCH_TIME_BUDGET_S  # None: no deadline
    position_reads: int = MAX_POSITION_READS
    position_blocks: int = MAX_POSITION_BLOCKS
    expansions: int = MAX_QUERY_EXPANSIONS
    scanned_terms: int = MAX_QUERY_SCANNED_TERMS
    posting_blocks: int = MAX_POSTING_BLOCKS

    def start(self, clock: Callable[[], float] = time.monotonic) -> SearchBudget:
        """A fresh budget for one search, its clock running from now."""
        return SearchBudget(self, clock)


UNLIMITED = SearchLimits(seconds=None, position_reads=2**62, position_blocks=2**62,
                         expansions=2**62, scanned_terms=2**62, posting_blocks=2**62)


@dataclass
class SearchBudget:
    """The running account of one search: what is left, what was used, what was cut."""

    limits: SearchLimits = field(default_factory=SearchLimits)
    clock: Callable[[], float] = time.monotonic
    # What was used (read by tests and benchmarks; never reset during a search).
    position_reads: int = 0
    position_blocks: int = 0
    documents_checked: int = 0  # phrase candidates whose positions were read
    expansions: int = 0
    scanned_terms: int = 0
    posting_blocks: int = 0
    cut: set[str] = field(default_factory=set)  # kinds of work stopped short
    # Phrase match sets found during this search, so ranking reuses them, complete or not.
    phrase_matches: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seconds = self.limits.seconds
        self.deadline = None if seconds is None else self.clock() + seconds

    @property
    def partial(self) -> bool:
        """True when some work was stopped short: the answer may be incomplete."""
        return bool(self.cut)

    def expired(self) -> bool:
        """Past the deadline: the work the caller was about to start is to be skipped
        (and the caller notes what it skipped in `cut`)."""
        return self.deadline is not None and self.clock() > self.deadline

    def position_reads_left(self) -> int:
        return max(0, self.limits.position_reads - self.position_reads)

    def position_blocks_left(self) -> int:
        return max(0, self.limits.position_blocks - self.position_blocks)

    def expansions_left(self) -> int:
        return max(0, self.limits.expansions - self.expansions)

    def scanned_terms_left(self) -> int:
        return max(0, self.limits.scanned_terms - self.scanned_terms)

    def posting_blocks_left(self) -> int:
        return max(0, self.limits.posting_blocks - self.posting_blocks)
