"""Archive page -> Thread: the reference page field by field, then the messy cases."""

from __future__ import annotations

import logging
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.archive.pages import (
    MAX_PAGE_BYTES,
    PageFormatError,
    parse_asker_line,
    parse_date,
    parse_thread,
    read_page,
)
from indexer.archive.records import Asker, ParseError, RelatedFaq, Reply, SimilarThread, Thread


def test_reference_page_every_field(reference_page):
    thread = read_page(reference_page)

    assert isinstance(thread, Thread)
    assert thread.id == "000_614d02a2dc9fc088"
    assert thread.source == str(reference_page)
    assert thread.title == "Red Spots on the Thigh: Causes and Concerns"
    assert thread.specialty == "Dermatology"
    assert thread.subject == "Red spots on the thigh?"
    assert thread.question == (
        "About a week ago, I noticed some slight red spots on my thigh that have been gradually"
        " increasing in number, but they are not many.\n"
        "They appear to be beneath the epidermis, smooth, and not raised.\n"
        "Based on the provided image link: https://imgur.com/a/H7au7, what could be the cause"
        " of this? Thank you for your response."
    )
    assert thread.asker == Asker(name="Shan", age="10~19", sex="female")
    assert thread.asked == "2016-06-01"

    assert len(thread.replies) == 1
    reply = thread.replies[0]
    assert reply.doctor == "Wu Yuxin" == thread.doctor
    assert reply.specialty == "Dermatology"
    assert reply.date == "2016-06-01"
    assert reply.text.startswith('Medical regulations state that "a physician must')
    assert reply.text.endswith("it is advisable to seek medical attention promptly.")
    assert reply.text.count("\n") == 1

    assert thread.more_info.startswith("When it comes to understanding red spots on the skin")
    assert thread.more_info.endswith(
        "consulting with a healthcare provider for personalized advice and treatment options."
    )
    assert "Similar Q&A" not in thread.more_info
    assert thread.more_info.count("\n") == 6  # seven paragraphs, blank lines dropped

    assert [s.title for s in thread.similar] == [
        "Which Specialist to See for Red Spots on Legs: Possible Causes Explained",
        "Understanding Red Spots on Thighs: Causes and Skin Care Tips",
        "Understanding Red Spots on Inner Thigh and Shin: Possible Skin Conditions",
        "Understanding Red Dots on Legs: Possible Causes and Solutions",
    ]
    first = thread.similar[0]
    assert first.excerpt.startswith("Red spots on both thighs and calves may indicate allergic")
    assert first.excerpt.endswith("a primary care physician for an accurat...")
    assert first.doctor == "Xiao Yongxun"
    assert first.specialty == "Internal Medicine"
    assert first.answer == (
        "Hello: In response to your question, I suggest that you first consult with a"
        " rheumatologist for evaluation and examination."
    )
    assert [(s.doctor, s.specialty) for s in thread.similar[1:]] == [
        ("Jin Lianchun", "Dermatology"),
        ("Wu Yuxin", "Dermatology"),
        ("Wu Yuxin", "Dermatology"),
    ]
    assert all(s.excerpt and s.answer for s in thread.similar)

    assert thread.related_faq == (
        RelatedFaq("Red Spots", "Dermatology"),
        RelatedFaq("Red Spots", "Urology"),
        RelatedFaq("Nodular Erythema", "Dermatology"),
        RelatedFaq("Frequent Facial Redness", "Dermatology"),
        RelatedFaq("Cellulitis", "Dermatology"),
        RelatedFaq("Groin Itching", "Dermatology"),
        RelatedFaq("Lipoma", "Dermatology"),
        RelatedFaq("Boils", "Dermatology"),
        RelatedFaq("Sweat Blisters", "Dermatology"),
        RelatedFaq("Hyperpigmentation", "Dermatology"),
    )


def test_small_page_every_section(small_page):
    thread = parse_thread(small_page, "knee", source="knee.txt")

    assert thread == Thread(
        id="knee",
        title="Knee Pain After Running",
        specialty="Orthopedics",
        subject="Knee hurts after jogging",
        question="My right knee hurts after running 5 km.\nIt is swollen the next morning.",
        asker=Asker("Lee", "30~39", "male"),
        asked="2020-03-04",
        replies=(
            Reply(
                "Chen Ming",
                "Orthopedics",
                "Rest the knee and apply ice.\nSee an orthopedist if the swelling lasts.",
                "2020-03-05",
            ),
        ),
        more_info="Knee pain in runners is common.\nIt often comes from overuse.",
        similar=(
            SimilarThread(
                "Knee Swelling: What to Do",
                "My knee is swollen after football...",
                "Wang Li",
                "Orthopedics",
                "Ice and rest first.",
            ),
        ),
        related_faq=(RelatedFaq("Knee Pain", "Orthopedics"),),
        source="knee.txt",
    )


def test_crlf_and_lone_cr_and_stray_spaces_parse_like_lf(small_page):
    expected = parse_thread(small_page, "t")
    messy = "\r\n".join("  " + line.replace(" ", " \t ") + "   " for line in small_page.split("\n"))
    assert parse_thread(messy, "t") == expected
    assert parse_thread(small_page.replace("\n", "\r"), "t") == expected


def test_blank_line_counts_do_not_matter(small_page):
    squeezed = "\n".join(line for line in small_page.split("\n") if line.strip())
    stretched = small_page.replace("\n", "\n\n\n")
    assert parse_thread(squeezed, "t") == parse_thread(small_page, "t")
    assert parse_thread(stretched, "t") == parse_thread(small_page, "t")


def test_utf8_bom_and_non_ascii_text(write_file, small_page):
    text = small_page.replace("Lee,", "Zoë 李,").replace("apply ice.", "apply ice. 多休息。")
    path = write_file("bom.txt", "\ufeff" + text)
    thread = read_page(path)
    assert thread.title == "Knee Pain After Running"  # BOM not glued to the title
    assert thread.asker.name == "Zoë 李"
    assert thread.replies[0].text.startswith("Rest the knee and apply ice. 多休息。")


def test_cp1252_page_is_decoded_with_a_warning(write_file, small_page, caplog):
    mixed = "My right knee \u2014 caf\u00e9 \u2018sore\u2019 \u2014"
    text = small_page.replace("My right knee", mixed)
    path = write_file("cp1252.txt", text.encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="indexer.archive.pages"):
        thread = read_page(path)
    assert isinstance(thread, Thread)
    assert thread.question.startswith(mixed)
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: not valid UTF-8; decoded as cp1252"
    ]


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(write_file, small_page):
    path = write_file("latin.txt", small_page.encode("utf-8").replace(b"5 km", b"5 \x81km\xe9"))
    thread = read_page(path)
    assert "5 \x81km\u00e9" in thread.question


def test_utf16_page_with_bom(write_file, small_page):
    thread = read_page(write_file("u16.txt", small_page.encode("utf-16")))
    assert thread == parse_thread(small_page, "u16", source=thread.source)


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t\n", "\ufeff\n\n".encode()])
def test_empty_page(write_file, content):
    path = write_file("empty.txt", content)
    assert read_page(path) == ParseError(str(path), "page is empty")


def test_empty_text_is_a_format_error():
    with pytest.raises(PageFormatError, match="page is empty"):
        parse_thread(" \n\t\n", "x")


def test_binary_with_nul_bytes(write_file):
    path = write_file("img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert read_page(path) == ParseError(str(path), "binary file (contains NUL bytes)")


def test_binary_without_nul_bytes_is_rejected_by_control_characters(write_file):
    path = write_file("noise.txt", bytes(range(1, 32)) * 20 + b"Title - Dermatology\n")
    error = read_page(path)
    assert isinstance(error, ParseError)
    assert error.reason.startswith("binary file (") and "control characters" in error.reason


def test_over_size_cap(write_file):
    path = write_file("huge.txt", b"Title - Dermatology\n" + b"a" * MAX_PAGE_BYTES)
    size = path.stat().st_size
    assert read_page(path) == ParseError(
        str(path), f"page is {size:,} bytes, over the {MAX_PAGE_BYTES:,}-byte cap"
    )


def test_unreadable_path_is_an_error_not_a_crash(tmp_path):
    assert read_page(tmp_path) == ParseError(str(tmp_path), "a folder, not a regular file")
    missing = tmp_path / "gone.txt"
    assert read_page(missing) == ParseError(str(missing), "No such file or directory")


def test_truncated_in_the_question_still_parses():
    text = "Knee Pain - Orthopedics\n\nShare to:\n\nKnee hurts\n\nMy right knee hurts aft"
    thread = parse_thread(text, "t")
    assert thread.subject == "Knee hurts"
    assert thread.question == "My right knee hurts aft"
    assert thread.asker == Asker() and thread.asked is None
    assert thread.replies == () and thread.doctor is None


def test_truncated_in_a_reply_keeps_the_reply_without_date(small_page):
    text = small_page[: small_page.index("See an orthopedist")]
    thread = parse_thread(text, "t")
    assert thread.replies == (Reply("Chen Ming", "Orthopedics", "Rest the knee and apply ice."),)
    assert thread.more_info == "" and thread.similar == () and thread.related_faq == ()


def test_truncated_similar_block_without_read_more(small_page):
    text = small_page[: small_page.index("[Read More]")]
    thread = parse_thread(text, "t")
    assert thread.similar == (
        SimilarThread(
            "Knee Swelling: What to Do",
            "My knee is swollen after football...",
            "Wang Li",
            "Orthopedics",
            "Ice and rest first.",
        ),
    )
    assert thread.related_faq == ()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Just some notes\nno title line\nShare to:\n", "first line is not 'Title - Specialty'"),
        ("<!DOCTYPE html>\n<html><body>Knee - Orthopedics</body></html>", "HTML page"),
        ("<html>\n<head><title>x</title></head>", "HTML page"),
        ("Knee Pain - Orthopedics\n\nShare to:\n", "no question text"),
        ("Knee Pain - Orthopedics\n\nShare to:\n\nLee. Ask Date: 2020/03/04\n", "no question"),
        (
            "Meeting notes - Monday\nWe talked about the budget.\nAnd the plan.",
            "no thread structure found",
        ),
        (
            "He said it was fine - and then he left the room without a word.\nMore text.",
            "does not end in a specialty",
        ),
        ("Knee Pain - \nShare to:\nquestion", "first line is not 'Title - Specialty'"),
    ],
)
def test_not_this_format(text, reason):
    with pytest.raises(PageFormatError, match=reason):
        parse_thread(text, "x")


def test_not_this_format_via_read_page_names_the_file(write_file):
    path = write_file("notes.txt", "shopping list\neggs\nmilk\n")
    error = read_page(path)
    assert error.source == str(path)
    assert str(error).startswith(f"{path}: first line is not 'Title - Specialty'")


def test_missing_sections_are_simply_absent():
    text = (
        "Cough - Internal Medicine\n\nShare to:\n\nCough\n\nI cough at night.\n\n"
        "Ann, female. Ask Date: 2019/01/02\n"
    )
    thread = parse_thread(text, "t")
    assert thread.question == "I cough at night."
    assert thread.asker == Asker("Ann", None, "female")
    assert (thread.replies, thread.more_info, thread.similar, thread.related_faq) == (
        (),
        "",
        (),
        (),
    )


def test_no_more_info_no_similar_but_faq(small_page):
    start, end = small_page.index("More Info"), small_page.index("Related FAQ")
    text = small_page[:start] + small_page[end:]
    thread = parse_thread(text, "t")
    assert thread.more_info == "" and thread.similar == ()
    assert thread.related_faq == (RelatedFaq("Knee Pain", "Orthopedics"),)
    assert thread.replies[0].date == "2020-03-05"


def test_follow_up_reply_by_a_second_doctor_and_a_follow_up_question():
    text = """Chest Pain When Breathing: Should I Worry? - Obstetrics and Gynecology
Share to:
Chest pain
I am pregnant and my chest hurts.
Mei, 20~29 year old female. Ask Date: 2021/07/01
Dr. Lin Hua reply Obstetrics and Gynecology
Please see your obstetrician.
Reply Date: 2021/07/02
Thank you. It also hurts when I lie down, is that normal?
Mei, 20~29 year old female. Ask Date: 2021/07/03
Dr. Ho Wei reply Family Medicine
Lying on the left side may help.
Reply Date: 2021/07/04
Dr. Lin Hua reply Obstetrics and Gynecology
Agree with Dr. Ho.
Reply Date: 2021/07/05
"""
    thread = parse_thread(text, "t")
    assert thread.title == "Chest Pain When Breathing: Should I Worry?"
    assert thread.specialty == "Obstetrics and Gynecology"
    obgyn = "Obstetrics and Gynecology"
    assert thread.replies == (
        Reply("Lin Hua", obgyn, "Please see your obstetrician.", "2021-07-02"),
        Reply("Ho Wei", "Family Medicine", "Lying on the left side may help.", "2021-07-04"),
        Reply("Lin Hua", obgyn, "Agree with Dr. Ho.", "2021-07-05"),
    )
    assert thread.doctor == "Lin Hua"
    assert thread.question == (
        "I am pregnant and my chest hurts.\n\n"
        "Thank you. It also hurts when I lie down, is that normal?"
    )
    assert thread.asked == "2021-07-01"  # the first Ask Date, not the follow-up's


@pytest.mark.parametrize(
    "specialty",
    ["Internal Medicine", "Obstetrics and Gynecology", "Family Medicine", "Otolaryngology"],
)
def test_multi_word_specialties_in_title_and_reply(small_page, specialty):
    text = small_page.replace("Orthopedics", specialty)
    thread = parse_thread(text, "t")
    assert thread.specialty == specialty
    assert thread.replies[0].specialty == specialty
    assert thread.similar[0].specialty == specialty
    assert thread.related_faq[0].specialty == specialty


def test_title_with_dashes_colons_and_question_marks(small_page):
    line = "Knee Pain - Is It Arthritis? Causes: Overuse - Self-Care - Orthopedics"
    thread = parse_thread(small_page.replace("Knee Pain After Running - Orthopedics", line), "t")
    assert thread.title == "Knee Pain - Is It Arthritis? Causes: Overuse - Self-Care"
    assert thread.specialty == "Orthopedics"


def test_markup_is_kept_as_literal_text(small_page):
    text = small_page.replace(
        "It is swollen the next morning.",
        "<script>alert('x')</script> <b>bold</b> &amp; https://example.com/a?b=1&c=2",
    )
    thread = parse_thread(text, "t")
    assert thread.question.endswith(
        "<script>alert('x')</script> <b>bold</b> &amp; https://example.com/a?b=1&c=2"
    )


def test_very_long_line_and_chinese_text(small_page):
    long_line = "膝盖疼痛 knee pain " * 20000
    text = small_page.replace("It is swollen the next morning.", long_line)
    thread = parse_thread(text, "t")
    assert thread.question.endswith(long_line.strip())
    assert thread.replies[0].doctor == "Chen Ming"


def test_prose_starting_with_dr_is_not_a_reply_header(small_page):
    prose = "Dr. Smith reply to my first question was not very helpful, sadly."
    text = small_page.replace("See an orthopedist if the swelling lasts.", prose)
    thread = parse_thread(text, "t")
    assert len(thread.replies) == 1
    assert thread.replies[0].text.endswith(prose)


def test_similar_block_opening_with_an_excerpt_takes_the_read_more_title(small_page):
    text = small_page.replace("Knee Swelling: What to Do\n\nMy knee", "My knee")
    (similar,) = parse_thread(text, "t").similar
    assert similar.title == "Knee Swelling: What to Do"
    assert similar.excerpt == "My knee is swollen after football..."


def test_faq_topic_without_specialty(small_page):
    thread = parse_thread(small_page + "\nBack Pain\n", "t")
    assert thread.related_faq == (
        RelatedFaq("Knee Pain", "Orthopedics"),
        RelatedFaq("Back Pain", None),
    )


@pytest.mark.parametrize(
    ("line", "asker", "asked"),
    [
        (
            "Shan, 10~19 year old female. Ask Date: 2016/06/01",
            Asker("Shan", "10~19", "female"),
            "2016-06-01",
        ),
        ("Shan, female. Ask Date: 2016/06/01", Asker("Shan", None, "female"), "2016-06-01"),
        ("Shan, 10~19 year old. Ask Date: 2016/6/1", Asker("Shan", "10~19", None), "2016-06-01"),
        ("10~19 year old male. Ask Date: 2016/06/01", Asker(None, "10~19", "male"), "2016-06-01"),
        ("Mr. Lo, Jr.. Ask Date: 2016/06/01", Asker("Mr. Lo, Jr", None, None), "2016-06-01"),
        ("Ask Date: 2016/06/01", Asker(), "2016-06-01"),
        ("Ask Date: 2016/13/45", Asker(), None),
        ("Ask Date:", Asker(), None),
        (
            "王小明, 40~49 year old female. Ask Date: 2016/06/01",
            Asker("王小明", "40~49", "female"),
            "2016-06-01",
        ),
    ],
)
def test_asker_line_variants(line, asker, asked):
    assert parse_asker_line(line) == (asker, asked)


def test_not_an_asker_line():
    assert parse_asker_line("I asked my mother about it.") is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2016/06/01", "2016-06-01"), ("2016-6-1", "2016-06-01"), ("2016/02/30", None), ("", None)],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("Dr. reply - Share to:\n()[]Ask Date:2016/0~x?")),
        max_size=300,
    )
)
def test_parse_thread_only_ever_raises_page_format_error(text):
    try:
        thread = parse_thread(text, "fuzz")
    except PageFormatError as exc:
        assert str(exc)
    else:
        assert thread.title and thread.specialty and thread.question


# Every character str.split() counts as whitespace, invisible ones and letters between.
_WHITESPACE = [chr(c) for c in range(0x3001) if chr(c).isspace()]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*_WHITESPACE, "a", "b", "\u200b", "\ufeff"]),
               max_size=200))
def test_page_lines_are_each_lines_words_joined_by_one_space(text):
    """A page's lines: CR/CRLF are line breaks, invisible characters go, every run of
    whitespace in a line is one space, blank lines are dropped."""
    from indexer.archive.pages import _content_lines

    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    plain = plain.replace("\u200b", "").replace("\ufeff", "")
    expected = [" ".join(line.split()) for line in plain.split("\n")]
    assert _content_lines(text) == [line for line in expected if line]


def test_fifo_is_reported_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert read_page(fifo) == ParseError(str(fifo), "a named pipe (FIFO), not a regular file")


def test_asker_line_ends_a_reply_that_lacks_its_date():
    text = (
        "Cough - Internal Medicine\nShare to:\nCough\nI cough.\nAnn. Ask Date: 2019/01/02\n"
        "Dr. Lin reply Internal Medicine\nDrink water.\n"
        "Ann. Ask Date: 2019/01/03\nStill coughing.\n"
        "Dr. Lin reply Internal Medicine\nSee a doctor.\nReply Date: 2019/01/04\n"
    )
    thread = parse_thread(text, "t")
    assert [(r.text, r.date) for r in thread.replies] == [
        ("Drink water.", None),
        ("See a doctor.", "2019-01-04"),
    ]
    assert thread.question == "I cough.\n\nStill coughing."
    assert thread.asker == Asker("Ann") and thread.asked == "2019-01-02"


def test_reply_header_without_the_dr_prefix(small_page):
    page = small_page.replace("Dr. Chen Ming reply Orthopedics", "Chen Ming reply Orthopedics")
    thread = parse_thread(page, "knee")
    assert [(r.doctor, r.specialty, r.date) for r in thread.replies] == [
        ("Chen Ming", "Orthopedics", "2020-03-05")
    ]
    assert "Rest the knee" not in thread.question


@pytest.mark.parametrize("line", ["Please reply Doctor", "Thanks for the reply",
                                  "I got no reply Dermatology said nothing"])
def test_prose_with_reply_is_not_a_bare_reply_header(small_page, line):
    page = small_page.replace("It is swollen the next morning.", line)
    thread = parse_thread(page, "knee")
    assert line in thread.question
    assert [r.doctor for r in thread.replies] == ["Chen Ming"]


def test_section_headings_escaped_by_an_html_export(small_page):
    thread = parse_thread(small_page.replace("Similar Q&A", "Similar Q&amp;A"), "knee")
    assert [s.title for s in thread.similar] == ["Knee Swelling: What to Do"]
    assert "football" not in thread.more_info


def test_title_without_specialty_takes_the_first_replys_specialty(small_page):
    page = small_page.replace("Knee Pain After Running - Orthopedics", "Knee Pain After Running")
    thread = parse_thread(page, "knee")
    assert (thread.title, thread.specialty) == ("Knee Pain After Running", "Orthopedics")


def test_title_without_specialty_and_no_reply_is_not_a_thread_page(small_page):
    page = small_page.replace("Knee Pain After Running - Orthopedics", "Knee Pain After Running")
    page = page.replace("Dr. Chen Ming reply Orthopedics", "")
    with pytest.raises(PageFormatError, match="Title - Specialty"):
        parse_thread(page, "knee")
