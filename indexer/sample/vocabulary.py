"""The curated vocabulary that sample archives are written from.

All hand-written for this project. The conditions live in `sample_conditions_a/_b/_c` as a
small text table, one block per specialty:

    ## Specialty | weight | a doctor noun | related specialty; another
    parts: body parts the asker mentions, for every condition (`-`: none); ...
    triggers: when it happens; ...
    - FAQ Topic: lay symptom phrase; another phrase; ...
      parts: where this condition is felt, if not the specialty's parts; ...
      causes: what the doctor may name; ...
      advice: what the doctor suggests; ...

The weight sets how often the specialty is asked about, so the spread is skewed like the
real site's (Dermatology far ahead of Neurosurgery). Everything here is a tuple, never a
set, so that generation never depends on hash ordering.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from indexer.sample import conditions_a, conditions_b, conditions_c


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


def _items(text: str) -> tuple[str, ...]:
    """`a; b; c` -> ("a", "b", "c"); a lone `-` is the empty list."""
    return tuple(item.strip() for item in text.split(";") if item.strip() not in ("", "-"))


def parse_table(table: str) -> tuple[Specialty, ...]:
    """Read one curated table (layout in the module docstring).

    A `parts:` line before the first condition is the specialty's default; one inside a
    condition replaces it for that condition.
    """
    specialties: list[Specialty] = []
    head: list[str] = []
    fields: dict[str, tuple[str, ...]] = {}
    conditions: list[dict[str, tuple[str, ...]]] = []

    def finish() -> None:
        if not head:
            return
        name, weight, noun, related = head
        built = tuple(
            Condition(c["topic"][0], name, c["symptoms"], c["causes"], c["advice"],
                      c.get("parts", fields["parts"]))
            for c in conditions
        )
        specialties.append(
            Specialty(name, int(weight), noun, _items(related), fields["triggers"], built)
        )

    for raw in table.strip().splitlines():
        line = raw.strip()
        if line.startswith("## "):
            finish()
            head = [part.strip() for part in line[3:].split("|")]
            fields, conditions = {}, []
        elif line.startswith("- "):
            topic, symptoms = line[2:].split(":", 1)
            conditions.append({"topic": (topic.strip(),), "symptoms": _items(symptoms)})
        elif line:
            key, value = (part.strip() for part in line.split(":", 1))
            (conditions[-1] if conditions else fields)[key] = _items(value)
    finish()
    return tuple(specialties)


SPECIALTIES: tuple[Specialty, ...] = (
    parse_table(conditions_a.TABLE)
    + parse_table(conditions_b.TABLE)
    + parse_table(conditions_c.TABLE)
)
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
