"""The Thread record: what one archive page (or one JSON Lines object) says.

Everything downstream (index documents, the thread store, `qasearch parse` output)
is derived from these frozen records, so they are the one place that names the keys.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from search.request import unservable_id_reason

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Asker:
    name: str | None = None
    age: str | None = None  # an age band as the site writes it, e.g. "10~19"
    sex: str | None = None  # "male" / "female"


@dataclass(frozen=True)
class Reply:
    doctor: str
    specialty: str | None
    text: str
    date: str | None = None  # ISO date, YYYY-MM-DD


@dataclass(frozen=True)
class SimilarThread:
    title: str
    excerpt: str = ""
    doctor: str | None = None
    specialty: str | None = None
    answer: str = ""


@dataclass(frozen=True)
class RelatedFaq:
    topic: str
    specialty: str | None = None


@dataclass(frozen=True)
class Thread:
    id: str
    title: str
    specialty: str
    question: str
    subject: str = ""
    asker: Asker = field(default_factory=Asker)
    asked: str | None = None  # ISO date, YYYY-MM-DD
    replies: tuple[Reply, ...] = ()
    more_info: str = ""
    similar: tuple[SimilarThread, ...] = ()
    related_faq: tuple[RelatedFaq, ...] = ()
    source: str | None = None  # the page or JSON Lines file it came from

    @property
    def doctor(self) -> str | None:
        """The thread's doctor facet: the first replying doctor."""
        return self.replies[0].doctor if self.replies else None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict with the same keys as the JSON Lines import."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ParseError:
    """A page or JSON Lines line that could not be read: reported, never fatal."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        # One line whatever the file is called: control characters in a name are escaped.
        source = _CONTROL.sub(lambda m: repr(m.group())[1:-1], self.source)
        where = f"{source}:{self.line}" if self.line is not None else source
        return f"{where}: {self.reason}"


def unservable_id(thread_id: str) -> str | None:
    """The ParseError reason for a thread id that could never be reached at
    `/thread/<id>` (see search.request.unservable_id_reason), or None for a good id."""
    reason = unservable_id_reason(thread_id)
    if reason is None:
        return None
    shown = repr(thread_id) if len(thread_id) <= 80 else repr(thread_id[:77]) + "..."
    return f"thread id cannot be served ({reason}): {shown}"
