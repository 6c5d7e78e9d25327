"""Snippets: the right passage, matched words marked (stemmed forms too), nothing unsafe."""

from __future__ import annotations

import re

import pytest

from search.index.schema import text_analyzer
from search.request import SearchRequest
from search.results.snippets import make_snippet, sanitize

ANALYZER = text_analyzer()
ONLY_MARK_TAGS = re.compile(r"<(?!/?mark>)")


def snippet(texts, *words):
    terms = {token.text for word in words for token in ANALYZER(word)}
    return make_snippet(texts, terms, ANALYZER)


def test_hostile_html_in_a_question_yields_only_mark_tags(engine):
    hit = engine.search(SearchRequest("rash odd spreads")).results[0]
    assert hit.id == "t011"
    assert "<mark>" in hit.snippet
    assert not ONLY_MARK_TAGS.search(hit.snippet)
    assert "&lt;script&gt;" in hit.snippet and "&lt;img" in hit.snippet
    assert "<script" not in hit.snippet and "<img" not in hit.snippet


def test_stemmed_forms_are_marked():
    html = snippet(["My arms are itching and the rashes spread."], "itches", "rash")
    assert "<mark>itching</mark>" in html and "<mark>rashes</mark>" in html


def test_best_passage_is_around_the_words():
    text = ("Filler words about nothing in particular. " * 30) + "Then the kidney stone hurt. " + (
        "More filler text follows here. " * 30
    )
    html = snippet([text], "kidney", "stone")
    assert "<mark>kidney</mark> <mark>stone</mark>" in html
    assert html.startswith("\u2026") and html.endswith("\u2026")
    assert len(html) < 400


def test_reply_passage_when_the_question_lacks_the_words():
    html = snippet(["A question about something else."], "petechiae")
    assert html.startswith("A question")  # nothing matched: start of the question
    html = snippet(["A question about something else.", "Petechiae are possible."], "petechiae")
    assert html == "<mark>Petechiae</mark> are possible."


def test_match_only_in_more_info_shows_the_start_of_the_question(engine):
    hit = next(h for h in engine.search(SearchRequest("zorblax")).results if h.id == "t010")
    assert hit.snippet.startswith("Another general question")
    assert "<mark>" not in hit.snippet


def test_negated_words_are_not_marked(engine):
    hit = engine.search(SearchRequest("rash -markup")).results[0]
    assert "<mark>rash</mark>" in hit.snippet.lower()
    response = engine.search(SearchRequest("spots NOT thigh"))
    assert all("thigh</mark>" not in h.snippet for h in response.results)


def test_markup_lookalikes_in_text_are_escaped():
    html = snippet(['He wrote "<mark onclick=x>" & <b>bold</b>'], "bold")
    assert not ONLY_MARK_TAGS.search(html)
    assert "onclick" not in html.split("&lt;mark")[0]
    assert "<mark>bold</mark>" in html
    assert '<mark onclick' not in html


@pytest.mark.parametrize(
    "fragment",
    [
        "<mark>rash</mark> on &lt;b&gt; &amp; &quot;arm&quot; it&#x27;s",  # the built shape
        "<mark>rash</mark> <b>bold</b> <script>x()</script>",
        "<mark onclick=x>rash</mark>",
        "</mark>rash<mark>",
        "<mark>rash",
        "a\x00b \x0c c &nbsp; &#39;",
    ],
)
def test_sanitize_answers_exactly_as_bleach_does(fragment: str) -> None:
    from bleach.sanitizer import Cleaner

    expected = Cleaner(tags={"mark"}, attributes={}, strip=True).clean(fragment)
    assert sanitize(fragment) == expected
    assert not ONLY_MARK_TAGS.search(sanitize(fragment))


def test_a_page_of_snippets_is_cleaned_in_one_pass_exactly_as_one_by_one() -> None:
    from bleach.sanitizer import Cleaner

    from search.results.snippets import sanitize_many

    cleaner = Cleaner(tags={"mark"}, attributes={}, strip=True)
    fragments = [
        "<mark>rash</mark> <b>bold</b> <script>x()</script>",
        "<mark>rash",  # an unclosed tag must not swallow the next hit's snippet
        "plain \u2063 text with the separator inside",
        "</mark><img src=x onerror=alert(1)>",
    ]
    built = ["<mark>rash</mark> on &lt;b&gt; arm", "no marks", "<mark>a</mark><mark>b</mark>"]
    for page in (fragments, built):
        cleaned = sanitize_many(page)
        assert cleaned == [cleaner.clean(f.replace("\u2063", "")) for f in page]
        for html in cleaned:
            assert not ONLY_MARK_TAGS.search(html)
    assert sanitize_many(fragments)[2] == "plain  text with the separator inside"


def test_subject_and_question_are_parted_not_run_together() -> None:
    html = snippet(["Help with a rash\n\nI have had a rash for a week."], "rash")
    assert html == "Help with a <mark>rash</mark> \u2014 I have had a <mark>rash</mark> for a week."


def test_quotes_in_text_stay_characters_and_markup_stays_text():
    html = snippet(['My son said "it\'s only a <rash>" & left'], "rash")
    assert html == 'My son said "it\'s only a &lt;<mark>rash</mark>&gt;" &amp; left'


HOSTILE_TEXTS = [
    'He wrote "<mark onclick=x>" & <b>bold</b> rash',
    "</mark><img src=x onerror=alert(1)> rash <script>rash()</script>",
    "rash &amp; &lt;rash&gt; &#x27;rash&#x27; &nbsp; a\x00b \x0c rash",
    "\ue000rash\ue001 and \ue001 itching \ue000 with \u2063 a rash",  # the marks' own characters
    "Rash, rash; RASH! itching rashes\n\nrash again",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_what_is_served_is_what_bleach_leaves_it(text: str) -> None:
    from bleach.sanitizer import Cleaner

    from search.results.snippets import Snippets

    cleaner = Cleaner(tags={"mark"}, attributes={}, strip=True)
    terms = {token.text for token in ANALYZER("rash itches")}
    snippets = Snippets(ANALYZER)
    served = [snippets.make([text], terms), *snippets.make_many([([text], terms)] * 3),
              *snippets.mark_all([text], terms)]
    assert snippets.mark_all(["plain", text], terms)[0] == "plain"
    for html in served:
        assert cleaner.clean(html) == html
        assert not ONLY_MARK_TAGS.search(html)
        assert "\ue000" not in html and "\ue001" not in html and "\u2063" not in html
        # Marks wrap the words found, nothing else; the text's own characters make none.
        marked = re.findall(r"<mark>(.*?)</mark>", html)
        assert marked and all(word.lower().startswith(("rash", "itch")) for word in marked)
        assert html.count("<mark>") == html.count("</mark>") == len(marked)


FOLDING_TEXTS = [
    "Éczema on my ARMS, itching; the rash's edge. Rashes again.rash",
    "İstanbul: rash near the İris, itching",  # "İ" lowers to two characters
    "ra\u0303sh and rash\u0308 itching",  # combining marks that fold to letters
    "皮疹 rash 发痒 itching Zoë's rash",
]


@pytest.mark.parametrize("text", FOLDING_TEXTS)
def test_words_are_found_as_the_word_by_word_tokeniser_finds_them(text):
    from whoosh.support.charset import accent_map

    from search.results.snippets import _TOKEN, Snippets

    snippets = Snippets(ANALYZER)
    terms = {token.text for token in ANALYZER("rash itches eczema istanbul iris")}
    expected = []
    for match in _TOKEN.finditer(text):  # the analyzer's own way: word by word
        indexed = snippets._indexed_form(match.group().lower().translate(accent_map))
        if indexed in terms:
            expected.append((match.start(), match.end(), indexed))
    assert snippets._term_hits(text, terms) == expected
    assert expected


@pytest.mark.parametrize("seed", range(30))
def test_words_are_found_where_they_start_a_token_whatever_surrounds_them(seed):
    """Only the prefixes of terms are searched for in a text: each found must start a
    token exactly where the word-by-word tokeniser would start one."""
    import random

    from whoosh.support.charset import accent_map

    from search.results.snippets import _TOKEN, Snippets

    pieces = ["rash", "itch", "ing", "es", "ras", "h", "x", "_", "7", " ", ".", "'", "..",
              "' ", "皮", "疹", "Zoë", "É", "-", "\n"]  # fmt: skip
    rng = random.Random(seed)
    text = "".join(rng.choice(pieces) for _ in range(200))
    snippets = Snippets(ANALYZER)
    terms = {token.text for token in ANALYZER("rash itches eczema 皮 zoe")}
    expected = []
    for match in _TOKEN.finditer(text):
        indexed = snippets._indexed_form(match.group().lower().translate(accent_map))
        if indexed in terms:
            expected.append((match.start(), match.end(), indexed))
    assert snippets._term_hits(text, terms) == expected


def test_every_character_that_folds_out_of_its_class_is_known():
    # Any character whose folding changes how the text is tokenised must send the text
    # down the word-by-word path.
    from search.results.snippets import _TOKEN, _UNFOLDABLE, _fold

    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        folded = _fold(char)
        kept = len(folded) == 1 and (
            bool(_TOKEN.fullmatch(char)) == bool(_TOKEN.fullmatch(folded))
            and (char in "'.") == (folded in "'.")
        )
        assert kept or _UNFOLDABLE.match(char), hex(code)
