"""What people type finds the right threads: names as text, lay phrases both ways,
words standing together, long pasted questions. Hand-written threads, one index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from indexer.archive.records import Asker, Reply, Thread
from indexer.build.reindex import build_index
from search.engine import SearchEngine
from search.request import SearchRequest


def _thread(
    thread_id: str, title: str, question: str, specialty: str = "Family Medicine",
    doctors: tuple[str, ...] = ("Lin Chih-Hao",), reply: str = "Rest and drink water.",
    subject: str = "",
) -> Thread:
    return Thread(
        id=thread_id, title=title, specialty=specialty, question=question, subject=subject,
        asker=Asker("Ann", "30~39", "female"), asked="2020-01-01",
        replies=tuple(Reply(doctor, specialty, reply, "2020-01-02") for doctor in doctors),
    )


THREADS = (
    _thread("wu-first", "Red Spots on the Arm", "Small red spots on my arm since Monday.",
            "Dermatology", ("Wu Yuxin",)),
    _thread("wu-second", "Dry Skin in Winter", "My skin cracks every winter.",
            "Dermatology", ("Lin Chih-Hao", "Wu Yuxin")),
    _thread("yang-yuxin", "Knee Pain on Stairs", "My knee hurts on the stairs.",
            "Orthopedics", ("Yang Yuxin",)),
    _thread("wu-other", "Sore Back", "My back is sore after gardening.",
            "Orthopedics", ("Wu Zhenyu",)),
    _thread("accented", "Ankle Sprain", "I twisted my ankle playing football.",
            "Orthopedics", ("Zoë Müller",)),
    _thread("rash-other", "Itchy Rash on the Legs", "An itchy rash on both legs.",
            "Family Medicine", ("Lin Chih-Hao",)),
    _thread("vomit", "Vomiting After Meals", "Vomiting after every meal for a week.",
            "Gastroenterology"),
    _thread("throw-up", "Son Keeps Throwing Up", "My son keeps throwing up at night.",
            "Pediatrics"),
    _thread("tinnitus", "Tinnitus After a Concert", "Tinnitus since the concert.",
            "Otolaryngology"),
    _thread("ears-literal", "Ear Wax", "My ears feel full; the ringing phone hurts.",
            "Otolaryngology"),
    _thread("alopecia", "Alopecia in Patches", "Round patches of alopecia on the scalp.",
            "Dermatology"),
    _thread("insomnia", "Insomnia for Months", "Insomnia every night for months.",
            "Psychiatry"),
    _thread("morning-1", "Morning Headaches", "I wake up with morning headaches.",
            "Neurology"),
    _thread("morning-2", "Headaches in the Morning", "Headaches when I wake.", "Neurology"),
    *(
        _thread(f"afternoon-{n}", f"Headache Every Afternoon ({n})",
                f"A headache every afternoon; fine in the morning. Case {n}.", "Neurology")
        for n in range(1, 4)
    ),
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    directory: Path = tmp_path_factory.mktemp("relevance-index")
    build_index(THREADS, directory)
    with SearchEngine(directory) as opened:
        yield opened


def ids(engine: SearchEngine, text: str, **options) -> list[str]:
    return [hit.id for hit in engine.search(SearchRequest(text, per_page=50, **options)).results]


# -- names as text -----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Wu Yuxin", "Dr. Wu Yuxin", "dr wu yuxin", "WU YUXIN"])
def test_a_doctors_name_finds_every_thread_they_replied_to(engine, text):
    # First or second replier; not every Wu's nor every Yuxin's threads.
    assert sorted(ids(engine, text)) == ["wu-first", "wu-second"]


def test_names_are_found_with_accents_folded(engine):
    assert ids(engine, "zoe muller") == ["accented"]
    assert ids(engine, "Dr. Zoë Müller") == ["accented"]


def test_a_specialty_name_finds_its_threads(engine):
    found = ids(engine, "dermatology")
    assert sorted(found) == ["alopecia", "wu-first", "wu-second"]
    assert sorted(ids(engine, "Orthopedics")) == ["accented", "wu-other", "yang-yuxin"]


def test_a_name_never_drowns_the_symptoms_typed_beside_it(engine):
    found = ids(engine, "itchy rash Wu Yuxin")
    # The rash thread (another doctor's) ranks above Dr. Wu's threads about other things.
    assert found[0] == "rash-other"
    assert set(found[1:3]) == {"wu-first", "wu-second"}
    # ... and among Dermatology threads the name breaks the tie.
    assert ids(engine, "red spots dermatology")[0] == "wu-first"


# -- lay vocabulary ------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "own", "other"), [
    ("throwing up", "throw-up", "vomit"),
    ("vomiting", "vomit", "throw-up"),
    ("tinnitus", "tinnitus", None),
    ("hair loss", None, "alopecia"),
    ("can't sleep", None, "insomnia"),
])
def test_lay_and_clinical_phrases_find_each_other_typed_words_first(engine, typed, own, other):
    found = ids(engine, typed)
    if own is not None:
        assert found[0] == own
    if other is not None:
        assert other in found
        if own is not None:
            assert found.index(own) < found.index(other)


def test_a_phrase_matches_with_its_stop_words_changed(engine):
    # "ringing in my ears" is HPO's "ringing in the ears": it finds the tinnitus thread,
    # which shares no word with it, next to the one sharing its literal words.
    assert set(ids(engine, "ringing in my ears")) == {"tinnitus", "ears-literal"}
    assert ids(engine, "ringing in my ears", exact=True) == ids(engine, "ringing in my ears")


# -- proximity ----------------------------------------------------------------------------

def test_words_standing_together_rank_above_scattered_ones(engine):
    found = ids(engine, "headache every morning")
    assert set(found[:2]) == {"morning-1", "morning-2"}
    assert all(found.index(f"afternoon-{n}") > 1 for n in range(1, 4))


def test_a_pair_earns_its_bonus_only_where_its_words_stand_together(engine):
    gen = engine._current
    docnums = np.array([gen.searcher.document_number(id=f"{kind}-1")
                        for kind in ("morning", "afternoon")])
    morning, afternoon = gen.ranker.proximity.bonus(docnums, [("morn", "headach")])
    assert morning > 0 and afternoon == 0  # "headache every afternoon; fine in the morning"
    morning, afternoon = gen.ranker.proximity.bonus(docnums, [("everi", "afternoon")])
    assert afternoon > 0 and morning == 0


def test_proximity_reads_the_best_candidates_only(engine):
    from search.results.proximity import MAX_CANDIDATES, PROXIMITY_FIELDS

    scorer = engine._current.ranker.proximity
    before = scorer.fields_read
    engine.search(SearchRequest("headache every morning"))
    assert 0 < scorer.fields_read - before <= MAX_CANDIDATES * len(PROXIMITY_FIELDS)
