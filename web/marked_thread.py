"""The thread page's text as safe HTML: every line escaped, the searched words marked.

Arriving from a search (the result link carries `q`), the reader sees why the thread
matched: the words of the query, as the index understands them (itching for itchy),
are in <mark> in the subject, the question, the asker's follow-ups and every reply.
The marking is the snippets' own (search/results/snippets.py), through bleach.

The asker's further questions are kept in the record as paragraphs of `question`
after a blank line (indexer/archive/pages.py); the page shows the k-th of them after
the k-th reply, where the page writer puts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class ReplyText:
    reply: dict[str, Any]
    lines: tuple[Markup, ...]
    follow_up: tuple[Markup, ...]  # the asker's question after this reply, if any


@dataclass(frozen=True)
class ThreadText:
    subject: Markup
    question: tuple[Markup, ...]
    replies: tuple[ReplyText, ...]
    unanswered_follow_ups: tuple[tuple[Markup, ...], ...]  # more than there are replies


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def marked_thread(engine: Any, record: dict[str, Any], query: str) -> ThreadText:
    """The record's texts marked for `query` (no marks for an empty query)."""
    parts = (record.get("question") or "").split("\n\n")
    question, follow_ups = _lines(parts[0]), [_lines(part) for part in parts[1:]]
    replies = list(record.get("replies") or ())
    groups = [[record.get("subject") or ""], question, *follow_ups]
    groups += [_lines(reply.get("text")) for reply in replies]
    flat = [line for group in groups for line in group]
    marked = iter(Markup(html) for html in engine.mark_words(query, flat))
    done = [tuple(next(marked) for _ in group) for group in groups]
    subject, question_html = done[0][0], done[1]
    follow_html = done[2 : 2 + len(follow_ups)]
    reply_html = done[2 + len(follow_ups) :]
    texts = tuple(
        ReplyText(reply, reply_html[i], follow_html[i] if i < len(follow_html) else ())
        for i, reply in enumerate(replies)
    )
    return ThreadText(subject, question_html, texts, tuple(follow_html[len(replies) :]))
