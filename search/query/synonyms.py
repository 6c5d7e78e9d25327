"""Lay words and the clinical words doctors answer with: "pee" finds "urination".

Porter stemming joins only some forms (itching/itches -> itch, but itchy -> itchi), and
patients and doctors rarely use the same words. Each group below lists words that mean
the same to someone searching; a query word from a group also looks for the others,
at a lower weight, so threads using the asker's own word still rank first.
Groups are curated by hand and kept small: a wrong synonym costs more than a missing one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

SYNONYM_WEIGHT = 0.5  # relative to the word typed

GROUPS: tuple[tuple[str, ...], ...] = (
    ("itch", "itchy", "itching", "pruritus"),
    ("pee", "peeing", "urinate", "urination", "urine"),
    ("poop", "stool", "feces", "bowel movement"),
    ("tummy", "belly", "stomach", "abdomen", "abdominal"),
    ("throw up", "throwing up", "vomit", "vomiting", "puke"),
    ("dizzy", "dizziness", "vertigo", "lightheaded"),
    ("tired", "tiredness", "fatigue", "exhausted", "exhaustion"),
    ("nauseous", "nausea", "queasy"),
    ("swollen", "swelling", "swell"),
    ("bleed", "bleeding", "bled", "bloody"),
    ("ache", "aching", "achy"),
    ("painful", "hurts", "hurting"),
    ("runny nose", "rhinorrhea"),
    ("stuffy nose", "blocked nose", "nasal congestion"),
    ("short of breath", "breathless", "shortness of breath", "dyspnea"),
    ("feverish", "fever", "febrile"),
    ("heartburn", "acid reflux", "reflux"),
    ("pimple", "pimples", "acne", "zit", "zits"),
    ("hives", "urticaria", "welts"),
    ("period", "periods", "menstruation", "menstrual"),
    ("pregnant", "pregnancy"),
    ("sleepless", "insomnia", "can't sleep"),
    ("constipated", "constipation"),
    ("loose stools", "diarrhea", "diarrhoea"),
    ("anxious", "anxiety"),
    ("depressed", "depression", "low mood"),
    ("ringing in the ears", "tinnitus", "ear ringing"),
    ("blurry", "blurred", "blurriness"),
    ("headache", "head pain", "migraine"),
    ("kidney stone", "renal stone", "kidney stones"),
    ("uti", "urinary tract infection", "bladder infection"),
    ("high blood pressure", "hypertension"),
    ("mole", "moles", "nevus"),
    ("eczema", "dermatitis"),
    ("baby", "infant", "newborn"),
    ("kid", "child", "toddler"),
)


class SynonymTable:
    """Analysed-term -> the analysed terms of the other words in its groups.

    Built with the index's own analyzer so it maps exactly the terms that are indexed;
    multi-word entries add a single term only when they analyse to one term.
    """

    def __init__(self, analyse: Callable[[str], list[str]],
                 groups: Iterable[tuple[str, ...]] = GROUPS) -> None:
        self._others: dict[str, set[str]] = {}
        for group in groups:
            terms = {tuple(analyse(word)) for word in group}
            singles = {t[0] for t in terms if len(t) == 1}
            for term in singles:
                self._others.setdefault(term, set()).update(singles - {term})

    def others(self, term: str) -> list[str]:
        """The other terms meaning the same as `term`, sorted; empty when none."""
        return sorted(self._others.get(term, ()))
