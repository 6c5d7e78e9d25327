""""Did you mean": correct misspelt words from the index's own vocabulary.

Candidates come from the unstemmed words of titles and questions (the schema's
`spell_title` / `spell_symptoms` fields) within a small edit distance; the one whose
stem occurs in the most threads wins. Only words the index does not know are changed
(a word of any doctor's or specialty's name is known: `Shih` is never "corrected" to
`shin`), and the engine shows a suggestion only when it finds more than the original.
"""

from __future__ import annotations

import re

from whoosh.fields import Schema
from whoosh.reading import IndexReader

from search.index.schema import SCHEMA
from search.query.names import NAME_FIELDS

SPELLING_FIELDS = ("symptoms", "title")
# Letters only, 3 to 24 of them: numbers, short words, field names and junk are left
# alone (building an edit-distance automaton for a 5,000-letter "word" takes seconds).
_WORD = re.compile(r"(?<![\w:*~])([^\W\d_]{3,24})(?![\w:*~])", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT", "TO"}
MAX_CORRECTED_WORDS = 8  # bounds the cost for a long pasted question


class Speller:
    """Suggests corrected queries against one index reader."""

    def __init__(self, reader: IndexReader, schema: Schema = SCHEMA) -> None:
        self.reader = reader
        self.schema = schema
        self.analyzer = schema[SPELLING_FIELDS[0]].analyzer
        self.name_analyzer = schema[NAME_FIELDS[0]].analyzer

    def suggest(self, text: str) -> str | None:
        """`text` with unknown words replaced by their likeliest known spelling, or None."""
        return self.corrections(text)[0]

    def corrections(
        self, text: str, keep: frozenset[str] | set[str] = frozenset()
    ) -> tuple[str | None, list[int]]:
        """`suggest(text)`, and for each word replaced, in how many threads (title or
        question) its replacement occurs. Words whose stem is in `keep` are left alone."""
        changed = False
        corrections = 0
        found: list[int] = []

        def replace(match: re.Match[str]) -> str:
            nonlocal changed, corrections
            word = match.group(1)
            if word in _OPERATORS or corrections >= MAX_CORRECTED_WORDS:
                return word
            stem = self._stem(word)
            if (stem is None or stem in keep or self._frequency(stem) > 0
                    or self.is_name_word(word)):
                return word
            corrections += 1
            better = self.correct(word.lower())
            if better is None:
                return word
            changed = True
            found.append(self._frequency(self._stem(better) or better))
            return better

        suggestion = _WORD.sub(replace, text)
        return (suggestion, found) if changed else (None, [])

    def correct(self, word: str) -> str | None:
        """The known word closest to `word` (edit distance 1, then 2), most frequent first."""
        for maxdist in (1, 2) if len(word) >= 5 else (1,):
            candidates: set[str] = set()
            for field in SPELLING_FIELDS:
                fieldname = self.schema[field].spelling_fieldname(field)
                if fieldname not in self.schema:
                    continue
                candidates.update(self.reader.terms_within(fieldname, word, maxdist, prefix=1))
            scored = []
            for candidate in candidates:
                stem = self._stem(candidate)
                if stem is not None and candidate != word:
                    scored.append((-self._frequency(stem), candidate))
            scored = [s for s in scored if s[0] < 0]
            if scored:
                return min(scored)[1]
        return None

    def is_name_word(self, word: str) -> bool:
        """A word of some doctor's or specialty's name (lower case, accents folded)."""
        folded = [t.text for t in self.name_analyzer(word, mode="query")]
        return len(folded) == 1 and any((field, folded[0]) in self.reader for field in NAME_FIELDS)

    def _stem(self, word: str) -> str | None:
        tokens = [t.text for t in self.analyzer(word, mode="query")]
        return tokens[0] if len(tokens) == 1 else None

    def _frequency(self, stem: str) -> int:
        return sum(self.reader.doc_frequency(field, stem) for field in SPELLING_FIELDS)
