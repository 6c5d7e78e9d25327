"""One archive page (plain text, see ARCHIVE_FORMAT.md) -> one Thread record.

`parse_thread` is pure: text in, Thread out, or `PageFormatError` saying why the text is
not a thread page. `read_page` adds the file side (size cap, binary check, decoding) and
turns every failure into a `ParseError` value, so one bad page never stops an archive.

Format decisions (beyond what ARCHIVE_FORMAT.md fixes):
- Blank lines only separate things; text fields join their non-blank lines with "\\n".
  Whitespace runs inside a line collapse to one space; lines are stripped.
- The first non-blank line after the title (and `Share to:`) is the subject, the rest up to
  the asker line is the question. A single line there is the question (subject "").
- A further question by the asker between replies (any text after a `Reply Date:` line
  and before the next `Dr. ... reply ...` header) is appended to `question` as its own
  paragraph ("\\n\\n" before it), so it is searchable; later asker lines (a second
  `Ask Date:`) do not change `asker` or `asked`.
- Truncated pages: a page parses when it has a title line, question text and at least
  one structural marker (`Share to:`, an asker line, a reply header or a section
  heading). Missing parts are simply absent: a reply cut off before its `Reply Date:`
  keeps its text with date None. The marker rule is what rejects random prose whose
  first line happens to contain " - ".
- Markup is text: `<script>` in a question stays literal (escaping is the web layer's job).
  A page whose first line is an HTML document start (`<!DOCTYPE`, `<html>`) is rejected.

Longer than our usual ~300 lines on purpose: the page grammar (the line classifiers and
the `_PageBuilder` state machine) reads best in one file, beside the rules above.
"""

from __future__ import annotations

import codecs
import datetime
import html
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from indexer.archive.files import open_regular
from indexer.archive.records import (
    Asker,
    ParseError,
    RelatedFaq,
    Reply,
    SimilarThread,
    Thread,
    unservable_id,
)

logger = logging.getLogger("indexer.archive.pages")

MAX_PAGE_BYTES = 2 * 1024 * 1024  # real pages are ~10 KB; anything this big is not a page
MAX_CONTROL_RATIO = 0.05  # share of control characters above which text is binary
MAX_SPECIALTY_CHARS = 60  # a specialty is a short name, never a sentence
MAX_SPECIALTY_WORDS = 6
MAX_HEADER_CHARS = 200  # reply headers and `Reply Date:` lines are short
MAX_ASKER_CHARS = 300
_CAP = f"{MAX_PAGE_BYTES:,}-byte"
FALLBACK_ENCODINGS = ("cp1252", "latin-1")  # latin-1 decodes any bytes: the last resort

SECTION_HEADINGS = {
    "more info": "more_info",
    "similar q&a": "similar",
    "similar q & a": "similar",
    "related faq": "faq",
    "related faqs": "faq",
}

_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_REPLY_HEADER = re.compile(r"Dr\.?\s+(?P<doctor>\S.*?)\s+reply(?:\s+(?P<specialty>\S.*))?", re.I)
# Some exports drop the "Dr." prefix: then the header must look like a name (two to four
# capitalised words) and a capitalised specialty, so prose with "reply" stays text.
_BARE_REPLY_HEADER = re.compile(
    r"(?P<doctor>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){1,3})\s+reply\s+(?P<specialty>[A-Z][\w&'-]*(?:\s+[\w&'-]+)*)"
)
_REPLY_DATE = re.compile(r"Reply\s+Date\s*:\s*(?P<date>.*)", re.I)
_ASK_DATE = re.compile(r"\bAsk\s+Date\s*:\s*(?P<date>.*)$", re.I)
_AGE_BAND = re.compile(r"(?:^|,\s*|\s)(?P<age>[^\s,]+)\s+years?\s+old$", re.I)
_SEX = re.compile(r"(?:^|,\s*|\s)(?P<sex>male|female)$", re.I)
_DATE = re.compile(r"(?P<y>\d{4})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<d>\d{1,2})")
_FAQ_SPECIALTY = re.compile(r"\((?P<specialty>[^()]+)\)")
_HTML_START = re.compile(r"<(?:!doctype|html|\?xml|head|body)\b", re.I)


class PageFormatError(ValueError):
    """The text is not a thread page; the message says what was wrong."""


def parse_thread(text: str, thread_id: str, source: str | None = None) -> Thread:
    """Parse the text of one archive page into a Thread.

    Raises PageFormatError with a reason when the text is empty, binary-looking, HTML,
    or lacks a `Title - Specialty` first line, question text or any structural marker.
    A title line without ` - Specialty` is accepted when a reply header names the
    specialty (the first such reply's specialty is the thread's).
    """
    lines = _content_lines(text)
    if not lines:
        raise PageFormatError("page is empty")
    _reject_binary(text)
    try:
        title, specialty = _split_title_line(lines[0])
    except PageFormatError as error:
        title_error: PageFormatError | None = error
        title, specialty = lines[0], ""
    else:
        title_error = None
    page = _PageBuilder()
    pos = page.read_head(lines, 1)
    page.read_body(lines, pos)
    if title_error is not None:
        # A title line without its " - Specialty" loses nothing when a doctor's reply
        # names the specialty; otherwise the page is not one of ours.
        specialty = next((r.specialty for r in page.replies if r.specialty), "")
        if not specialty or len(title) > MAX_HEADER_CHARS:
            raise title_error
    if not page.question:
        raise PageFormatError("no question text after the title line")
    if not page.has_marker:
        raise PageFormatError(
            "no thread structure found (no 'Share to:', asker line, "
            "'Dr. ... reply ...' header or section heading)"
        )
    return Thread(
        id=thread_id,
        title=title,
        specialty=specialty,
        question=page.question_text(),
        subject=page.subject,
        asker=page.asker,
        asked=page.asked,
        replies=tuple(page.replies),
        more_info="\n".join(page.more_info),
        similar=tuple(page.similar),
        related_faq=tuple(page.related_faq),
        source=source,
    )


def read_page(path: Path) -> Thread | ParseError:
    """Read one page file; every failure comes back as a ParseError, never an exception."""
    source = str(path)
    try:
        # Never blocks: a FIFO or device named *.txt is refused, not opened for reading.
        with open_regular(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_PAGE_BYTES:
                return ParseError(source, f"page is {size:,} bytes, over the {_CAP} cap")
            data = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        return ParseError(source, exc.strerror or str(exc))
    if len(data) > MAX_PAGE_BYTES:  # grew between stat and read
        return ParseError(source, f"page is over the {_CAP} cap")
    refused = unservable_id(path.stem)  # the file stem is the thread id
    if refused is not None:
        return ParseError(source, refused)
    try:
        text = decode_page(data, source)
        return parse_thread(text, path.stem, source=source)
    except PageFormatError as exc:
        return ParseError(source, str(exc))
    except Exception as exc:  # a parser bug must not stop a whole archive run
        logger.exception("%s: unexpected parser failure", source)
        return ParseError(source, f"parser failed: {type(exc).__name__}: {exc}")


def decode_page(data: bytes, source: str = "<page>") -> str:
    """Bytes -> text: UTF-8 (BOM allowed) or UTF-16 with BOM, else cp1252/latin-1 with a warning.

    Raises PageFormatError for empty or binary (NUL-containing) data.
    """
    if not data.strip():
        raise PageFormatError("page is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise PageFormatError(f"broken UTF-16 text: {exc.reason}") from None
    if b"\x00" in data:
        raise PageFormatError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        logger.warning("%s: not valid UTF-8; decoded as %s", source, encoding)
        return text
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def parse_date(text: str) -> str | None:
    """`2016/06/01` (or `2016-6-1`) -> `2016-06-01`; None when there is no valid date."""
    match = _DATE.search(text)
    if not match:
        return None
    try:
        day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    return day.isoformat()


def parse_asker_line(line: str) -> tuple[Asker, str | None] | None:
    """`Shan, 10~19 year old female. Ask Date: 2016/06/01` -> (Asker, "2016-06-01").

    Every part but `Ask Date:` may be missing; returns None when the line is no asker line.
    """
    if len(line) > MAX_ASKER_CHARS:
        return None
    match = _ASK_DATE.search(line)
    if not match:
        return None
    rest = line[: match.start()].strip().rstrip(".").strip()
    sex = age = None
    if found := _SEX.search(rest):
        sex = found["sex"].lower()
        rest = rest[: found.start()]
    if found := _AGE_BAND.search(rest):
        age = found["age"]
        rest = rest[: found.start()]
    name = rest.strip().rstrip(",").strip() or None
    return Asker(name=name, age=age, sex=sex), parse_date(match["date"])


def _content_lines(text: str) -> list[str]:
    """Non-blank lines, stripped, with CR/CRLF, invisible characters and space runs normalised."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return [line for line in lines if line]


def _reject_binary(text: str) -> None:
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls and controls / len(sample) > MAX_CONTROL_RATIO:
        share = round(100 * controls / len(sample))
        raise PageFormatError(f"binary file ({share}% control characters)")


def _split_title_line(line: str) -> tuple[str, str]:
    if _HTML_START.match(line):
        raise PageFormatError("looks like an HTML page, not a thread page")
    title, sep, specialty = line.rpartition(" - ")
    title, specialty = title.strip(), specialty.strip()
    if not sep or not title or not specialty:
        raise PageFormatError(f"first line is not 'Title - Specialty': {_shorten(line)!r}")
    if (
        len(specialty) > MAX_SPECIALTY_CHARS
        or len(specialty.split()) > MAX_SPECIALTY_WORDS
        or specialty[-1] in ".!?,;:"
    ):
        raise PageFormatError(
            f"first line does not end in a specialty after ' - ': {_shorten(line)!r}"
        )
    return title, specialty


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _section(line: str) -> str | None:
    if len(line) > 20:
        return None
    # html.unescape: pages saved from HTML may keep "Similar Q&amp;A".
    return SECTION_HEADINGS.get(html.unescape(line).rstrip(":").strip().casefold())


def _reply_header(line: str) -> tuple[str, str | None] | None:
    if len(line) > MAX_HEADER_CHARS:
        return None
    match = _REPLY_HEADER.fullmatch(line) or _BARE_REPLY_HEADER.fullmatch(line)
    if not match:
        return None
    specialty = match["specialty"]
    if specialty and (len(specialty.split()) > MAX_SPECIALTY_WORDS or specialty[-1] in ".!?,;"):
        return None  # "Dr. Li reply to my question was helpful." is prose, not a header
    return match["doctor"], specialty


def _reply_date(line: str) -> str | None | bool:
    """The ISO date of a `Reply Date:` line (None if unreadable); False when not such a line."""
    if len(line) > MAX_HEADER_CHARS:
        return False
    match = _REPLY_DATE.fullmatch(line)
    return parse_date(match["date"]) if match else False


@dataclass
class _OpenReply:
    doctor: str
    specialty: str | None
    lines: list[str] = field(default_factory=list)

    def close(self, date: str | None) -> Reply:
        return Reply(self.doctor, self.specialty, "\n".join(self.lines), date)


@dataclass
class _PageBuilder:
    """Collects the parts of one page while its lines are walked top to bottom."""

    subject: str = ""
    question: list[str] = field(default_factory=list)
    follow_ups: list[list[str]] = field(default_factory=list)
    asker: Asker = field(default_factory=Asker)
    asked: str | None = None
    replies: list[Reply] = field(default_factory=list)
    more_info: list[str] = field(default_factory=list)
    similar: list[SimilarThread] = field(default_factory=list)
    related_faq: list[RelatedFaq] = field(default_factory=list)
    has_marker: bool = False
    _seen_asker: bool = False
    _open_reply: _OpenReply | None = None
    _similar_block: list[str] = field(default_factory=list)
    _follow_up_closed: bool = False  # a reply came since the last follow-up text

    def question_text(self) -> str:
        parts = ["\n".join(self.question), *("\n".join(chunk) for chunk in self.follow_ups)]
        return "\n\n".join(part for part in parts if part)

    def read_head(self, lines: list[str], pos: int) -> int:
        """Share widget, subject and question: up to the first structural line."""
        head: list[str] = []
        while pos < len(lines):
            line = lines[pos]
            if line.casefold().startswith("share to:"):
                self.has_marker = True
            elif self._is_structural(line):
                break
            else:
                head.append(line)
            pos += 1
        if len(head) == 1:
            self.question = head
        elif head:
            self.subject, self.question = head[0], head[1:]
        return pos

    def _is_structural(self, line: str) -> bool:
        return bool(
            _section(line)
            or parse_asker_line(line)
            or _reply_header(line)
            or _reply_date(line) is not False
        )

    def read_body(self, lines: list[str], pos: int) -> None:
        state = "replies"
        for line in lines[pos:]:
            if section := _section(line):
                self._close_reply(None)
                self._close_similar(None)
                state = section
                self.has_marker = True
            elif state == "replies":
                self._replies_line(line)
            elif state == "more_info":
                self.more_info.append(line)
            elif state == "similar":
                self._similar_line(line)
            else:
                self._faq_line(line)
        self._close_reply(None)
        self._close_similar(None)

    def _replies_line(self, line: str) -> None:
        if (asker := parse_asker_line(line)) is not None:
            self.has_marker = True
            self._close_reply(None)  # the asker speaks: any reply without a date has ended
            if not self._seen_asker:
                self._seen_asker = True
                self.asker, self.asked = asker
            return
        if (header := _reply_header(line)) is not None:
            self.has_marker = True
            self._close_reply(None)
            self._open_reply = _OpenReply(*header)
            return
        date = _reply_date(line)
        if date is not False:
            self._close_reply(date)
        elif self._open_reply is not None:
            self._open_reply.lines.append(line)
        else:  # the asker writing again between replies: a follow-up question
            if not self.follow_ups or self._follow_up_closed:
                self.follow_ups.append([])
                self._follow_up_closed = False
            self.follow_ups[-1].append(line)

    def _close_reply(self, date: str | None) -> None:
        if self._open_reply is not None:
            self.replies.append(self._open_reply.close(date))
            self._open_reply = None
            self._follow_up_closed = True

    def _similar_line(self, line: str) -> None:
        if line.casefold().startswith("[read more]"):
            self._close_similar(line[len("[read more]") :].strip() or None)
        else:
            self._similar_block.append(line)

    def _close_similar(self, read_more_title: str | None) -> None:
        block, self._similar_block = self._similar_block, []
        if not block and not read_more_title:
            return
        header_at = next(
            (i for i, line in enumerate(block) if _reply_header(line) is not None), len(block)
        )
        before, after = block[:header_at], block[header_at + 1 :]
        doctor, specialty = (
            _reply_header(block[header_at]) if header_at < len(block) else (None, None)
        )
        # Usually the block opens with the title; if it opens with a truncated excerpt
        # ("...") the `[Read More]` line is the only title there is.
        if before and not (read_more_title and before[0].endswith("...")):
            title, excerpt = before[0], before[1:]
        else:
            title, excerpt = read_more_title or "", before
        if not title:
            return
        self.similar.append(
            SimilarThread(
                title=title,
                excerpt="\n".join(excerpt),
                doctor=doctor,
                specialty=specialty,
                answer="\n".join(after),
            )
        )

    def _faq_line(self, line: str) -> None:
        match = _FAQ_SPECIALTY.fullmatch(line)
        if match is None:
            self.related_faq.append(RelatedFaq(topic=line))
        elif self.related_faq and self.related_faq[-1].specialty is None:
            topic = self.related_faq[-1].topic
            self.related_faq[-1] = RelatedFaq(topic, match["specialty"].strip())
        # a "(Specialty)" line with no topic before it carries nothing to keep
