"""Thread -> archive page: the reference page's layout, and round trips through the parser."""

from __future__ import annotations

import dataclasses

from indexer.archive.page_writer import asker_line, render_page, reply_header
from indexer.archive.pages import parse_thread
from indexer.archive.records import Asker, RelatedFaq, Reply, SimilarThread, Thread


def _outside_more_info(text: str) -> str:
    """The page without its More Info paragraphs, whose blank lines vary by paragraph."""
    start = text.index("More Info")
    end = text.index("Similar Q&A")
    return text[:start] + text[end:]


def test_reference_content_renders_in_the_reference_layout(reference_page):
    original = reference_page.read_text(encoding="utf-8")
    thread = parse_thread(original, reference_page.stem)

    page = render_page(thread)

    # Every section, header and blank line outside More Info is exactly the site's.
    assert _outside_more_info(page) == _outside_more_info(original)
    assert [line for line in page.splitlines() if line] == [
        line for line in original.splitlines() if line
    ]
    assert not page.endswith("\n")
    assert parse_thread(page, reference_page.stem) == thread


def test_more_info_paragraphs_mix_one_and_two_newlines():
    paragraphs = [f"Paragraph {i}" + " word" * i for i in range(1, 7)]
    thread = Thread(
        id="t", title="T", specialty="Dermatology", question="q?", subject="s",
        asked="2020-01-02", more_info="\n".join(paragraphs),
    )

    page = render_page(thread)

    region = page[page.index("More Info") :]
    pairs = list(zip(paragraphs, paragraphs[1:], strict=False))
    assert any(f"{a}\n{b}" in region for a, b in pairs)
    assert any(f"{a}\n\n{b}" in region for a, b in pairs)
    assert parse_thread(page, "t").more_info == thread.more_info


def test_asker_line_leaves_out_unknown_parts():
    assert asker_line(Asker("Shan", "10~19", "female"), "2016-06-01") == (
        "Shan, 10~19 year old female. Ask Date: 2016/06/01"
    )
    assert asker_line(Asker(None, "20~29", "male"), "2016-06-01") == (
        "20~29 year old male. Ask Date: 2016/06/01"
    )
    assert asker_line(Asker("Mei", None, "female"), "2016-06-01") == (
        "Mei, female. Ask Date: 2016/06/01"
    )
    assert asker_line(Asker("Mei", "30~39", None), "2016-06-01") == (
        "Mei, 30~39 year old. Ask Date: 2016/06/01"
    )
    assert asker_line(Asker(), "2016-06-01") == "Ask Date: 2016/06/01"
    assert asker_line(Asker("Mei"), None) == "Mei."


def test_reply_header_without_specialty():
    assert reply_header("Wu Yuxin", "Dermatology") == "Dr. Wu Yuxin reply Dermatology"
    assert reply_header("Wu Yuxin", None) == "Dr. Wu Yuxin reply"


def test_absent_sections_are_left_out():
    thread = Thread(id="t", title="Hiccups", specialty="Family Medicine", question="Why?",
                    subject="Hiccups", asked="2012-03-04")

    page = render_page(thread)

    assert page.splitlines() == [
        "Hiccups - Family Medicine", "", "Share to:", "", "Hiccups", "", "", "Why?", "",
        "Ask Date: 2012/03/04",
    ]
    for heading in ("More Info", "Similar Q&A", "Related FAQ", "Reply Date"):
        assert heading not in page


def test_round_trip_with_follow_ups_and_partial_asker():
    thread = Thread(
        id="000042_0123456789abcdef",
        title="Tinnitus - When Should I Worry?",
        specialty="Otolaryngology",
        subject="Ringing in the ears?",
        question="I have ringing in the ears.\nIt started 2 weeks ago. Is it serious?",
        asker=Asker(name="Zoë", age=None, sex="female"),
        asked="2019-12-30",
        replies=(
            Reply("Lin Zhiwei", "Otolaryngology", "Hello: have a hearing test.", "2020-01-02"),
            Reply("Chen Meiling", "Neurology", "To add:\nsee a neurologist too.", "2020-01-20"),
        ),
        more_info="First paragraph.\nSecond, longer paragraph.\nThird.",
        similar=(
            SimilarThread("Buzzing Ear: Causes", "I hear buzzing in my ear...", "Lin Zhiwei",
                          "Otolaryngology", "Please see an ENT doctor."),
        ),
        related_faq=(RelatedFaq("Tinnitus", "Otolaryngology"), RelatedFaq("Vertigo", "Neurology")),
    )

    parsed = parse_thread(render_page(thread), thread.id)

    assert parsed == dataclasses.replace(thread, source=None)
