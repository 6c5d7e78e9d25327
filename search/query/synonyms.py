"""Lay words and the clinical words doctors answer with, in both directions, as
analysed token sequences: "pee" finds "urination", "throwing up" finds "vomiting" and
"vomiting" finds "throwing up".

Porter stemming joins only some forms (itching/itches -> itch, but itchy -> itchi), and
patients and doctors rarely use the same words. The groups come from vocabulary.py (HPO's
layperson synonyms, the project's list, an operator's file). Every entry of a group is
analysed with the index's own analyzer, so it maps exactly the terms that are indexed;
a query's analysed words are matched against the entries (longest first, up to
MAX_PHRASE_WORDS words), and each match adds the group's other entries: one word as a
term, several as a phrase, at SYNONYM_WEIGHT of the words typed (plain.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

SYNONYM_WEIGHT = 0.5  # relative to the word typed
MAX_PHRASE_WORDS = 4  # longer entries ("small end part of long bone in upper arm") are left out
MAX_EXPANSIONS = 24  # other entries added to one query: bounded work for a pasted page

Form = tuple[str, ...]  # an entry as analysed tokens


class SynonymTable:
    """Analysed entry -> the analysed forms of the other entries of its groups."""

    def __init__(self, analyse: Callable[[str], list[str]],
                 groups: Iterable[Sequence[str]] = ()) -> None:
        self._analyse = analyse
        self._others: dict[Form, set[Form]] = {}
        self.longest = 0
        self.add(groups)

    def add(self, groups: Iterable[Sequence[str]]) -> None:
        for group in groups:
            forms = {tuple(self._analyse(entry)) for entry in group}
            forms = {form for form in forms if 0 < len(form) <= MAX_PHRASE_WORDS}
            if len(forms) < 2:
                continue
            for form in forms:
                self._others.setdefault(form, set()).update(forms - {form})
                self.longest = max(self.longest, len(form))

    def copy(self) -> SynonymTable:
        table = SynonymTable(self._analyse)
        table._others = {form: set(others) for form, others in self._others.items()}
        table.longest = self.longest
        return table

    def others(self, term: str) -> list[str]:
        """The single-word entries meaning the same as the one word `term`, sorted."""
        return sorted(form[0] for form in self._others.get((term,), ()) if len(form) == 1)

    def expansions(
        self, sequence: Sequence[str], limit: int = MAX_EXPANSIONS
    ) -> list[tuple[Form, Form]]:
        """(matched span, other form) pairs for a query's analysed words, in query order,
        longer spans first at each position; a form already in the query is not added."""
        typed = set(sequence)
        found: dict[Form, Form] = {}  # other form -> the span that brought it
        for start in range(len(sequence)):
            for size in range(min(self.longest, len(sequence) - start), 0, -1):
                span = tuple(sequence[start:start + size])
                for other in sorted(self._others.get(span, ())):
                    if other in found or (len(other) == 1 and other[0] in typed):
                        continue
                    found[other] = span
                    if len(found) >= limit:
                        return [(span, other) for other, span in found.items()]
        return [(span, other) for other, span in found.items()]

    def __len__(self) -> int:
        return len(self._others)
