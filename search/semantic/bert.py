"""BERT's forward pass in numpy, float32 throughout: what the encoder runs per batch.

Written for all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads, FFN 1536, erf GELU), with
no PyTorch. The matrix products go to numpy's BLAS, which uses every core; the rest are
whole-array operations, never a Python loop over tokens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

# Added to attention scores of padding keys: exp() of it is 0, yet it cannot overflow.
_MASKED = np.float32(-1e9)

# Abramowitz & Stegun 7.1.26: erf to within 1.5e-7, far below float32 rounding in the
# output. numpy has no erf, and the tanh GELU differs from BERT's by up to 5e-4. Halved
# coefficients and p / sqrt 2 save passes in _gelu_inplace.
_P = np.float32(0.3275911 / np.sqrt(2.0))
_A = tuple(np.float32(a / 2) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736,
                                       0.254829592))
# Rows of the FFN done at a time: its 1536-wide activations then stay in the CPU's cache
# through the dozen element-wise passes of the GELU, instead of streaming through memory.
_FFN_ROWS = 256
# Attention scores (floats) computed at a time, for the same reason: 2 MB.
_SCORES_IN_CACHE = 1 << 19


@dataclass(frozen=True)
class Layer:
    qkv_w: np.ndarray  # (hidden, 3 * hidden): query (pre-scaled), key, value side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_w: np.ndarray
    ln1_b: np.ndarray
    ffn_in_w: np.ndarray
    ffn_in_b: np.ndarray
    ffn_out_w: np.ndarray
    ffn_out_b: np.ndarray
    ln2_w: np.ndarray
    ln2_b: np.ndarray


@dataclass(frozen=True)
class BertWeights:
    word: np.ndarray  # (vocab, hidden) float16: see from_tensors
    position_and_type: np.ndarray  # (max positions, hidden): position + token type 0
    emb_ln_w: np.ndarray
    emb_ln_b: np.ndarray
    layers: tuple[Layer, ...]
    heads: int
    eps: np.float32

    @property
    def hidden(self) -> int:
        return int(self.word.shape[1])

    @classmethod
    def from_tensors(cls, t: Mapping[str, np.ndarray], heads: int, eps: float) -> BertWeights:
        """From Hugging Face BertModel tensor names (torch's Linear keeps (out, in))."""

        def f32(name: str) -> np.ndarray:
            return np.ascontiguousarray(t[name], dtype=np.float32)

        def linear(name: str) -> tuple[np.ndarray, np.ndarray]:
            return np.ascontiguousarray(f32(name + ".weight").T), f32(name + ".bias")

        hidden = t["embeddings.word_embeddings.weight"].shape[1]
        # Folding 1/sqrt(head size) into the query weights saves a pass over the scores.
        scale = np.float32(1.0 / np.sqrt(hidden // heads))
        layers = []
        n = 0
        while f"encoder.layer.{n}.attention.self.query.weight" in t:
            p = f"encoder.layer.{n}."
            qw, qb = linear(p + "attention.self.query")
            kw, kb = linear(p + "attention.self.key")
            vw, vb = linear(p + "attention.self.value")
            out_w, out_b = linear(p + "attention.output.dense")
            ffn_in_w, ffn_in_b = linear(p + "intermediate.dense")
            ffn_out_w, ffn_out_b = linear(p + "output.dense")
            layers.append(Layer(
                qkv_w=np.ascontiguousarray(np.concatenate([qw * scale, kw, vw], axis=1)),
                qkv_b=np.concatenate([qb * scale, kb, vb]),
                out_w=out_w, out_b=out_b,
                ln1_w=f32(p + "attention.output.LayerNorm.weight"),
                ln1_b=f32(p + "attention.output.LayerNorm.bias"),
                ffn_in_w=ffn_in_w, ffn_in_b=ffn_in_b,
                ffn_out_w=ffn_out_w, ffn_out_b=ffn_out_b,
                ln2_w=f32(p + "output.LayerNorm.weight"),
                ln2_b=f32(p + "output.LayerNorm.bias"),
            ))
            n += 1
        return cls(
            # Half of the model's 86 MB is this table, held by every web worker, and a text
            # reads only its own tokens' rows: float16 halves it (-22 MB a worker). The
            # rows are made float32 as they are read; the vectors' worst cosine with
            # sentence-transformers' stays 0.99999995 (tests/search/data).
            word=np.ascontiguousarray(t["embeddings.word_embeddings.weight"], dtype=np.float16),
            position_and_type=f32("embeddings.position_embeddings.weight")
            + f32("embeddings.token_type_embeddings.weight")[0],
            emb_ln_w=f32("embeddings.LayerNorm.weight"),
            emb_ln_b=f32("embeddings.LayerNorm.bias"),
            layers=tuple(layers),
            heads=heads,
            eps=np.float32(eps),
        )


def mean_pooled(w: BertWeights, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the last hidden states over the real tokens: (batch, hidden) float32.

    ids and mask are (batch, length); mask is 1 for tokens, 0 for padding.
    """
    batch, length = ids.shape
    # (batch * length, hidden), a fresh float32 array we may overwrite
    x = w.word[ids.reshape(-1)].astype(np.float32)
    x = x.reshape(batch, length, -1)
    x += w.position_and_type[:length]
    x = x.reshape(batch * length, -1)
    _layer_norm(x, w.emb_ln_w, w.emb_ln_b, w.eps)
    key_bias = np.where(mask, np.float32(0), _MASKED).astype(np.float32)[:, None, None, :]
    for layer in w.layers:
        x = _layer(w, layer, x, batch, length, key_bias)
    hidden = x.reshape(batch, length, -1)
    maskf = mask.astype(np.float32)
    # Padding rows hold real numbers (they attend to the tokens), so they are weighted
    # out here, as sentence-transformers' pooling does.
    summed = np.einsum("bl,blh->bh", maskf, hidden)
    counts = np.maximum(maskf.sum(axis=1, keepdims=True), np.float32(1e-9))
    return summed / counts


def _layer(w: BertWeights, layer: Layer, x: np.ndarray, batch: int, length: int,
           key_bias: np.ndarray) -> np.ndarray:
    hidden = x.shape[1]
    heads = w.heads
    size = hidden // heads
    qkv = x @ layer.qkv_w
    qkv += layer.qkv_b
    # (3, batch, heads, length, size) as a view: matmul hands these strided slices to BLAS.
    q, k, v = qkv.reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
    context = np.empty((batch, length, heads, size), dtype=np.float32)
    # A few sequences at a time, so their (heads, length, length) scores stay in cache
    # through the softmax's passes: a quarter less time than the whole batch at once.
    step = max(1, _SCORES_IN_CACHE // (heads * length * length))
    for b in range(0, batch, step):
        scores = q[b:b + step] @ k[b:b + step].transpose(0, 1, 3, 2)  # already scaled
        scores += key_bias[b:b + step]
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context[b:b + step] = (scores @ v[b:b + step]).transpose(0, 2, 1, 3)
    attn = context.reshape(batch * length, hidden) @ layer.out_w
    attn += layer.out_b
    attn += x
    _layer_norm(attn, layer.ln1_w, layer.ln1_b, w.eps)

    out = np.empty_like(attn)
    for start in range(0, attn.shape[0], _FFN_ROWS):
        rows = attn[start:start + _FFN_ROWS]
        h = rows @ layer.ffn_in_w
        h += layer.ffn_in_b
        _gelu_inplace(h)
        o = out[start:start + _FFN_ROWS]
        np.matmul(h, layer.ffn_out_w, out=o)
        o += layer.ffn_out_b
        o += rows
    _layer_norm(out, layer.ln2_w, layer.ln2_b, w.eps)
    return out


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: np.float32) -> None:
    """In place over the last axis, float32 like BERT's."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var /= np.float32(x.shape[-1])
    var += eps
    x *= 1.0 / np.sqrt(var)
    x *= weight
    x += bias


def _gelu_inplace(x: np.ndarray) -> None:
    """x * Phi(x), the exact (erf) GELU that BERT uses, to float32 accuracy, in place.

    With c = Phi(-|x|) = (1 - erf(|x| / sqrt 2)) / 2, GELU is x (1 - c) for x >= 0 and x c
    below: max(x, 0) - |x| c either way, with no masked (slow) ufunc.
    """
    ax = np.abs(x)
    t = ax * _P
    t += np.float32(1)
    np.reciprocal(t, out=t)  # A&S's t = 1 / (1 + p |x| / sqrt 2)
    c = t * _A[0]
    for a in _A[1:]:  # Horner's rule
        c += a
        c *= t
    e = np.square(x)
    e *= np.float32(-0.5)
    np.exp(e, out=e)  # exp(-(x / sqrt 2)^2)
    c *= e
    c *= ax
    np.maximum(x, np.float32(0), out=x)
    x -= c
