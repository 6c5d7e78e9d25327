"""A question as people type or paste it -> the words worth searching, with weights.

People paste whole messages: a subject line run together with the question ("Ankle
injury. I got hurt ... Thanks."), greetings and thanks, several questions in one. What
the benchmark (bench.relevance) showed, and what is done here:

- the subject line says what the question is about: when a pasted question starts with a
  short sentence, its words weigh FOCUS_WEIGHT times more and are always kept;
- courtesy phrases ("thank you in advance", "please help") are left alone: dropping
  them changed nothing measurable (2 queries better, 3 worse), as their single words
  are stop words already (schema.QUESTION_STOP_WORDS) and the rest are few;
- more words than the dozen kept before find more of the right threads: the first
  MAX_QUERY_WORDS distinct words are kept in the order written, which favours the
  subject and the opening of the question over a rare word in a closing aside.

Pure functions over an `analyse(text) -> stems` callable, so tests need no index.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from math import log

MAX_QUERY_WORDS = 32  # distinct words kept from a long question
FOCUS_WEIGHT = 2.0  # the subject line's words, relative to the rest
REPEAT_WEIGHT = 0.5  # a word written n times weighs 1 + REPEAT_WEIGHT * ln(n) times more
WEAK_WEIGHT = 0.3  # words that say how often or how much (question.toml)
SUBJECT_MAX_WORDS = 8
# Word proximity (search/results/proximity.py) only for what people type in the box: in a
# longer question neighbouring words are mostly incidental (bench.relevance: a bonus for
# every query cost up to -0.012 nDCG@10; up to 4 or 6 words, -0.004).
PROXIMITY_MAX_WORDS = 4  # words other than weak ones
# The end of the subject line: a sentence end or a line break.
_SENTENCE_END = re.compile(r"[.!?]+(?=\s)|\n+")
_WORD = re.compile(r"\w+(?:'\w+)*", re.UNICODE)


@dataclass(frozen=True)
class QuestionWord:
    stem: str  # the indexed form (the text fields' analyzer)
    weight: float  # relative to a plain word (1.0)


@dataclass(frozen=True)
class Question:
    words: tuple[QuestionWord, ...]  # distinct stems kept, in the order first written
    sequence: tuple[str, ...]  # every analysed token of the kept text, in order

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(word.stem for word in self.words)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Consecutive words (stop and weak words out), distinct, in question order."""
        strong = {word.stem for word in self.words if word.weight >= 1.0}
        if len(strong) > PROXIMITY_MAX_WORDS:
            return []
        sequence = [stem for stem in self.sequence if stem in strong]
        found = zip(sequence, sequence[1:], strict=False)
        return list(dict.fromkeys((a, b) for a, b in found if a != b))


@cache
def weak_words() -> frozenset[str]:
    """The lower-case words of question.toml's `weak` list."""
    data = tomllib.loads(files("search.query").joinpath("question.toml").read_text("utf-8"))
    return frozenset(word.lower() for word in data["weak"])


def subject_of(text: str) -> str | None:
    """The subject line of a pasted question: a short first sentence followed by more."""
    found = _SENTENCE_END.search(text)
    if found is None:
        return None
    first, rest = text[: found.start()], text[found.end():]
    words = _WORD.findall(first)
    if not words or len(words) > SUBJECT_MAX_WORDS or not _WORD.search(rest):
        return None
    return first


def read_question(
    text: str,
    analyse: Callable[[str], list[str]],
    max_words: int = MAX_QUERY_WORDS,
) -> Question:
    """The words of `text` worth searching (at most `max_words` distinct stems) with
    their weights, and the analysed token sequence they were read from."""
    subject = subject_of(text)
    subject_stems: set[str] = set()
    if subject is not None:
        subject_stems = set(analyse(subject))
    sequence = analyse(" ".join(_WORD.findall(text)))
    weak = {stem for word in weak_words() for stem in analyse(word)}
    repeats = Counter(sequence)
    words: dict[str, QuestionWord] = {}
    for stem in sequence:
        if stem in words or (len(words) >= max_words and stem not in subject_stems):
            continue
        weight = FOCUS_WEIGHT if stem in subject_stems else 1.0
        if stem in weak:
            weight *= WEAK_WEIGHT
        weight *= 1 + REPEAT_WEIGHT * log(repeats[stem])
        words[stem] = QuestionWord(stem, weight)
    kept = tuple(stem for stem in sequence if stem in words)
    return Question(tuple(words.values()), kept)
