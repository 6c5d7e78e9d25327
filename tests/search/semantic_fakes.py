"""A deterministic stand-in for the sentence encoder: fast, and close texts are close.

Each word is mapped to a concept (a few words share one, like "tummy" and "stomach"),
each concept to a fixed random unit vector, and a text to the normalised sum of its
concepts' vectors. So "tummy ache" is near "stomach pain" though they share no word,
which is what the real model gives and what the hybrid search must make use of.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

CONCEPTS = {
    "tummy": "stomach", "belly": "stomach", "abdomen": "stomach", "abdominal": "stomach",
    "ache": "pain", "aches": "pain", "hurts": "pain", "sore": "pain",
    "itchy": "rash", "itching": "rash", "hives": "rash",
    "glorpy": "stomach", "zink": "pain",  # words no synonym table knows
}
DIM = 384


def concept_vector(concept: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(concept.encode(), digest_size=8).digest(), "little")
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


class FakeEncoder:
    """Has the SentenceEncoder's interface (encode, dim, model_version); counts texts."""

    dim = DIM
    model_version = "fake-concepts-1"

    def __init__(self) -> None:
        self.encoded = 0

    def encode(self, texts: Sequence[str], max_tokens: int = 128, batch_size: int = 32,
               threads: int | None = None) -> np.ndarray:
        self.encoded += len(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            words = re.findall(r"[a-z]+", text.lower())[:max_tokens]
            for word in words:
                out[row] += concept_vector(CONCEPTS.get(word, word))
            norm = np.linalg.norm(out[row])
            if norm > 0:
                out[row] /= norm
        return out
