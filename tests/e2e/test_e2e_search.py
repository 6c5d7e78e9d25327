"""Headless Chromium against a real gunicorn server: search, facets, thread, safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from e2e_threads import HOSTILE_ID, HOSTILE_QUESTION, HOSTILE_TITLE
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = "results-page.png"  # the README's pictures: test_e2e_search_page.py


def result_count(page: Page) -> int:
    heading = page.locator("#results-heading").inner_text()
    return int(re.match(r"([\d,]+) question", heading).group(1).replace(",", ""))


def facet_count(page: Page, name: str, value: str) -> int:
    box = page.locator(f'input[name="{name}"][value="{value}"]')
    label = page.locator(f'label[for="{box.get_attribute("id")}"] .count')
    return int(label.inner_text().replace(",", ""))


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Errors the page logs (a CSP violation shows up here)."""
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", record)
    return errors


def search(page: Page, words: str) -> None:
    page.goto("/")
    box = page.get_by_label("Describe your symptoms or question")
    expect(box).to_be_focused()
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"\?q="))


def test_search_shows_highlighted_results(
    page: Page, console_errors: list[str], artifacts_dir: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    search(page, "itchy red spots")
    assert result_count(page) > 10
    expect(page.locator("li.hit")).to_have_count(10)
    expect(page.locator(".snippet mark").first).to_be_visible()
    assert page.locator("#q").input_value() == "itchy red spots"
    page.locator("#q").blur()  # a calmer picture without the focus ring
    page.screenshot(path=str(artifacts_dir / SCREENSHOT), full_page=False)
    assert console_errors == []


def test_ticking_specialties_changes_results_and_counts(
    page: Page, console_errors: list[str]
) -> None:
    search(page, "pain")
    everything = result_count(page)
    first, second = (
        page.locator('input[name="specialty"]').nth(i).get_attribute("value") for i in (0, 1)
    )
    first_count = facet_count(page, "specialty", first)
    second_count = facet_count(page, "specialty", second)

    page.get_by_label(re.compile(rf"^{re.escape(first)}\b")).check()
    page.wait_for_url(re.compile(r"specialty="))
    assert result_count(page) == first_count < everything
    expect(page.locator(f'input[name="specialty"][value="{first}"]')).to_be_checked()
    assert {text for text in page.locator("li.hit .tag").all_inner_texts()} == {first}

    page.get_by_label(re.compile(rf"^{re.escape(second)}\b")).check()
    page.wait_for_url(re.compile(r"specialty=.*specialty="))
    assert result_count(page) == first_count + second_count
    checked = page.locator('input[name="specialty"]:checked')
    expect(checked).to_have_count(2)

    page.get_by_label(re.compile(rf"^{re.escape(first)}\b")).uncheck()
    page.wait_for_function(
        f"() => !location.search.includes('specialty=' + {first!r}.replaceAll(' ', '+'))"
    )
    assert result_count(page) == second_count
    assert console_errors == []


def test_filters_work_with_javascript_off(browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/?q=pain")
        value = page.locator('input[name="specialty"]').first.get_attribute("value")
        expected = facet_count(page, "specialty", value)
        page.locator('input[name="specialty"]').first.check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"specialty="))
        assert result_count(page) == expected
        page.select_option("#sort", "newest")
        page.get_by_role("button", name="Sort").click()
        page.wait_for_url(re.compile(r"sort=newest"))
        dates = page.locator("li.hit time").evaluate_all("els => els.map(e => e.dateTime)")
        assert dates == sorted(dates, reverse=True)
    finally:
        context.close()


def test_open_a_thread_follow_a_similar_question_and_go_back(page: Page) -> None:
    search(page, "headache")
    first = page.locator("h3.hit-title a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.get_by_role("heading", name="Similar questions")).to_be_visible()
    similar = page.locator("#similar-heading + ol a").first
    similar_title = similar.inner_text()
    similar.click()
    expect(page.locator("h1")).to_have_text(similar_title)
    page.get_by_role("link", name="Back to results").click()
    page.wait_for_url(re.compile(r"/\?q=headache"))
    assert page.locator("#q").input_value() == "headache"


def test_hostile_thread_runs_no_script_and_shows_the_text(page: Page) -> None:
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    search(page, "burning rash wrist")
    expect(page.locator("h3.hit-title", has_text="<script>").first).to_be_visible()
    page.goto(f"/thread/{HOSTILE_ID}")
    expect(page.locator("h1")).to_have_text(HOSTILE_TITLE)
    expect(page.get_by_text(HOSTILE_QUESTION)).to_be_visible()
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("main img, main svg, main script").count() == 0
    assert dialogs == []


def test_keyboard_skip_link_and_visible_focus(page: Page) -> None:
    page.goto("/specialties")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0  # moved into view when focused
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"


def test_phone_width_has_no_sideways_scroll(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/?q=stomach+pain+after+eating")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    expect(page.locator("li.hit").first).to_be_visible()
