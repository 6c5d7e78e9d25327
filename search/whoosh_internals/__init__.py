"""Everything that depends on Whoosh 2.7.4's private internals, and nothing else.

An upgrade of Whoosh touches only this folder. Each module reaches past Whoosh's public
API for speed or memory, and each has an equivalence test that fails if Whoosh changes
under it:

- column_bytes.py: a segment's ID/KEYWORD column read as one block of bytes
  (tests/search/test_search_facet_columns.py compares it with the public column reader);
- cached_analysis.py: the analyzer chain run once per distinct word
  (tests/indexer/test_fast_segment_writer.py compares its tokens with the chain's);
- fast_segment_writer.py: SegmentWriter without per-posting bookkeeping, same bytes
  (tests/indexer/test_fast_segment_writer.py);
- mapped_storage.py: zero-copy mapped index files for web workers
  (tests/search/test_search_mapped_storage.py);
- positions.py: word positions of chosen documents, a posting block at a time
  (tests/search/test_search_phrases.py compares every phrase with Whoosh's).

Importing this package checks that the installed Whoosh is the version these were
written against (pinned in pyproject.toml), so a silent upgrade fails at once.
"""

from __future__ import annotations

import whoosh

WHOOSH_VERSION = (2, 7, 4)

if tuple(whoosh.__version__[:3]) != WHOOSH_VERSION:
    raise ImportError(
        f"search.whoosh_internals was written against Whoosh "
        f"{'.'.join(map(str, WHOOSH_VERSION))}, but Whoosh {whoosh.versionstring()} is "
        "installed: re-run its equivalence tests and update WHOOSH_VERSION"
    )
