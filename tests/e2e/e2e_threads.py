"""The end-to-end index: a generated archive for volume plus one hostile thread."""

from __future__ import annotations

from itertools import chain

from indexer.archive.records import Asker, Reply, Thread
from indexer.sample.generator import generate_threads

HOSTILE_ID = "e2e-hostile"
HOSTILE_TITLE = "<script>window.pwned=1;alert(1)</script> Burning rash question"
HOSTILE_QUESTION = 'Burning rash on my wrist <img src=x onerror="window.pwned=2;alert(2)"> help'


def hostile_thread() -> Thread:
    return Thread(
        id=HOSTILE_ID,
        title=HOSTILE_TITLE,
        specialty="Dermatology",
        question=HOSTILE_QUESTION,
        subject="<b>burning</b> rash",
        asker=Asker("<i>Mallory</i>", "30~39", "female"),
        asked="2020-05-05",
        replies=(
            Reply(
                "<svg onload=alert(3)>",
                "Dermatology",
                "Burning rash reply <script>alert(4)</script>",
                "2020-05-06",
            ),
        ),
    )


def e2e_threads(count: int = 600, seed: int = 1) -> list[Thread]:
    return list(chain(generate_threads(count, seed=seed), [hostile_thread()]))
