"""The thread page: the whole thread, similar questions, related topics, the way back."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient
from pagehtml import elements, text
from web_sample_threads import HOSTILE_ID, HOSTILE_QUESTION, HOSTILE_TITLE


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.get_data(as_text=True)


def test_whole_thread_is_shown(client: FlaskClient) -> None:
    html = page(client, "/thread/derm-red-spots")
    (title,) = elements(html, "h1")
    assert text(title) == "Red Spots on the Thigh: Causes and Concerns"
    body = " ".join(html.split())
    for expected in (
        "Dermatology",
        "Asked by Shan, 20~29 years, female",
        "2016-06-01",
        "About a week ago I noticed red spots on my thigh",
        "Dr. Wu Yuxin",
        "Dr. Wu Yuxin answers: please see a doctor in person.",
        "More info",
    ):
        assert expected in body, expected
    more = elements(html, "section", class_="more-info")[0]
    assert [text(p) for p in more.children if p.tag == "p"] == [
        "Petechiae are small flat red spots.",
        "Allergies can cause them too.",
    ]


def test_back_link_returns_to_the_same_search(client: FlaskClient) -> None:
    html = page(client, "/thread/derm-red-spots?q=red+spots&specialty=Dermatology&page=1")
    (back,) = [a for a in elements(html, "a") if "Back to results" in text(a)]
    assert parse_qs(urlsplit(back.get("href")).query) == {
        "q": ["red spots"],
        "specialty": ["Dermatology"],
        "page": ["1"],
    }


def test_without_a_search_the_way_back_is_a_new_search(client: FlaskClient) -> None:
    html = page(client, "/thread/derm-red-spots")
    assert [a.get("href") for a in elements(html, "a") if "New search" in text(a)] == ["/"]


def test_similar_questions_link_to_threads_and_keep_the_search(client: FlaskClient) -> None:
    html = page(client, "/thread/neuro-headache-01?q=headache")
    assert [text(h) for h in elements(html, "h2", id="similar-heading")] == ["Similar questions"]
    links = [
        a.get("href") for a in elements(html, "a") if (a.get("href") or "").startswith("/thread/")
    ]
    assert links and all(link.endswith("?q=headache") for link in links)
    assert "/thread/neuro-headache-01?q=headache" not in links
    target = links[0].split("?")[0]
    assert page(client, target)


def test_related_topics_search_within_their_specialty(client: FlaskClient) -> None:
    html = page(client, "/thread/derm-red-spots")
    assert [text(h) for h in elements(html, "h2", id="faq-heading")] == ["Related topics"]
    (related_list,) = elements(html, "ul", class_="related")
    related = {
        text(link): link.get("href")
        for item in related_list.children
        for link in item.children
        if link.tag == "a"
    }
    assert related["Red Spots"] == "/?q=Red+Spots&specialty=Dermatology"
    # A topic without its own specialty searches within the thread's.
    assert related["Petechiae"] == "/?q=Petechiae&specialty=Dermatology"


def test_a_thread_without_replies_says_so(client: FlaskClient) -> None:
    assert "No doctor has replied" in page(client, "/thread/ob-spotting")


def test_unknown_thread_is_a_404_page(client: FlaskClient) -> None:
    html = page(client, "/thread/no-such-thread", status=404)
    assert "There is no question with that id" in html and "/static/style.css" in html
    page(client, "/thread/" + "x" * 300, status=404)


def test_hostile_thread_renders_as_text(client: FlaskClient) -> None:
    html = page(client, f"/thread/{HOSTILE_ID}")
    for raw in ("<script>alert", "<img src=x", "<iframe", "<em>Evil", "<i>Mallory", "<b>bold"):
        assert raw not in html, raw
    (title,) = elements(html, "h1")
    assert text(title) == HOSTILE_TITLE
    paragraphs = [text(p) for p in elements(html, "p")]
    assert HOSTILE_QUESTION in paragraphs
    assert "Reply <script>alert(2)</script>" in paragraphs
    assert "<iframe src=//evil.example></iframe>" in paragraphs
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html
    assert [script.get("src") for script in elements(html, "script")] == ["/static/search.js"]


def test_searched_words_are_marked_in_question_and_replies(client: FlaskClient) -> None:
    html = page(client, "/thread/derm-red-spots?q=spot+answer")
    question = elements(html, "section", class_="question")[0]
    marks = [text(mark) for mark in elements(html, "mark")]
    assert "Spots" in marks and "spots" in marks and "answers" in marks  # as the index stems
    assert any(child.tag == "mark" for p in question.children for child in p.children)
    reply = elements(html, "section", class_="reply")[0]
    assert any(child.tag == "mark" for p in reply.children for child in p.children)
    unmarked = page(client, "/thread/derm-red-spots")
    assert not [m for s in elements(unmarked, "section") for p in s.children for m in p.children
                if m.tag == "mark"]


def test_marking_keeps_hostile_text_inert(client: FlaskClient) -> None:
    html = page(client, f"/thread/{HOSTILE_ID}?q=rash+script")
    assert "<script>alert" not in html and "<img src=x" not in html
    (question,) = elements(html, "section", class_="question")
    assert [text(m) for p in question.children for m in p.children if m.tag == "mark"] == ["rash"]


def test_each_doctor_links_to_that_doctors_threads(client: FlaskClient) -> None:
    html = page(client, "/thread/derm-red-spots")
    links = [a.get("href") for a in elements(html, "a") if text(a) == "Dr. Wu Yuxin"]
    assert links and all(parse_qs(urlsplit(link).query) == {"doctor": ["Dr. Wu Yuxin"]}
                         for link in links)
    assert urlsplit(links[0]).fragment == "results"
    listed = page(client, links[0].split("#")[0])
    assert "derm-red-spots" in listed and "1 question" in listed
