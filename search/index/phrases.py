"""The archive's own phrases, for suggestions as you type: written at reindex, read at open.

Suggestions come only from what the archive says, never from what people typed (health
searches are private): each thread's title, the asker's subject line (a lay phrase,
"Itchy bumps that come and go") and its Related FAQ topics (the conditions, "Eczema").
A phrase's weight is the number of threads that carry it in one of those places, so a
suggestion ranks by how many threads it leads to.

Phrases are matched on a normalised key (lower case, accents folded, punctuation as
spaces). The reindex writes one file into the generation, `phrases.npz` (numpy, no
pickles), replaced atomically so a reader never sees half of it:

    lines     UTF-8 text, one line per distinct key, in key order: threads TAB key TAB text
    suffixes  int32 pairs (phrase number, character offset), one for the start of the key
              and one after each space in it, sorted by the key's text from that offset:
              a suffix array over word starts, so "spots" finds "red spots" by
              bisection, with no sorting when a worker opens it.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from whoosh.support.charset import accent_map

PHRASES_FILE = "phrases.npz"
MAX_PHRASE_CHARS = 90  # a longer subject line is a sentence, not something to suggest
MAX_PHRASE_WORDS = 12
MIN_KEY_CHARS = 3
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_TRAILING = re.compile(r"[\s?!.,:;]+$")


def phrase_key(text: str) -> str:
    """`Red Spots (thigh)?` -> `red spots thigh`: what typed text is matched against."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold().translate(accent_map)).split())


def typed_key(text: str) -> str:
    """The key of what someone is typing; a trailing space is kept ("red " is a whole
    word, so it suggests "red spots" but not "reddish skin")."""
    key = phrase_key(text)
    return f"{key} " if key and text[-1:].isspace() else key


class PhraseCounter:
    """Counts, over a stream of threads, how many threads carry each phrase."""

    def __init__(self) -> None:
        self.threads: Counter[str] = Counter()  # key -> threads carrying it
        self._texts: dict[str, Counter[str]] = {}  # key -> its spellings, by use
        self._keys: dict[str, str] = {}  # text -> key, remembered (topics repeat a lot)

    def add(self, title: str, subject: str, topics: Iterable[str]) -> None:
        """One thread's phrases; a thread counts once per phrase, wherever it says it."""
        seen: dict[str, str] = {}
        for raw in (title, subject, *topics):
            text = _TRAILING.sub("", " ".join((raw or "").split()))
            if not text or len(text) > MAX_PHRASE_CHARS:
                continue
            key = self._keys.get(text)
            if key is None:
                key = phrase_key(text)
                if len(self._keys) < 500_000:
                    self._keys[text] = key
            if len(key) >= MIN_KEY_CHARS and key.count(" ") < MAX_PHRASE_WORDS:
                seen.setdefault(key, text)
        for key, text in seen.items():
            self.threads[key] += 1
            self._texts.setdefault(key, Counter())[text] += 1

    def write(self, generation: Path) -> None:
        """The phrases file into `generation`, replaced atomically."""
        keys = sorted(self.threads)
        lines = []
        for key in keys:
            spellings = self._texts[key]
            # The spelling most threads use; ties by the first in sort order (stable).
            text = min(spellings, key=lambda t: (-spellings[t], t))
            lines.append(f"{self.threads[key]}\t{key}\t{text}\n")
        entries = [
            (number, offset)
            for number, key in enumerate(keys)
            for offset in (0, *(m.end() for m in re.finditer(" ", key)))
        ]
        entries.sort(key=lambda entry: keys[entry[0]][entry[1]:])
        suffixes = np.array(entries, dtype=np.int32).reshape(-1, 2)
        encoded = np.frombuffer("".join(lines).encode("utf-8"), dtype=np.uint8)
        tmp = generation / f".{PHRASES_FILE}.tmp"
        with open(tmp, "wb") as handle:
            np.savez(handle, lines=encoded, suffixes=suffixes)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, generation / PHRASES_FILE)


def read_phrases(generation: Path) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """(keys, texts, thread counts, suffix array) of a generation; empty when it has none
    (an index built before phrases were written: suggestions are then simply empty)."""
    try:
        with np.load(generation / PHRASES_FILE, allow_pickle=False) as stored:
            data = stored["lines"].tobytes().decode("utf-8")
            suffixes = stored["suffixes"]
    except (FileNotFoundError, KeyError, ValueError, OSError):
        return [], [], np.zeros(0, dtype=np.int32), np.zeros((0, 2), dtype=np.int32)
    keys, texts, counts = [], [], []
    for line in data.splitlines():
        count, key, text = line.split("\t", 2)
        counts.append(int(count))
        keys.append(key)
        texts.append(text)
    return keys, texts, np.array(counts, dtype=np.int32), suffixes
