"""Thread records built inline for the reindex tests (no parser needed)."""

from __future__ import annotations

from indexer.archive.records import Asker, Reply, Thread

SPECIALTIES = ("Dermatology", "Internal Medicine", "Obstetrics and Gynecology", "Otolaryngology")


def make_thread(n: int, *, specialty: str | None = None, words: str = "", replies: int = 1,
                source: str | None = None) -> Thread:
    """Thread number n: distinct id and title, a searchable word `topic<n>`."""
    specialty = specialty or SPECIALTIES[n % len(SPECIALTIES)]
    return Thread(
        id=f"{n:03d}_thread",
        title=f"Red spots number {n} topic{n}",
        specialty=specialty,
        subject=f"Spots {n}?",
        question=f"I noticed itchy red spots on my thigh {words} case{n}.",
        asker=Asker(name="Shan", age="10~19", sex="female" if n % 2 else "male"),
        asked=f"{2010 + n % 10}-06-01",
        replies=tuple(
            Reply(doctor=f"Dr. Doctor{(n + k) % 5}", specialty=specialty,
                  text=f"Please see a dermatologist, reply {k} for {n}.", date="2016-06-02")
            for k in range(replies)
        ),
        more_info=f"Petechiae are small spots. Article {n} explains causes.",
        source=source or f"archive/{n:03d}_thread.txt",
    )


def make_threads(count: int, start: int = 0) -> list[Thread]:
    return [make_thread(n) for n in range(start, start + count)]
