"""The hostile query forms of issue 10, built from an index's own vocabulary.

Each form is a function of a random generator, so every call can use fresh words (no
cache of phrases or results can answer a repeated attack), and of the words the index
holds most often, which are the costly ones. All forms stay under the parser's syntax
limit (longer input is searched as plain words, which is bounded already).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from whoosh.reading import IndexReader

from search.index.schema import SCHEMA, STOP_WORDS_USED
from search.query.syntax import MAX_SYNTAX_CHARS

COMMON_WORDS = 150  # most frequent unstemmed words the forms draw from
_ALPHA = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Vocabulary:
    """Frequent words of an index, as people type them, and two-letter prefixes of many terms."""

    words: tuple[str, ...]  # most frequent first
    long_words: tuple[str, ...]  # five letters or more: where `~2` is allowed its two edits
    prefixes: tuple[str, ...]  # two-letter prefixes that start the most indexed terms

    @classmethod
    def from_reader(cls, reader: IndexReader) -> Vocabulary:
        analyzer = SCHEMA["symptoms"].analyzer
        counted = []
        for raw in reader.lexicon("spell_symptoms"):
            word = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if not _ALPHA.fullmatch(word) or len(word) < 3 or word in STOP_WORDS_USED:
                continue
            stems = [t.text for t in analyzer(word, mode="query")]
            if len(stems) != 1:
                continue
            # The spelling field posts each word once per segment (it is a vocabulary),
            # so how common a word is comes from its stem in the stemmed field.
            counted.append((reader.doc_frequency("symptoms", stems[0]), word))
        counted.sort(key=lambda pair: (-pair[0], pair[1]))
        words = tuple(word for _, word in counted[:COMMON_WORDS])
        long_words = tuple(word for _, word in counted if len(word) >= 5)[:COMMON_WORDS]
        starts: dict[str, int] = {}
        for raw in reader.lexicon("symptoms"):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if len(term) >= 2 and term[:2].isalpha():
                starts[term[:2]] = starts.get(term[:2], 0) + 1
        prefixes = tuple(sorted(starts, key=lambda p: (-starts[p], p)))
        return cls(words=words, long_words=long_words, prefixes=prefixes)


def _fit(parts: list[str]) -> str:
    """Join parts with spaces, dropping trailing ones beyond the syntax limit."""
    text = ""
    for part in parts:
        candidate = f"{text} {part}" if text else part
        if len(candidate) > MAX_SYNTAX_CHARS:
            break
        text = candidate
    return text


def repeated_word_phrase(vocab: Vocabulary, rng: random.Random) -> str:
    """`"help help ... help"`: one frequent word, as many times as fit (59 for `help`)."""
    word = rng.choice(vocab.words[:40])
    count = (MAX_SYNTAX_CHARS - 2 + 1) // (len(word) + 1)
    return '"' + " ".join([word] * count) + '"'


def repeated_pairs(vocab: Vocabulary, rng: random.Random, count: int = 17) -> str:
    """17 quoted pairs of one word repeated: `"help help" "week week" ...`."""
    words = rng.sample(vocab.words[:60], count)
    return _fit([f'"{w} {w}"' for w in words])


def common_pairs(vocab: Vocabulary, rng: random.Random, count: int = 25) -> str:
    """25 quoted pairs of frequent words: `"week ago" "two month" ...`."""
    short = [w for w in vocab.words[:80] if len(w) <= 5]
    return _fit([f'"{rng.choice(short)} {rng.choice(short)}"' for _ in range(count)])


def two_letter_prefixes(vocab: Vocabulary, rng: random.Random, count: int = 70) -> str:
    """70 two-letter prefixes, each standing for many terms: `co* re* st* ...`."""
    pool = list(vocab.prefixes[: max(count, 100)])
    return _fit([f"{p}*" for p in rng.sample(pool, min(count, len(pool)))])


def fuzzy_every_word(vocab: Vocabulary, rng: random.Random) -> str:
    """`~2` on every word of a query as long as the syntax limit allows."""
    return _fit([f"{w}~2" for w in rng.sample(vocab.long_words, min(60, len(vocab.long_words)))])


FORMS: dict[str, Callable[[Vocabulary, random.Random], str]] = {
    "59-word repeated phrase": repeated_word_phrase,
    "17 repeated-word pairs": repeated_pairs,
    "25 common-word pairs": common_pairs,
    "70 two-letter prefixes": two_letter_prefixes,
    "~2 on every word": fuzzy_every_word,
}


def normal_query(vocab: Vocabulary, rng: random.Random) -> str:
    """What people type: two frequent words, unquoted (`pain fever`)."""
    return " ".join(rng.sample(vocab.words[:100], 2))


_FTS5_PART = re.compile(r'"[^"]*"|\S+')


def fts5_expression(text: str) -> str | None:
    """The same attack in FTS5's own syntax: phrases and prefixes kept, every part ORed.
    FTS5 has no fuzzy terms: `word~2` becomes the plain word."""
    parts = []
    for part in _FTS5_PART.findall(text.lower()):
        if part.startswith('"'):
            words = _ALPHA.findall(part)
            if words:
                parts.append('"' + " ".join(words) + '"')
        elif part.endswith("*") and _ALPHA.fullmatch(part[:-1]):
            parts.append(part)
        else:
            word = part.split("~", 1)[0]
            if _ALPHA.fullmatch(word) and word not in STOP_WORDS_USED:
                parts.append(f'"{word}"')
    return " OR ".join(parts) or None
