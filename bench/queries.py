"""The fixed query mix, drawn deterministically from the sample archive's own text.

Three kinds in equal shares, as people type them into a symptom search:

- `words`: 1-3 content words from a thread's subject or title ("red spots thigh");
- `description`: a run of 4-8 consecutive words from a question;
- `question`: a whole question pasted in (cut at the request's character limit).

A third of the queries (chosen at random, not by kind) also filter by a specialty: the
specialty of the thread the words came from, as a user narrowing to the right clinic
would. The same seed gives the same queries, so runs compare.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from indexer.archive.records import Thread
from indexer.archive.sources import read_sources
from search.index.schema import STOP_WORDS_USED
from search.request import MAX_QUERY_CHARS

KINDS = ("words", "description", "question")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
# Lay-language filler that is not in Whoosh's stop list but makes a poor search word.
_FILLER = frozenset(
    (
        "about", "also", "been", "could", "does", "doing", "doctor", "have", "having", "help",
        "hello", "please", "really", "should", "some", "thank", "thanks", "that", "there", "these",
        "they", "this", "what", "when", "which", "will", "with", "would", "your",
    )
)


@dataclass(frozen=True)
class BenchQuery:
    text: str
    kind: str
    specialty: str | None = None

    def url_path(self, route: str = "/") -> str:
        """The request path for the web benchmark, e.g. `/?q=red+spots&specialty=...`."""
        params = [("q", self.text)]
        if self.specialty:
            params.append(("specialty", self.specialty))
        return f"{route}?{urlencode(params)}"


def archive_pages(archive: Path) -> list[Path]:
    """Every page file under `archive`, in a stable order."""
    return sorted(path for path in archive.rglob("*.txt") if path.is_file())


def sample_threads(archive: Path, count: int, seed: int) -> list[Thread]:
    """Up to `count` threads parsed (by the project's parser) from pages picked by `seed`."""
    pages = archive_pages(archive)
    picked = sorted(random.Random(seed).sample(pages, min(count, len(pages))))
    return [item for item in read_sources(picked) if isinstance(item, Thread)]


def build_query_mix(
    threads: Sequence[Thread],
    count: int,
    seed: int,
    *,
    filtered_share: float = 1 / 3,
    exclude: Iterable[BenchQuery] = (),
) -> list[BenchQuery]:
    """`count` distinct queries (text + filter), kinds in equal shares, in a shuffled order.

    Queries in `exclude` are never produced, so a warm-up set and a measured set built
    from the same threads do not overlap.
    """
    if not threads:
        raise ValueError("no threads to draw queries from: is the sample archive empty?")
    rng = random.Random(seed)
    seen = set(exclude)
    queries: list[BenchQuery] = []
    filtered = set(rng.sample(range(count), round(count * filtered_share)))
    # A kind that keeps repeating itself is used up (a small archive has only so many
    # questions to paste); the others fill in, and kind_counts() shows the actual mix.
    kinds, misses, kind = list(KINDS), 0, KINDS[0]
    while len(queries) < count:
        if misses > 500:
            kinds.remove(kind)
            misses = 0
            if not kinds:
                raise ValueError(
                    f"could only draw {len(queries)} distinct queries of {count} from "
                    f"{len(threads)} threads: sample more threads"
                )
        kind = kinds[len(queries) % len(kinds)]
        thread = rng.choice(threads)
        text = _query_text(kind, thread, rng)
        specialty = thread.specialty if len(queries) in filtered else None
        query = BenchQuery(text=text, kind=kind, specialty=specialty)
        if not text or query in seen:
            misses += 1
            continue
        misses = 0
        seen.add(query)
        queries.append(query)
    rng.shuffle(queries)
    return queries


def zipf_sequence(
    pool: Sequence[BenchQuery], length: int, seed: int, exponent: float = 1.1
) -> list[BenchQuery]:
    """`length` queries drawn from `pool` (most popular first) with P(rank r) ~ 1 / r**exponent.

    With exponent 1.1 over a thousand queries the top ten take about a third of the
    traffic and most queries are asked once or twice: a few popular searches, a long tail.
    """
    weights = [1 / (rank**exponent) for rank in range(1, len(pool) + 1)]
    return random.Random(seed).choices(list(pool), weights=weights, k=length)


def save_queries(queries: Sequence[BenchQuery], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(query) for query in queries], indent=1) + "\n")


def load_queries(path: Path) -> list[BenchQuery]:
    return [BenchQuery(**item) for item in json.loads(path.read_text())]


def kind_counts(queries: Iterable[BenchQuery]) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    for query in queries:
        counts[query.kind] += 1
    return counts


def _query_text(kind: str, thread: Thread, rng: random.Random) -> str:
    if kind == "words":
        words = _content_words(f"{thread.subject} {thread.title}")
        if not words:
            return ""
        return " ".join(rng.sample(words, min(len(words), rng.randint(1, 3))))
    if kind == "description":
        words = _WORD.findall(thread.question)
        if len(words) < 4:
            return ""
        size = rng.randint(4, min(8, len(words)))
        start = rng.randrange(len(words) - size + 1)
        return " ".join(words[start : start + size])
    return " ".join(thread.question.split())[:MAX_QUERY_CHARS]


def _content_words(text: str) -> list[str]:
    words: dict[str, None] = {}
    for word in _WORD.findall(text):
        lower = word.lower()
        if len(lower) >= 3 and lower not in STOP_WORDS_USED and lower not in _FILLER:
            words.setdefault(lower, None)
    return list(words)
