"""Sample archives: deterministic, realistic enough to search, readable by the parser."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import pytest
from click.testing import CliRunner

from indexer.archive.page_writer import render_page
from indexer.archive.pages import parse_thread
from indexer.archive.records import Thread
from indexer.archive.sources import read_sources
from indexer.sample.generator import MARKER, generate_threads, write_sample_archive
from indexer.sample.threads import REFERENCE_LIKE_EVERY, SMALL_WORDS, build_thread, thread_head
from indexer.sample.vocabulary import CONDITIONS, SPECIALTIES
from web.cli import main

COUNT = 600
SEED = 7
PAGE_NAME = re.compile(r"\d{6}_[0-9a-f]{16}\.txt")


@pytest.fixture(scope="module")
def threads() -> list[Thread]:
    return list(generate_threads(COUNT, SEED))


@pytest.fixture(scope="module")
def pages(threads) -> list[str]:
    return [render_page(thread) for thread in threads]


def _share(pages: list[str], word: str) -> float:
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.I)
    return sum(1 for page in pages if pattern.search(page)) / len(pages)


def _files(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*.txt"))


def test_same_seed_same_bytes_other_seed_other_pages(tmp_path):
    write_sample_archive(tmp_path / "a", 120, seed=3)
    write_sample_archive(tmp_path / "b", 120, seed=3)
    write_sample_archive(tmp_path / "c", 120, seed=4)

    a, b, c = (_files(tmp_path / name) for name in "abc")
    assert a == b and len(a) == 120
    for name in a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert not set(a) & set(c)  # other ids
    text_a = sorted((tmp_path / "a" / n).read_text(encoding="utf-8") for n in a)
    text_c = sorted((tmp_path / "c" / n).read_text(encoding="utf-8") for n in c)
    assert text_a != text_c


def test_a_thread_can_be_rebuilt_alone(threads):
    for index in (0, 1, 299, COUNT - 1):
        assert build_thread(SEED, index, COUNT) == threads[index]


def test_page_names_and_folders_of_at_most_1000(tmp_path):
    written = write_sample_archive(tmp_path / "out", 1001, seed=1, procs=1)

    files = _files(tmp_path / "out")
    assert written == len(files) == 1001
    assert Counter(f.parent.name for f in files) == {"000": 1000, "001": 1}
    assert all(PAGE_NAME.fullmatch(f.name) for f in files)
    assert files[0].name.startswith("000000_") and files[-1].name.startswith("001000_")
    assert (tmp_path / "out" / MARKER).is_file()


@pytest.mark.slow
def test_parallel_writing_gives_the_same_pages(tmp_path):
    write_sample_archive(tmp_path / "one", 2100, seed=2, procs=1)
    write_sample_archive(tmp_path / "two", 2100, seed=2, procs=2)

    files = _files(tmp_path / "one")
    assert files == _files(tmp_path / "two")
    for name in files[::97]:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_every_page_parses_back_to_its_thread(threads, pages):
    for thread, page in zip(threads, pages, strict=True):
        assert parse_thread(page, thread.id) == thread


def test_archive_reads_without_errors(tmp_path):
    write_sample_archive(tmp_path / "out", 50, seed=5)

    items = list(read_sources([tmp_path / "out"]))

    assert len(items) == 50
    assert all(isinstance(item, Thread) for item in items)


def test_specialty_spread_is_skewed(threads):
    counts = Counter(thread.specialty for thread in threads)

    assert counts.most_common(1)[0][0] == "Dermatology"
    assert set(counts) == {s.name for s in SPECIALTIES}
    assert counts.most_common()[0][1] >= 5 * counts.most_common()[-1][1]


def test_symptom_words_are_rare_and_common_words_common(pages):
    for word in ("itchy", "urination", "blurry", "tinnitus", "palpitations", "heartburn"):
        assert 0 < _share(pages, word) < 0.10, word
    for word in ("the", "and", "doctor"):
        assert _share(pages, word) > 0.9, word


def test_a_symptom_phrase_belongs_to_its_specialty(threads):
    def specialties_asking(phrase: str) -> Counter:
        return Counter(t.specialty for t in threads if phrase in t.question.lower())

    urinating = specialties_asking("burning when i pee") + specialties_asking("burning urination")
    assert urinating and urinating.most_common(1)[0][0] == "Urology"
    assert urinating["Urology"] >= 0.8 * sum(urinating.values())
    vision = specialties_asking("blurry vision")
    assert vision and set(vision) == {"Ophthalmology"}


def test_question_lengths_vary_and_articles_are_longer(threads):
    lines = [len(t.question.splitlines()) for t in threads]
    assert min(lines) == 1 and max(lines) >= 6
    with_info = [t for t in threads if t.more_info]
    assert len(with_info) > 0.9 * len(threads)
    assert all(len(t.more_info.splitlines()) >= 4 for t in with_info)
    average = sum(len(t.more_info) for t in with_info) / len(with_info)
    assert average > 3 * sum(len(t.question) for t in threads) / len(threads)


def test_follow_ups_dates_and_missing_asker_fields(threads):
    follow_ups = [t for t in threads if len(t.replies) > 1]
    assert 0.2 < len(follow_ups) / len(threads) < 0.4
    assert any(t.replies[1].doctor != t.replies[0].doctor for t in follow_ups)
    assert any(t.replies[1].specialty != t.specialty for t in follow_ups)
    assert sum(t.replies[0].specialty == t.specialty for t in threads) > 0.85 * len(threads)
    for thread in threads:
        assert "2010-01-01" <= thread.asked <= "2025-12-31"
        for reply in thread.replies:
            assert thread.asked <= reply.date <= "2025-12-31"
    for part in ("name", "age", "sex"):
        assert any(getattr(t.asker, part) is None for t in threads), part


def test_titles_links_and_non_ascii_appear_in_some_threads(threads):
    titles = [t.title for t in threads]
    for mark in (" - ", ":", "?"):
        assert 0 < sum(mark in title for title in titles) < len(titles), mark
    questions = [t.question for t in threads]
    assert 0 < sum("https://" in q for q in questions) < 0.2 * len(questions)
    assert 0 < sum(not q.isascii() for q in questions) < 0.1 * len(questions)
    assert any(re.search("[\u4e00-\u9fff]", q) for q in questions)


def test_similar_and_related_point_to_generated_content(threads):
    titles = {t.title for t in threads}
    topics = {c.topic for c in CONDITIONS}
    assert any(t.similar for t in threads) and any(not t.similar for t in threads)
    for thread in threads:
        assert len(thread.similar) <= 4 and len(thread.related_faq) <= 10
        for similar in thread.similar:
            assert similar.title in titles
            assert similar.title != thread.title or similar.excerpt not in thread.question
        assert all(faq.topic in topics for faq in thread.related_faq)


def test_some_threads_have_the_reference_page_shape(threads):
    shaped = threads[::REFERENCE_LIKE_EVERY]
    assert len(shaped) >= 3
    for thread in shaped:
        assert thread.subject and thread.more_info
        assert None not in dataclasses.astuple(thread.asker)
        assert len(thread.replies) == 1 and len(thread.similar) == 4
        assert len(thread.related_faq) == 10
        assert "https://" in thread.question


def _run(*args: str):
    return CliRunner().invoke(main, ["sample-archive", *args])


def test_cli_writes_pages_and_a_summary(tmp_path):
    result = _run(str(tmp_path / "out"), "--threads", "25", "--seed", "9")

    assert result.exit_code == 0, result.output
    assert len(_files(tmp_path / "out")) == 25
    assert "Wrote 25 sample pages (seed 9)" in result.output


def test_cli_refuses_a_non_empty_folder_that_is_no_sample_archive(tmp_path):
    keep = tmp_path / "notes.txt"
    keep.write_text("mine", encoding="utf-8")

    for extra in ((), ("--force",)):
        result = _run(str(tmp_path), "--threads", "5", *extra)
        assert result.exit_code == 1
        assert "not empty and is not a sample archive" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert keep.read_text(encoding="utf-8") == "mine"


def test_cli_replaces_a_previous_sample_archive_only_with_force(tmp_path):
    out = tmp_path / "out"
    assert _run(str(out), "--threads", "30").exit_code == 0

    refused = _run(str(out), "--threads", "10")
    assert refused.exit_code == 1 and "--force" in refused.output

    replaced = _run(str(out), "--threads", "10", "--force")
    assert replaced.exit_code == 0, replaced.output
    assert len(_files(out)) == 10


@pytest.mark.parametrize("count", ["0", "-3", "many"])
def test_cli_rejects_a_bad_thread_count(tmp_path, count):
    result = _run(str(tmp_path / "out"), "--threads", count)

    assert result.exit_code == 2
    assert "--threads" in result.output
    assert not (tmp_path / "out").exists()


def test_library_rejects_bad_counts(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        write_sample_archive(tmp_path / "out", 0)
    with pytest.raises(ValueError, match="zero or more"):
        list(generate_threads(-1))


def test_askers_write_follow_up_questions_between_replies(threads, pages):
    asked_again = [(t, p) for t, p in zip(threads, pages, strict=True) if "\n\n" in t.question]
    assert 0.1 < len(asked_again) / len(threads) < 0.3
    for thread, page in asked_again[:20]:
        first, follow_up = thread.question.split("\n\n")
        assert len(thread.replies) >= 2
        # On the page the further question sits after the first reply, before the next.
        assert page.index(thread.replies[0].text) < page.index(follow_up)
        assert page.index(follow_up) < page.index(thread.replies[1].text)


def test_titles_are_varied(threads):
    titles = Counter(thread.title for thread in threads)
    assert len(titles) > 0.9 * len(threads)
    assert titles.most_common(1)[0][1] <= 4


def _title_words(title: str) -> list[str]:
    return [w for w in (w.strip(":?!.,;-()\"'").lower() for w in title.split()) if w]


def test_no_title_says_a_phrase_twice():
    """Not "Recurring Red Plaques on the Elbows on the Elbows" nor "Tight Chest at Night
    at Night", nor a place said twice apart ("Bulge in the Groin on the Groin"), over
    5,000 threads of two seeds (every condition, every frame)."""
    for seed in (1, 2):
        for index in range(2500):
            title = thread_head(seed, index).title
            words = _title_words(title)
            for n in range(2, len(words) // 2 + 1):
                for i in range(len(words) - 2 * n + 1):
                    assert words[i:i + n] != words[i + n:i + 2 * n], (seed, index, title)
            pairs = [pair for pair in zip(words, words[1:], strict=False)
                     if not SMALL_WORDS.issuperset(pair)]
            assert len(pairs) == len(set(pairs)), (seed, index, title)


def test_word_frequencies_have_a_long_tail(threads):
    words = Counter()
    for thread in threads:
        text = " ".join((thread.title, thread.question, *(r.text for r in thread.replies)))
        words.update(re.findall(r"[a-z']+", text.lower()))
    ranked = sorted(words.values(), reverse=True)
    assert len(ranked) > 1500
    # Zipf-like: frequency falls roughly as a power of rank over the head of the list.
    import math

    slope = (math.log(ranked[100]) - math.log(ranked[10])) / (math.log(100) - math.log(10))
    assert -1.3 < slope < -0.6
    assert sum(1 for n in ranked if n == 1) > 0.1 * len(ranked)  # many words seen once
