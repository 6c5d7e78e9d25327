"""Hand-written threads for the web tests: a few topics, a hostile one, a page-filling set."""

from __future__ import annotations

from indexer.archive.records import Asker, RelatedFaq, Reply, Thread

HOSTILE_ID = "hostile-001"
HOSTILE_TITLE = "<script>alert(1)</script> Strange rash that burns"
HOSTILE_QUESTION = "My rash burns at night <img src=x onerror=alert(1)> what is it?"
NEUROLOGY_DOCTORS = tuple(f"Dr. Neuro {letter}" for letter in "ABCDEFGHIJKL")  # 12 > facet size


def _thread(
    thread_id: str,
    title: str,
    specialty: str,
    question: str,
    doctor: str | None,
    asked: str,
    **extra: object,
) -> Thread:
    replies = (
        (Reply(doctor, specialty, f"{doctor} answers: please see a doctor in person.", asked),)
        if doctor
        else ()
    )
    return Thread(
        id=thread_id,
        title=title,
        specialty=specialty,
        question=question,
        subject=title.split(":")[0],
        asker=Asker("Shan", "20~29", "female"),
        asked=asked,
        replies=replies,
        **extra,  # type: ignore[arg-type]
    )


def sample_threads() -> list[Thread]:
    threads = [
        _thread(
            "derm-red-spots",
            "Red Spots on the Thigh: Causes and Concerns",
            "Dermatology",
            "About a week ago I noticed red spots on my thigh, smooth and not raised.",
            "Dr. Wu Yuxin",
            "2016-06-01",
            more_info="Petechiae are small flat red spots.\nAllergies can cause them too.",
            related_faq=(RelatedFaq("Red Spots", "Dermatology"), RelatedFaq("Petechiae", None)),
        ),
        _thread(
            "derm-itchy-rash",
            "Itchy Rash on Both Arms",
            "Dermatology",
            "An itchy red rash with small spots appeared on both arms after gardening.",
            "Dr. Jin Lianchun",
            "2018-03-10",
        ),
        _thread(
            "im-red-spots-legs",
            "Red Spots on the Legs After Exercise",
            "Internal Medicine",
            "Red spots show on my legs after running; could it be allergic purpura?",
            "Dr. Xiao Yongxun",
            "2019-01-05",
        ),
        _thread(
            "fm-night-cough",
            "Persistent Cough at Night",
            "Family Medicine",
            "I cough every night for three weeks, dry cough, no fever.",
            "Dr. Lin Mei",
            "2020-11-20",
        ),
        _thread(
            "ob-spotting",
            "Light Spotting in Early Pregnancy",
            "Obstetrics and Gynecology",
            "I am eight weeks pregnant and noticed light spotting this morning.",
            None,
            "2021-02-14",
        ),
        Thread(
            id=HOSTILE_ID,
            title=HOSTILE_TITLE,
            specialty="Dermatology",
            question=HOSTILE_QUESTION,
            subject="<b>bold</b> subject",
            asker=Asker("<i>Mallory</i>", None, None),
            asked="2017-07-07",
            replies=(
                Reply("Dr. <em>Evil</em>", "Dermatology", "Reply <script>alert(2)</script>", None),
            ),
            more_info="<iframe src=//evil.example></iframe>",
            related_faq=(RelatedFaq("<script>alert(3)</script>", "Dermatology"),),
        ),
    ]
    # Enough headache threads for several result pages and a doctor facet longer than
    # the panel shows.
    for number in range(1, 25):
        doctor = NEUROLOGY_DOCTORS[number % len(NEUROLOGY_DOCTORS)]
        threads.append(
            _thread(
                f"neuro-headache-{number:02d}",
                f"Headache Case {number}: Throbbing Pain Behind the Eyes",
                "Neurology",
                f"Case {number}: a throbbing headache behind the eyes for {number} days, "
                "worse in bright light.",
                doctor,
                f"20{10 + number % 12:02d}-{1 + number % 12:02d}-15",
            )
        )
    return threads
