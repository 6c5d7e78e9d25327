"""Which indexed words carry meaning: what "Similar questions" are found and marked by.

A word is meaningful when it is no everyday filler (filler_words.txt beside this module,
analysed to the index's stems) and when it is not in a large share of the archive's
questions (document frequency): "month" or "went away by itself" say nothing about a
symptom in any archive, while "rash" or "urination" do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources

from whoosh.searching import Searcher

from search.index.schema import text_analyzer

FILLER_FILE = "filler_words.txt"
MAX_SHARE = 0.08  # a word in more of the questions than this is too common to mean much
# ... but in a small archive a share is a handful of threads: any word this rare counts.
ALWAYS_RARE = 30


@cache
def filler_stems() -> frozenset[str]:
    """The indexed forms of the filler words."""
    text = resources.files(__package__).joinpath(FILLER_FILE).read_text(encoding="utf-8")
    words = " ".join(line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(token.text for token in text_analyzer()(words))


class MeaningfulWords:
    """Tells meaningful indexed words of one field from filler, for one opened index."""

    def __init__(
        self, doc_frequency: Callable[[str, str], int], doc_count: int, fieldname: str
    ) -> None:
        self.doc_frequency = doc_frequency
        self.limit = max(ALWAYS_RARE, int(MAX_SHARE * doc_count))
        self.fieldname = fieldname
        self.filler = filler_stems()

    def not_filler(self, stem: str) -> bool:
        return stem not in self.filler and len(stem) >= 3 and not stem.isdigit()

    def __call__(self, stem: str) -> bool:
        return self.not_filler(stem) and self.doc_frequency(self.fieldname, stem) <= self.limit


def meaningful_key_terms(
    searcher: Searcher, doc_frequency: Callable[[str, str], int], text: str, count: int
) -> list[tuple[str, float]]:
    """Up to `count` of the text's key terms (Whoosh's, in the `symptoms` field) that
    carry meaning; in a small or one-topic archive, where every word is common, the key
    terms that are no filler."""
    meaningful = MeaningfulWords(doc_frequency, searcher.doc_count(), "symptoms")
    candidates = searcher.key_terms_from_text("symptoms", text, numterms=count * 3)
    keywords = [(word, weight) for word, weight in candidates if meaningful(word)]
    if not keywords:
        keywords = [(word, weight) for word, weight in candidates if meaningful.not_filler(word)]
    return keywords[:count]
