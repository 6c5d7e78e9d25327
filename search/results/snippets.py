"""Result snippets: the best short passage of the question or a reply, words marked.

Made only for the hits shown, from stored text, with the query's own indexed terms: the
text is analysed with the field's analyzer (so `itching` in the text is marked for the
query word `itches`), matched words are wrapped in <mark>, everything else is escaped,
and bleach guarantees that nothing else survives as markup.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Sequence

from bleach.sanitizer import Cleaner
from whoosh.analysis import Analyzer
from whoosh.support.charset import accent_map

from search.index.schema import CJK, TOKEN_PATTERN, text_analyzer

SNIPPET_CHARS = 240  # length of the passage shown
MAX_ANALYZED_CHARS = 3000  # only the start of a long text is analysed: bounded cost
MAX_MARKED_CHARS = 50_000  # the same bound for a whole text on the thread page
_SPACES = re.compile(r"\s+")
# A blank line parts the asker's subject from the question: shown as a dash, not run on.
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*\n\s*")
_TOKEN = re.compile(TOKEN_PATTERN)
_CJK_CHAR = re.compile(f"[{CJK}]")
_WORD_CHAR = re.compile(rf"[^\W{CJK}]")  # a letter that runs on in a word token
# Building a bleach Cleaner (an html5lib parser) costs ~1 ms; one per thread is reused,
# as a Cleaner must not be shared between threads.
# Every snippet goes through bleach; a page's snippets go through it in one call, joined
# by a character that bleach leaves alone and that is removed from the text beforehand
# (one call costs a little more than one snippet, ten calls ten times that).
_SEPARATOR = "\u2063"  # INVISIBLE SEPARATOR
# The marks go through bleach as two private-use characters and become <mark> and
# </mark> after it: bleach's parser spends ~40 us on each pair of real tags (1.8 of
# 2.1 ms for a page of ten snippets), nothing on a character. The text around them is
# cleaned by bleach all the same; the characters are removed from archive text first,
# so the only marks are the ones made here, each opened and closed.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_RESERVED = str.maketrans({_SEPARATOR: None, _MARK_OPEN: None, _MARK_CLOSE: None})
_MARK_TAG = re.compile(r"</?mark>")
_cleaners = threading.local()


class Snippets:
    """Makes snippets with one analyzer; remembers each word's indexed form."""

    def __init__(self, analyzer: Analyzer | None = None, width: int = SNIPPET_CHARS) -> None:
        self.analyzer = analyzer or text_analyzer()
        self.width = width
        self._indexed: dict[str, str | None] = {}

    def make(self, texts: Sequence[str], terms: set[str]) -> str:
        """Safe HTML for the best passage of `texts` (see `build`)."""
        return _sanitize_built([self.build(texts, terms)])[0]

    def make_many(self, items: Sequence[tuple[Sequence[str], set[str]]]) -> list[str]:
        """Safe HTML for several hits' (texts, terms): one bleach pass for all."""
        return _sanitize_built([self.build(texts, terms) for texts, terms in items])

    def build(self, texts: Sequence[str], terms: set[str]) -> str:
        """The best passage of `texts` (question first, then replies): escaped text with
        the marks as _MARK_OPEN / _MARK_CLOSE, still to be sanitized (_sanitize_built).

        The passage with the most distinct query terms wins (ties: the earlier text);
        when no text contains a term, the start of the first non-empty text is shown.
        """
        best: tuple[int, int, str, list[tuple[int, int]]] | None = None
        for text in texts:
            if not text or not terms:
                continue
            hits = self._term_hits(text[:MAX_ANALYZED_CHARS], terms)
            if not hits:
                continue
            distinct, count, spans = _best_window(hits, self.width)
            if best is None or (distinct, count) > best[:2]:
                best = (distinct, count, text, spans)
        if best is None:
            first = next((t for t in texts if t and t.strip()), "")
            return _render(first, 0, min(len(first), self.width), [])
        _, _, text, spans = best
        start, end = _passage_bounds(text, spans, self.width)
        return _render(text, start, end, spans)

    def mark_all(self, texts: Sequence[str], terms: set[str]) -> list[str]:
        """Safe HTML for each whole text: escaped, every word of `terms` in <mark> (the
        thread page, reached from a search, shows why it matched). Only the first
        MAX_MARKED_CHARS of a text are looked at: bounded work for a hostile page."""
        fragments = []
        for text in texts:
            spans = []
            if terms and text:
                spans = [(start, end) for start, end, _ in self._term_hits(
                    text[:MAX_MARKED_CHARS], terms)]
            fragments.append(_render(text, 0, len(text), spans, collapse=False))
        return _sanitize_built(fragments)

    def _term_hits(self, text: str, terms: set[str]) -> list[tuple[int, int, str]]:
        # Tokenise with the analyzer's own pattern, but run the (slow, per-token) filter
        # chain only on words that could stem to a term: a stem keeps its word's first
        # letters, so a word not starting like any term cannot match.
        prefixes = tuple({term[:3] for term in terms})
        hits = []
        folded = _folded(text)
        if folded is not None:  # tokens of the folded text are the folded tokens
            # Only where a prefix starts a token: the regex engine finds the prefixes,
            # instead of a Python loop over every token (most of a results page's snippet
            # time went to words that could not match).
            starts = re.compile("(?=" + "|".join(map(re.escape, sorted(prefixes))) + ")")
            for found in starts.finditer(folded):
                start = found.start()
                if not _starts_token(folded, start):
                    continue
                match = _TOKEN.match(folded, start)
                word = match.group() if match else ""
                if word.startswith(prefixes):
                    indexed = self._indexed_form(word)
                    if indexed in terms:
                        hits.append((start, match.end(), indexed))
            return hits
        for match in _TOKEN.finditer(text):
            word = match.group().lower().translate(accent_map)
            if not word.startswith(prefixes):
                continue
            indexed = self._indexed_form(word)
            if indexed in terms:
                hits.append((match.start(), match.end(), indexed))
        return hits

    def _indexed_form(self, word: str) -> str | None:
        if word not in self._indexed:
            if len(self._indexed) > 100_000:  # bounded in a long-lived worker
                self._indexed.clear()
            tokens = [token.text for token in self.analyzer(word, mode="query")]
            self._indexed[word] = tokens[0] if len(tokens) == 1 else None
        return self._indexed[word]


def _starts_token(text: str, at: int) -> bool:
    """Does a token of TOKEN_PATTERN start at `at`, as the tokenizer goes left to right?
    A CJK character is a token of its own; a word runs on over letters, and over an
    apostrophe or a full stop between letters ("it's", "e.g")."""
    if at == 0 or _CJK_CHAR.match(text, at):
        return True
    before = text[at - 1]
    if _WORD_CHAR.match(before):
        return False
    return not (before in "'." and at > 1 and _WORD_CHAR.match(text[at - 2]))


def _fold(text: str) -> str:
    return text.lower().translate(accent_map)


# Characters whose folding is not one word character for one, or one separator for one
# (a few combining marks fold to letters; "İ" lowers to two characters): a text holding
# one is tokenised word by word, as the analyzer does.
_UNFOLDABLE_CHARS = "".join(
    char for char in map(chr, accent_map)
    if bool(_TOKEN.fullmatch(char)) != bool(_TOKEN.fullmatch(_fold(char)))
) + "\u0130"
_UNFOLDABLE = re.compile(f"[{re.escape(_UNFOLDABLE_CHARS)}]")


def _folded(text: str) -> str | None:
    """`text` lower-cased and accent-folded in one pass, character for character, so
    its tokens and their offsets are the text's own; None where that does not hold.
    Folding each word instead cost two calls a word, a third of a results page's
    snippet work."""
    if _UNFOLDABLE.search(text):
        return None
    folded = _fold(text)
    return folded if len(folded) == len(text) else None


def make_snippet(
    texts: Sequence[str],
    terms: set[str],
    analyzer: Analyzer | None = None,
    width: int = SNIPPET_CHARS,
) -> str:
    """One-off snippet (see Snippets.make); the engine keeps a Snippets per process."""
    return Snippets(analyzer, width).make(texts, terms)


def _best_window(
    hits: list[tuple[int, int, str]], width: int
) -> tuple[int, int, list[tuple[int, int]]]:
    """The run of hits fitting in `width` chars with the most distinct terms."""
    best = (0, 0, 0, 0)  # distinct, count, first, last (exclusive)
    last = 0
    for first in range(len(hits)):
        last = max(last, first + 1)
        while last < len(hits) and hits[last][1] - hits[first][0] <= width:
            last += 1
        window = hits[first:last]
        score = (len({h[2] for h in window}), len(window))
        if score > best[:2]:
            best = (*score, first, last)
    distinct, count, first, last = best
    return distinct, count, [(start, end) for start, end, _ in hits[first:last]]


def _passage_bounds(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """Centre the marked words in a `width`-char passage, cut at word boundaries."""
    span_start, span_end = spans[0][0], spans[-1][1]
    slack = max(width - (span_end - span_start), 0)
    start = max(0, span_start - slack // 3)  # a little context before, more after
    end = min(len(text), max(span_end, start + width))
    if start > 0:
        space = text.find(" ", start, span_start)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", span_end, end)
        end = space if space != -1 else end
    return start, end


def _render(
    text: str, start: int, end: int, spans: list[tuple[int, int]], collapse: bool = True
) -> str:
    escape = _escape if collapse else _escape_exactly
    pieces = ["\u2026 " if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        pieces.append(escape(text[position:span_start]))
        pieces.append(f"{_MARK_OPEN}{escape(text[span_start:span_end])}{_MARK_CLOSE}")
        position = span_end
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append(" \u2026")
    return "".join(pieces).strip()


# Quotes are left as they are: the HTML built here is only ever element content (a
# snippet's <p>, a thread's lines), never an attribute value, where a quote means nothing.
# Escaped as entities they cost bleach's parser its slow path: &#x27; for every "it's"
# made bleach take 5.7 ms instead of 3.9 ms for a page of ten snippets.
def _escape(text: str) -> str:
    text = _SPACES.sub(" ", _PARAGRAPH_BREAK.sub(" \u2014 ", text.translate(_RESERVED)))
    return html.escape(text, quote=False)


def _escape_exactly(text: str) -> str:
    """Escaped, spacing kept (a whole text keeps its lines)."""
    return html.escape(text.translate(_RESERVED), quote=False)


def _sanitize_built(fragments: Sequence[str]) -> list[str]:
    """Safe HTML for fragments that `_render` built: bleach, then the marks as tags."""
    return [
        cleaned.replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")
        for cleaned in sanitize_many(fragments)
    ]


def sanitize(fragment: str) -> str:
    """Nothing but <mark> (without attributes) survives; other markup is escaped."""
    return sanitize_many([fragment])[0]


def sanitize_many(fragments: Sequence[str]) -> list[str]:
    """`sanitize` for each fragment, with one bleach call for all of them."""
    if not fragments:
        return []
    cleaner = getattr(_cleaners, "cleaner", None)
    if cleaner is None:
        cleaner = _cleaners.cleaner = Cleaner(tags={"mark"}, attributes={}, strip=True)
    cleaned = cleaner.clean(
        _SEPARATOR.join(fragment.replace(_SEPARATOR, "") for fragment in fragments)
    ).split(_SEPARATOR)
    if len(cleaned) != len(fragments) or not all(map(_marks_balanced, cleaned)):
        # A fragment with an unclosed <mark> (never one that `build` made) would carry
        # the mark into the next hit's snippet: clean such a page one by one.
        cleaned = [cleaner.clean(fragment.replace(_SEPARATOR, "")) for fragment in fragments]
    return cleaned


def _marks_balanced(fragment: str) -> bool:
    """<mark> and </mark> alternate, starting with <mark>."""
    expected = "<mark>"
    for tag in _MARK_TAG.findall(fragment):
        if tag != expected:
            return False
        expected = "</mark>" if tag == "<mark>" else "<mark>"
    return expected == "<mark>"
