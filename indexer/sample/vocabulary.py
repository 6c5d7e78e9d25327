"""The curated vocabulary that sample archives are written from.

All hand-written for this project. The conditions are data, in `conditions.toml` beside
this module (its header comment explains each key); the names, ages and doctors are
below. Everything here is a tuple, never a set, so that generation never depends on
hash ordering.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

CONDITIONS_FILE = "conditions.toml"
EVERYDAY_FILE = "everyday.toml"
ZIPF_EXPONENT = 1.0  # item k of a list is drawn in proportion to 1 / k**ZIPF_EXPONENT


@dataclass(frozen=True)
class Condition:
    topic: str  # the Related FAQ topic, e.g. "Red Spots"
    specialty: str
    symptoms: tuple[str, ...]  # lay phrases in the asker's voice
    causes: tuple[str, ...]
    advice: tuple[str, ...]
    body_parts: tuple[str, ...]  # where it is felt; empty when no place fits (insomnia)


@dataclass(frozen=True)
class Specialty:
    name: str
    weight: int
    doctor_noun: str  # "a dermatologist": who the asker should see
    related: tuple[str, ...]  # specialties whose doctors sometimes reply instead
    triggers: tuple[str, ...]
    conditions: tuple[Condition, ...]


def parse_conditions(data: dict[str, Any]) -> tuple[Specialty, ...]:
    """The specialties of a parsed conditions file (layout in its header comment).

    A specialty's `parts` is the default for its conditions; a condition's own replaces it.
    """
    specialties = []
    for entry in data["specialty"]:
        conditions = tuple(
            Condition(
                topic=c["topic"],
                specialty=entry["name"],
                symptoms=tuple(c["symptoms"]),
                causes=tuple(c["causes"]),
                advice=tuple(c["advice"]),
                body_parts=tuple(c.get("parts", entry["parts"])),
            )
            for c in entry["condition"]
        )
        specialties.append(
            Specialty(
                name=entry["name"],
                weight=entry["weight"],
                doctor_noun=entry["doctor_noun"],
                related=tuple(entry["related"]),
                triggers=tuple(entry["triggers"]),
                conditions=conditions,
            )
        )
    return tuple(specialties)


def load_conditions_file() -> dict[str, Any]:
    """The packaged conditions file, parsed."""
    return _load(CONDITIONS_FILE)


def _load(name: str) -> dict[str, Any]:
    with resources.files(__package__).joinpath(name).open("rb") as file:
        return tomllib.load(file)


_CUMULATIVE: dict[int, tuple[tuple[Any, ...], list[float]]] = {}


def zipf_choice(rng: random.Random, items: tuple[Any, ...]) -> Any:
    """One of `items`, the first often and the last rarely (rank-frequency like real text)."""
    known = _CUMULATIVE.get(id(items))
    if known is None or known[0] is not items:
        total, cumulative = 0.0, []
        for rank in range(1, len(items) + 1):
            total += rank**-ZIPF_EXPONENT
            cumulative.append(total)
        known = _CUMULATIVE[id(items)] = (items, cumulative)
    return rng.choices(items, cum_weights=known[1])[0]


_EVERYDAY = _load(EVERYDAY_FILE)
TITLE_FRAMES: tuple[str, ...] = tuple(_EVERYDAY["title_frames"])
QUALIFIERS: tuple[str, ...] = tuple(_EVERYDAY["qualifiers"])
FOLLOW_UPS: tuple[str, ...] = tuple(_EVERYDAY["follow_ups"])
EVERYDAY_SENTENCES: tuple[str, ...] = (
    *_EVERYDAY["sentences"], *_EVERYDAY["lists"]["extra_sentences"]
)
EVERYDAY_LISTS: dict[str, tuple[str, ...]] = {
    name: tuple(values)
    for name, values in _EVERYDAY["lists"].items()
    if name != "extra_sentences"
}


SPECIALTIES: tuple[Specialty, ...] = parse_conditions(load_conditions_file())
SPECIALTY_BY_NAME = {specialty.name: specialty for specialty in SPECIALTIES}
CONDITIONS: tuple[Condition, ...] = tuple(c for s in SPECIALTIES for c in s.conditions)

AGE_BANDS = ("10~19", "20~29", "30~39", "40~49", "50~59", "60~69", "70~79")
AGE_BAND_WEIGHTS = (12, 30, 25, 15, 9, 6, 3)
SEXES = ("female", "male")

ASKER_NAMES = (
    "Shan", "Mei", "Kevin", "Amy", "Jason", "Lin", "Wei", "Grace", "Tom", "Hui", "Ming",
    "Jenny", "Eric", "Ling", "Sarah", "David", "Yu", "Ting", "Alex", "Anna", "Chen", "Kai",
    "Lily", "Peter", "Joy", "Ben", "Vivian", "Sam", "Rita", "Leo", "Ivy", "Max", "Nina",
    "Hao", "Emma", "Ray", "Zoe", "Jun", "Fang", "Mike", "Cindy", "Andy", "Yan", "Tina",
    "José", "Zoë", "Renée", "Chloé", "Björn", "Ana María", "小美", "阿明", "Mr. Lee", "Xiao Wang",
)

DOCTOR_SURNAMES = (
    "Wu", "Lin", "Chen", "Huang", "Chang", "Lee", "Wang", "Liu", "Tsai", "Yang", "Hsu",
    "Cheng", "Hsieh", "Kuo", "Hung", "Tseng", "Chiu", "Liao", "Lai", "Chou", "Yeh", "Su",
    "Chuang", "Lu", "Chiang", "Ho", "Lo", "Kao", "Shih", "Pan", "Jian", "Zhong", "Peng",
    "Tang", "Fan", "Fu", "Xiao", "Jin", "Du", "Yan",
)
DOCTOR_GIVEN_NAMES = (
    "Yuxin", "Yongxun", "Lianchun", "Zhiwei", "Jiahao", "Mingde", "Shuhui", "Yating",
    "Guoliang", "Jianhong", "Wenjie", "Zhenyu", "Huiling", "Chengen", "Junjie", "Xiuying",
    "Kaiwen", "Meiling", "Zongxian", "Boyu", "Yiru", "Qingwen", "Shaowei", "Tianyou",
    "Ruolan", "Haoran", "Jingyi", "Chunhua", "Weiting", "Zihan", "Yaozu", "Peiyu",
    "Xinhong", "Minghui", "Jiayi", "Songlin", "Yuling", "Deming", "Hanxiang", "Lihua",
)
DOCTOR_COUNT = 320


def _doctor_roster() -> dict[str, tuple[str, ...]]:
    """About DOCTOR_COUNT doctors, each with one specialty, in proportion to its weight.

    A fixed seed: the roster is part of the vocabulary, the same for every archive.
    """
    rng = random.Random("qasearch-doctor-roster")
    names = [f"{s} {g}" for s in DOCTOR_SURNAMES for g in DOCTOR_GIVEN_NAMES]
    rng.shuffle(names)
    total = sum(s.weight for s in SPECIALTIES)
    roster: dict[str, tuple[str, ...]] = {}
    start = 0
    for specialty in SPECIALTIES:
        size = max(4, round(DOCTOR_COUNT * specialty.weight / total))
        roster[specialty.name] = tuple(names[start:start + size])
        start += size
    return roster


DOCTORS_BY_SPECIALTY = _doctor_roster()
