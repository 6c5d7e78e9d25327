"""The sample archive's conditions file: every entry well formed, so a typo in the data
fails here with its place named instead of deep inside the generator."""

from __future__ import annotations

from typing import Any

import pytest

from indexer.sample.vocabulary import load_conditions_file, parse_conditions

SPECIALTY_KEYS = {"name", "weight", "doctor_noun", "related", "parts", "triggers", "condition"}
CONDITION_KEYS = {"topic", "symptoms", "causes", "advice"}
OPTIONAL_CONDITION_KEYS = {"parts"}


def _phrases(value: Any, where: str) -> None:
    assert isinstance(value, list), f"{where}: a list of phrases, got {type(value).__name__}"
    for phrase in value:
        assert isinstance(phrase, str) and phrase.strip() == phrase and phrase, (
            f"{where}: {phrase!r} is not a trimmed, non-empty string"
        )
    assert len(set(value)) == len(value), f"{where}: repeated phrases"


def _problems(data: dict[str, Any]) -> None:
    names = [entry.get("name") for entry in data["specialty"]]
    assert len(set(names)) == len(names), "a specialty is listed twice"
    topics: list[str] = []
    for entry in data["specialty"]:
        name = entry.get("name", "?")
        assert set(entry) == SPECIALTY_KEYS, f"{name}: keys {sorted(set(entry) ^ SPECIALTY_KEYS)}"
        assert isinstance(entry["weight"], int) and entry["weight"] >= 1, f"{name}: weight"
        assert entry["doctor_noun"].startswith(("a ", "an ")), f"{name}: doctor_noun"
        for key in ("related", "parts", "triggers"):
            _phrases(entry[key], f"{name}.{key}")
        assert set(entry["related"]) <= set(names), f"{name}: related names no specialty"
        assert entry["condition"], f"{name}: no conditions"
        for condition in entry["condition"]:
            where = f"{name} / {condition.get('topic', '?')}"
            keys = set(condition)
            assert CONDITION_KEYS <= keys <= CONDITION_KEYS | OPTIONAL_CONDITION_KEYS, where
            for key in keys - {"topic"}:
                _phrases(condition[key], f"{where}.{key}")
            for key in CONDITION_KEYS - {"topic"}:
                assert condition[key], f"{where}.{key} is empty"
            topics.append(condition["topic"])
    assert len(set(topics)) == len(topics), "two conditions share a topic"


def test_every_entry_of_the_packaged_file_is_well_formed() -> None:
    data = load_conditions_file()
    _problems(data)
    specialties = parse_conditions(data)
    assert len(specialties) == len(data["specialty"])


@pytest.mark.parametrize(
    "broken",
    [
        lambda d: d["specialty"][0].pop("weight"),
        lambda d: d["specialty"][0]["condition"][0].update(symptoms=[]),
        lambda d: d["specialty"][0]["condition"][0].update(causes=["fine", " padded "]),
        lambda d: d["specialty"][1].update(related=["No Such Specialty"]),
        lambda d: d["specialty"][1]["condition"][0].update(
            topic=d["specialty"][0]["condition"][0]["topic"]
        ),
    ],
)
def test_a_malformed_entry_is_caught(broken: Any) -> None:
    data = load_conditions_file()
    broken(data)
    with pytest.raises(AssertionError):
        _problems(data)
