"""Thread -> the phrases it offers as suggestions (search/index/phrases.py counts them)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from indexer.archive.records import Thread
from search.index.phrases import PhraseCounter


def counted_phrases(threads: Iterable[Thread], counter: PhraseCounter) -> Iterator[Thread]:
    """`threads` unchanged, each one's title, subject and related topics counted on the way."""
    for thread in threads:
        counter.add(thread.title, thread.subject, (faq.topic for faq in thread.related_faq))
        yield thread
