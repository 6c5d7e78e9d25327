"""Doctors' and specialties' names typed as plain text: `Wu Yuxin`, `Dr. Shih Guoliang`,
`dermatology`.

The index's name fields (`doctor_names`: every replying doctor; `specialty_name`) are
analysed without stemming, lower case and accents folded. The names known are the
values of the doctor and specialty facets; where a query's words (analysed the same
way) spell a whole known name, that name is looked for in its field, as a term or a
phrase, so `Wu Yuxin` finds the threads Dr. Wu Yuxin replied to (first or later), not
every Wu's and every Yuxin's. Words that merely occur in some name ("heart" of a
"Heart, Lung, and Blood Institute") are not names: the benchmark lost 18 questions when
they were searched as such. A name weighs NAME_WEIGHT: enough to put a Dermatology
rash first for `rash dermatology`, well below a symptom word in a title (3.0) and the
question (2.5) together, so a name never drowns the symptoms typed beside it.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import query as q
from whoosh.fields import Schema
from whoosh.reading import IndexReader

from search.index.schema import SCHEMA, STOP_WORDS_USED

NAME_FIELDS = ("doctor_names", "specialty_name")
NAME_WEIGHT = 2.0
MAX_NAME_WORDS = 4  # the longest name run searched as a phrase; longer runs word by word
MAX_SCANNED_WORDS = 64  # query words looked at (a pasted page is not a list of names)
MIN_SINGLE_WORD_CHARS = 3  # "Dr", "of", initials: too short to be a name on their own


class NameFinder:
    """Finds whole known names in a query, for one index reader."""

    def __init__(
        self,
        reader: IndexReader,
        known: dict[str, Iterable[str]] | None = None,
        schema: Schema = SCHEMA,
    ) -> None:
        """`known`: name field -> the names it holds (the facet values)."""
        self.reader = reader
        self.analyzer = schema[NAME_FIELDS[0]].analyzer
        self._known: dict[tuple[str, ...], set[str]] = {}
        for field, names in (known or {}).items():
            for name in names:
                words = tuple(self.name_words(name))
                if 0 < len(words) <= MAX_NAME_WORDS and not (
                    len(words) == 1
                    and (len(words[0]) < MIN_SINGLE_WORD_CHARS or words[0] in STOP_WORDS_USED)
                ):
                    self._known.setdefault(words, set()).add(field)

    def name_words(self, text: str) -> list[str]:
        """The words as the name fields index them (lower case, accents folded)."""
        tokens = (token.text for token in self.analyzer(text, mode="query"))
        return [token for _, token in zip(range(MAX_SCANNED_WORDS), tokens, strict=False)]

    def clauses(self, text: str, weight: float = NAME_WEIGHT) -> list[q.Query]:
        """A term (one word) or phrase clause for each whole known name in `text`,
        longest names first, each query word used by one name at most."""
        if not self._known:
            return []
        words = self.name_words(text)
        used = [False] * len(words)
        found: list[q.Query] = []
        for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(used[start:start + size]):
                    continue
                name = tuple(words[start:start + size])
                for field in sorted(self._known.get(name, ())):
                    found.append(
                        q.Term(field, name[0], boost=weight) if size == 1
                        else q.Phrase(field, list(name), boost=weight)
                    )
                    used[start:start + size] = [True] * size
        return found
