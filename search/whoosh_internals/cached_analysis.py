"""A text analyzer that gives exactly the tokens of its Whoosh filter chain, faster.

Whoosh runs every token through a chain of generators (tokenizer, lower case, accent
folding, stop words, stemming): most of a reindex's time went there. The same raw word
always comes out the same, so this analyzer runs the chain once per distinct raw word
and remembers the result (a stemmed form, or None for a stop word). Positions follow
Whoosh's StopFilter exactly (renumbered, stop words leave no gaps; the first kept token
keeps its own position).

Calls the cache cannot serve the same way (character offsets for highlighting, keeping
stop words, untokenized values) go through the ordinary chain, so every caller gets
identical tokens either way; tests/indexer compare the two on varied text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import CompositeAnalyzer, RegexTokenizer, Token

# Distinct raw words remembered before the memo starts over (a bound on memory; an
# archive's vocabulary, misspellings included, is well under this).
CACHE_LIMIT = 400_000
_MISSING = object()


class CachedTextAnalyzer(CompositeAnalyzer):
    """CompositeAnalyzer(RegexTokenizer, filters...) with a per-word memo."""

    def __init__(self, *composables: Any) -> None:
        super().__init__(*composables)
        if not isinstance(self.items[0], RegexTokenizer) or self.items[0].gaps:
            raise TypeError("CachedTextAnalyzer needs a RegexTokenizer (gaps=False) first")
        if self.items[0].expression.groups:
            raise TypeError("the token pattern must not capture groups (findall is used)")
        self._reset()

    def _reset(self) -> None:
        self._forms: dict[str, str | None] = {}
        self._unmorphed: dict[str, str | None] = {}

    def __getstate__(self) -> dict[str, Any]:
        # The schema is pickled into every index's table of contents: leave the memo out.
        state = self.__dict__.copy()
        state.pop("_forms", None)
        state.pop("_unmorphed", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._reset()

    def __call__(  # type: ignore[override]
        self,
        value: str,
        no_morph: bool = False,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        if chars or keeporiginal or not removestops or not tokenize:
            return super().__call__(
                value, no_morph=no_morph, positions=positions, chars=chars,
                keeporiginal=keeporiginal, removestops=removestops, start_pos=start_pos,
                start_char=start_char, tokenize=tokenize, mode=mode, **kwargs,
            )
        return self._memoized(value, no_morph, positions, start_pos, mode, kwargs)

    def _memoized(
        self, value: str, no_morph: bool, positions: bool, start_pos: int, mode: str,
        kwargs: dict[str, Any],
    ) -> Iterator[Token]:
        token = Token(positions, False, removestops=True, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        pos = None
        for index, raw in enumerate(self.items[0].expression.findall(value)):
            form = self._cached_form(raw, no_morph)
            if form is None:
                continue
            if positions:
                pos = start_pos + index if pos is None else pos + 1
                token.pos = pos
            token.text = form
            yield token

    def positions_by_word(self, value: str) -> dict[str, list[int]]:
        """Each indexed form in `value` with its positions, as Positions.word_values
        collects them from `self(value, positions=True)`: the indexer's fast path."""
        forms = self._forms
        result: dict[str, list[int]] = {}
        pos = None
        for index, raw in enumerate(self.items[0].expression.findall(value)):
            form = forms.get(raw, _MISSING)
            if form is _MISSING:
                form = self._normalise(raw, False)
                if len(forms) >= CACHE_LIMIT:
                    forms.clear()
                forms[raw] = form
            if form is None:
                continue
            pos = index if pos is None else pos + 1
            found = result.get(form)
            if found is None:
                result[form] = [pos]
            else:
                found.append(pos)
        return result

    def unmorphed_words(self, value: str) -> set[str]:
        """The distinct forms of `self(value, no_morph=True)`: the words a spelling
        field indexes (Whoosh's FieldType.spellable_words, unsorted)."""
        raws = set(self.items[0].expression.findall(value))
        words = {self._cached_form(raw, True) for raw in raws}
        words.discard(None)
        return words

    def _cached_form(self, raw: str, no_morph: bool) -> str | None:
        """`_normalise`, remembered. positions_by_word spells it out instead: it runs
        for each word of the whole archive at reindex, where a call per word is not free."""
        forms = self._unmorphed if no_morph else self._forms
        form = forms.get(raw, _MISSING)
        if form is _MISSING:
            form = self._normalise(raw, no_morph)
            if len(forms) >= CACHE_LIMIT:
                forms.clear()
            forms[raw] = form
        return form

    def _normalise(self, raw: str, no_morph: bool) -> str | None:
        """What the filter chain makes of one raw word: its form, or None if stopped."""
        texts = [t.text for t in super().__call__(raw, no_morph=no_morph)]
        if len(texts) > 1:  # cannot happen for a whole regex match; be exact anyway
            raise ValueError(f"{raw!r} is more than one token")
        return texts[0] if texts else None
