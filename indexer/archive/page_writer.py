"""Write a Thread as an archive page, in the layout of the site's own exports.

The blank-line spacing copies the reference page (../shared/fixtures/archive/) line for
line, including its doubled blank lines, so that generated archives exercise the parser
the way real pages do. Sections a thread lacks are left out, as the site does.
"""

from __future__ import annotations

from indexer.archive.records import Asker, RelatedFaq, Reply, SimilarThread, Thread

# The site's page layout is a list of lines; None stands for one blank line.
Lines = list[str | None]


def render_page(thread: Thread) -> str:
    """The page text for `thread`: ends without a newline, like the site's exports."""
    lines: Lines = [f"{thread.title} - {thread.specialty}", None, "Share to:", None]
    if thread.subject:
        lines += [thread.subject, None, None]
    # The asker's further questions follow the question after a blank line (as the
    # parser records them); on the page the k-th comes after the k-th reply.
    question, *follow_ups = thread.question.split("\n\n")
    lines += [question, None, asker_line(thread.asker, thread.asked), None]
    for number, reply in enumerate(thread.replies):
        lines += _reply_block(reply)
        if number < len(follow_ups):
            lines += [follow_ups[number], None]
    for part in follow_ups[len(thread.replies):]:  # more follow-ups than replies
        lines += [part, None]
    if thread.more_info:
        lines += ["More Info", None, None, *_paragraphs(thread.more_info), None]
    if thread.similar:
        lines += ["Similar Q&A", None]
        for similar in thread.similar:
            lines += _similar_block(similar)
    if thread.related_faq:
        lines += ["Related FAQ", None]
        for faq in thread.related_faq:
            lines += _faq_pair(faq)
    while lines and lines[-1] is None:
        lines.pop()
    return "\n".join("" if line is None else line for line in lines)


def _paragraphs(text: str) -> Lines:
    """Paragraphs as the site spaces them: some follow each other directly, most after a
    blank line. Which, is a function of the paragraph, so a page is always written alike;
    a parser keeps no blank lines inside a section, so this never changes the content.
    """
    lines: Lines = []
    for paragraph in text.split("\n"):
        if lines and len(paragraph) % 3:
            lines.append(None)
        lines.append(paragraph)
    return lines


def page_date(iso_date: str) -> str:
    """`2016-06-01` as the site writes it: `2016/06/01`."""
    return iso_date.replace("-", "/")


def asker_line(asker: Asker, asked: str | None) -> str:
    """`Shan, 10~19 year old female. Ask Date: 2016/06/01`, leaving out what is unknown."""
    who = " ".join(
        part
        for part in (f"{asker.age} year old" if asker.age else None, asker.sex)
        if part
    )
    person = ", ".join(part for part in (asker.name, who) if part)
    line = f"{person}." if person else ""
    if asked:
        line = f"{line} Ask Date: {page_date(asked)}".lstrip()
    return line


def reply_header(doctor: str | None, specialty: str | None) -> str:
    """`Dr. Wu Yuxin reply Dermatology` (the specialty is left out when unknown)."""
    header = f"Dr. {doctor} reply" if doctor else "reply"
    return f"{header} {specialty}" if specialty else header


def _reply_block(reply: Reply) -> Lines:
    block: Lines = [reply_header(reply.doctor, reply.specialty), None, None, reply.text, None]
    if reply.date:
        block += [f"Reply Date: {page_date(reply.date)}", None]
    return block


def _similar_block(similar: SimilarThread) -> Lines:
    block: Lines = [similar.title, None]
    if similar.excerpt:
        block += [similar.excerpt, None, None]
    if similar.doctor or similar.specialty:
        block.append(reply_header(similar.doctor, similar.specialty))
    if similar.answer:
        block.append(similar.answer)
    block += [None, f"[Read More] {similar.title}", None, None]
    return block


def _faq_pair(faq: RelatedFaq) -> Lines:
    pair: Lines = [faq.topic, None]
    if faq.specialty:
        pair += [f"({faq.specialty})", None]
    return pair
