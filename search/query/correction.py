"""Automatic spelling correction, or a "did you mean" suggestion, for one search.

A word the index does not know is replaced by the likeliest known spelling (suggest.py;
never a word of a known name). The engine runs the corrected query instead of the typed
one, and says so (`corrected`), when it finds clearly more: more threads in all, and
every replaced word, found in no thread as typed, is found in MIN_CORRECTED_THREADS or
more once corrected ("pnemonia cough" finds the coughs; corrected, the pneumonias too).
When it finds more, but not clearly, the correction is offered as a suggestion; otherwise
nothing. `exact` searches as typed and at most suggests.

Correcting costs tens of ms for a long pasted question (one edit-distance automaton per
unknown word), so only short queries, or ones that found little, are looked at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from search.query.suggest import Speller

SUGGEST_BELOW = 3  # look for a correction when a query finds fewer threads than this
# ... and for any short query with a misspelt word ("pnemonia cough" finds the coughs,
# but the asker meant pneumonia).
SUGGEST_ALWAYS_WORDS = 6
MIN_CORRECTED_THREADS = 2  # a correction found in fewer threads is only suggested


@dataclass(frozen=True)
class Correction:
    corrected: str | None = None  # run instead of the query as typed
    suggestion: str | None = None  # only offered


def correct(
    text: str,
    total: int,
    speller: Speller,
    count: Callable[[str], int],
    exact: bool = False,
    keep: frozenset[str] | set[str] = frozenset(),
) -> Correction:
    """What to do about the spelling of `text`, which found `total` threads; `count`
    gives the number of threads another query text finds (with the same filters). Stems
    in `keep` (words of a lay phrase the synonyms know: "throwing up") are never
    corrected, even when the archive itself never uses them."""
    if total >= SUGGEST_BELOW and len(text.split()) > SUGGEST_ALWAYS_WORDS:
        return Correction()
    better, threads = speller.corrections(text, keep)
    if better is None:
        return Correction()
    if count(better) <= total:
        return Correction()
    if not exact and min(threads) >= MIN_CORRECTED_THREADS:
        return Correction(corrected=better)
    return Correction(suggestion=better)
