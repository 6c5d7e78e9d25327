"""The Thread record: what one archive page (or one JSON Lines object) says.

Everything downstream (index documents, the thread store, `qasearch parse` output)
is derived from these frozen records, so they are the one place that names the keys.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


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
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"
