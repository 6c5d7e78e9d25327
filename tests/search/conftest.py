"""A small index built once per test session from hand-written threads.

The threads are chosen so each test can predict its results: distinctive symptom
phrases, a word only in one title, a word only in one more-info article, hostile HTML
in a question, dates for sort orders, several doctors and multi-word specialties.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.archive.records import Asker, Reply, Thread
from indexer.build.reindex import build_index, update_index
from search.engine import SearchEngine


def _thread(
    number: int,
    title: str,
    specialty: str,
    question: str,
    doctor: str | None = None,
    reply: str = "",
    asked: str | None = None,
    more_info: str = "",
    subject: str = "",
    extra_replies: tuple[Reply, ...] = (),
) -> Thread:
    replies = (Reply(doctor, specialty, reply, asked),) if doctor else ()
    return Thread(
        id=f"t{number:03d}",
        title=title,
        specialty=specialty,
        question=question,
        subject=subject,
        asker=Asker("Ann", "20~29", "female"),
        asked=asked,
        replies=replies + extra_replies,
        more_info=more_info,
    )


THREADS: tuple[Thread, ...] = (
    _thread(1, "Red Spots on the Thigh", "Dermatology",
            "I noticed slight red spots on my thigh, smooth and not raised.",
            "Wu Yuxin", "Petechiae are possible; please see a dermatologist.", "2016-06-01",
            more_info="Petechiae are tiny spots from broken capillaries."),
    _thread(2, "Itchy Rash After Hiking", "Dermatology",
            "After a hike my arms are itching badly and a rash appeared. Why do I itch?",
            "Wu Yuxin", "Contact dermatitis from plants is likely.", "2018-03-14"),
    _thread(3, "Burning When Urinating", "Urology",
            "Burning sensation when urinating and frequent urination for three days.",
            "Lin Chih-Hao", "This sounds like a urinary tract infection; get a urine test.",
            "2019-11-02"),
    _thread(4, "Kidney Stone Pain", "Urology",
            "Sharp flank pain radiating to the groin, the doctor suspects a kidney stone.",
            "Lin Chih-Hao", "Drink plenty of water; small stones often pass.", "2020-01-20"),
    _thread(5, "Persistent Cough at Night", "Internal Medicine",
            "A dry cough every night for two months, worse when lying down.",
            "Chen Mei-Ling", "Consider reflux or asthma; a chest x-ray may help.", "2017-07-07"),
    _thread(6, "Irregular Periods", "Obstetrics and Gynecology",
            "My periods have been irregular for half a year and I feel tired.",
            "Huang Shu-Fen", "Hormone tests and an ultrasound are advisable.", "2021-05-05"),
    _thread(7, "Mole Changing Shape", "Dermatology",
            "A mole on my back has changed shape and sometimes bleeds.",
            "Chen Mei-Ling", "Changing moles should be examined; a biopsy may be needed.",
            "2015-02-28"),
    _thread(8, "Question About Ears", "Otolaryngology",
            "Ringing in my left ear after a concert (tinnitus) that does not go away.",
            None, "", "2022-08-08"),
    _thread(9, "Zorblax in the title only", "Family Medicine",
            "A general question about feeling unwell in the mornings.",
            "Wu Yuxin", "Sleep and diet matter.", "2014-04-04"),
    _thread(10, "General wellbeing", "Family Medicine",
            "Another general question about feeling unwell at times.",
            "Wu Yuxin", "Rest well.", "2013-03-03",
            more_info="Zorblax is mentioned only in this long article."),
    _thread(11, "Strange Rash With <b>Markup</b>", "Dermatology",
            "My rash looks odd <script>alert(1)</script> and "
            "<img src=x onerror=alert(2)> shows up & spreads.",
            "Huang Shu-Fen", "Rash & markup should be escaped.", "2012-12-12"),
    _thread(12, "Back Pain After Lifting", "Rehabilitation",
            "Lower back pain after lifting heavy boxes at work.",
            "Lin Chih-Hao", "Physical therapy and rest.", "2023-01-15",
            extra_replies=(Reply("Chen Mei-Ling", "Rehabilitation", "Try stretching.", None),)),
    _thread(13, "Undated Question", "Urology",
            "No date on this one about frequent urination at night.", "Lin Chih-Hao",
            "Check prostate.", None),
)


@pytest.fixture(scope="session")
def threads() -> tuple[Thread, ...]:
    return THREADS


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("search-index")
    build_index(THREADS, directory)
    return directory


@pytest.fixture(scope="session")
def engine(index_dir: Path) -> Iterator[SearchEngine]:
    with SearchEngine(index_dir) as opened:
        yield opened


@pytest.fixture(scope="session")
def segmented_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    """The same threads in an index of several segments with a deleted document: built
    from the first seven (one of them in an older version), then updated in place."""
    directory = tmp_path_factory.mktemp("search-index-segmented")
    older = replace(THREADS[1], question="An older version of this question about hiking.")
    build_index([THREADS[0], older, *THREADS[2:7]], directory)
    update_index(THREADS, directory)
    with SearchEngine(directory) as opened:
        yield opened


GENERATED_COUNT = 300


@pytest.fixture(scope="session")
def generated_threads() -> tuple[Thread, ...]:
    """A few hundred realistic generated threads (the sample archive's generator)."""
    from indexer.sample.generator import generate_threads

    return tuple(generate_threads(GENERATED_COUNT, seed=11))


@pytest.fixture(scope="session")
def generated_engine(
    generated_threads: tuple[Thread, ...], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchEngine]:
    directory = tmp_path_factory.mktemp("search-index-generated")
    build_index(generated_threads, directory)
    with SearchEngine(directory) as opened:
        yield opened
