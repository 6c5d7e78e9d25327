"""Compose one synthetic Thread from the curated vocabulary, deterministically.

Thread `index` of an archive with `seed` is drawn from `random.Random(f"{seed}:{index}")`
only, so any thread can be rebuilt alone: pages are written in parallel, and a thread's
"Similar Q&A" block quotes the real title, question and answer of other threads by
rebuilding just their opening part (`thread_head`).

Conditions are dealt to threads from a shuffled deck of SLOTS cards (thread i gets card
i % SLOTS), in which each condition has cards in proportion to its weight. This gives the
skewed specialty spread and lets a thread find others of its own condition without
generating the archive first.

Longer than our usual ~300 lines on purpose: `_Composer` writes every part of a thread
(subject, question, replies, follow-ups) from one random stream, whose order of draws is
what makes archives reproducible; splitting it would spread that order over files.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
from dataclasses import dataclass
from functools import lru_cache

from indexer.archive.records import Asker, RelatedFaq, Reply, SimilarThread, Thread
from indexer.sample import phrases as P
from indexer.sample.vocabulary import (
    AGE_BAND_WEIGHTS,
    AGE_BANDS,
    ASKER_NAMES,
    CONDITIONS,
    DOCTORS_BY_SPECIALTY,
    EVERYDAY_LISTS,
    EVERYDAY_SENTENCES,
    FOLLOW_UPS,
    QUALIFIERS,
    SEXES,
    SPECIALTY_BY_NAME,
    TITLE_FRAMES,
    Condition,
    zipf_choice,
)

SLOTS = 1000
# Every REFERENCE_LIKE_EVERY-th thread has every section, filled like the reference page.
REFERENCE_LIKE_EVERY = 200
FIRST_DAY = datetime.date(2010, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
CONDITION_NUMBER = {condition: number for number, condition in enumerate(CONDITIONS)}
FIRST_PERSON = re.compile(r"\b(?:I|my|me)\b")  # "burning when I pee" is no one else's
_PUNCTUATION = ":?!.,;-()\"'"
SMALL_WORDS = frozenset(
    ("a", "an", "and", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to", "with")
)


def thread_id(seed: int, index: int) -> str:
    """Stable id (and file stem) of thread `index`: `000123_<16 hex>`."""
    digest = hashlib.blake2b(f"{seed}:{index}".encode(), digest_size=8).hexdigest()
    return f"{index:06d}_{digest}"


@lru_cache(maxsize=8)
def condition_deck(seed: int) -> tuple[tuple[int, ...], dict[int, tuple[int, ...]]]:
    """(condition number of each slot, slots of each condition) for one seed."""
    weights = []
    for condition in CONDITIONS:
        specialty = SPECIALTY_BY_NAME[condition.specialty]
        rank = specialty.conditions.index(condition)
        share = (rank + 1) ** -0.7 / sum((k + 1) ** -0.7 for k in range(len(specialty.conditions)))
        weights.append(specialty.weight * share)
    total = sum(weights)
    # Each condition gets at least one card; the rest go by largest remainder.
    exact = [max(1.0, w * SLOTS / total) for w in weights]
    cards = [int(e) for e in exact]
    by_remainder = sorted(range(len(exact)), key=lambda c: (cards[c] - exact[c], c))
    for c in by_remainder[: SLOTS - sum(cards)]:
        cards[c] += 1
    deck = [c for c, n in enumerate(cards) for _ in range(n)][:SLOTS]
    random.Random(f"{seed}:deck").shuffle(deck)
    slots: dict[int, list[int]] = {}
    for position, c in enumerate(deck):
        slots.setdefault(c, []).append(position)
    return tuple(deck), {c: tuple(p) for c, p in slots.items()}


@dataclass(frozen=True)
class ThreadHead:
    """The opening of a thread: what another thread's Similar Q&A block quotes."""

    condition: int
    title: str
    subject: str
    question: str
    asker: Asker
    asked: str
    reply: Reply


@lru_cache(maxsize=32)
def _without_part(templates: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in templates if "{part}" not in t and "{Part}" not in t)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def title_case(text: str) -> str:
    """`a late period after the pill` -> `Late Period After the Pill` (for titles)."""
    words = text.split(" ")
    if len(words) > 1 and words[0] in ("a", "an"):
        words = words[1:]
    return " ".join(
        w if (i and w in SMALL_WORDS) or w[:1].isupper() else cap(w) for i, w in enumerate(words)
    )


def _words(text: str) -> list[str]:
    """The words of `text`, lower case, punctuation at their ends left out."""
    return [w for w in (w.strip(_PUNCTUATION).lower() for w in text.split()) if w]


def repeats_a_phrase(text: str) -> bool:
    """Does `text` say a phrase of two or more words twice: right after itself ("Chest at
    Night at Night"), or anywhere when it is more than small words ("Bulge in the Groin on
    the Groin")? Case and punctuation aside."""
    words = _words(text)
    seen: set[tuple[str, str]] = set()
    for pair in zip(words, words[1:], strict=False):
        if pair in seen and not SMALL_WORDS.issuperset(pair):
            return True
        seen.add(pair)
    return any(
        words[i:i + n] == words[i + n:i + 2 * n]
        for n in range(2, len(words) // 2 + 1) for i in range(len(words) - 2 * n + 1)
    )


@lru_cache(maxsize=1024)
def _names_a_place(symptom: str, parts: tuple[str, ...]) -> bool:
    """Does `symptom` already say where it is, in a word of one of its condition's
    `parts` ("red plaques on the elbows"; plurals aside)? Then a title names no part."""
    def stems(text: str) -> set[str]:
        return {w.removesuffix("s") for w in _words(text) if w not in SMALL_WORDS}
    return not stems(symptom).isdisjoint(stems(" ".join(parts)))


def _filled(frame: str, words: dict[str, str]) -> str:
    return " ".join(frame.format_map(words).split())


class _Composer:
    """Fills templates for one thread; all choices come from its own rng."""

    def __init__(self, rng: random.Random, condition: Condition) -> None:
        self.rng = rng
        self.condition = condition
        self.specialty = SPECIALTY_BY_NAME[condition.specialty]
        pick = rng.choice
        causes = rng.sample(condition.causes, len(condition.causes))
        advice = rng.sample(condition.advice, len(condition.advice))
        relative, pronoun = pick(P.RELATIVES)
        self.values = {
            "symptom": pick(condition.symptoms), "symptom2": pick(condition.symptoms),
            "part": pick(condition.body_parts) if condition.body_parts else "",
            "trigger": pick(self.specialty.triggers),
            "duration": pick(P.DURATIONS), "ago": pick(P.AGO), "course": pick(P.COURSES),
            "cause": causes[0], "cause2": causes[1 % len(causes)],
            "cause3": causes[2 % len(causes)], "advice": advice[0],
            "advice2": advice[1 % len(advice)], "advice3": advice[2 % len(advice)],
            "noun": self.specialty.doctor_noun, "topic": condition.topic.lower(),
            "relative": relative, "pronoun": pronoun, "medicine": pick(P.MEDICINES),
            "outcome": pick(P.OUTCOMES), "n": str(rng.randint(2, 8)),
        }
        self.rng_life = rng.random() < 0.45  # whether the asker tells about daily life
        self.values.update({k.capitalize(): cap(v) for k, v in list(self.values.items())})

    def usable(self, templates: tuple[str, ...]) -> tuple[str, ...]:
        """The templates that fit this condition: none naming a body part if it has none."""
        return templates if self.condition.body_parts else _without_part(templates)

    def fill(self, template: str) -> str:
        return template.format_map(self.values)

    def sentences(self, templates: tuple[str, ...], k: int) -> list[str]:
        return [self.fill(t) for t in self.rng.sample(templates, min(k, len(templates)))]

    def lines(self, sentences: list[str]) -> str:
        """Sentences grouped one to three to a line, as askers and doctors type them."""
        out, i = [], 0
        while i < len(sentences):
            step = self.rng.choice((1, 1, 2, 3))
            out.append(" ".join(sentences[i:i + step]))
            i += step
        return "\n".join(out)

    def title(self) -> str:
        """One of many frames, filled from this thread's own draws, often with a detail
        of the asker's ("at 34", "After a Hiking Trip"): titles rarely repeat."""
        v, rng = self.values, self.rng
        qualifier = ""
        if rng.random() < 0.55:
            detail = self.everyday(zipf_choice(rng, QUALIFIERS)).strip()
            first, *rest = title_case(detail).split(" ")
            if first.lower() in SMALL_WORDS:  # " at 34", " in My Son": small words stay small
                first = first.lower()
            qualifier = " " + " ".join((first, *rest))
        words = {
            "T": title_case(self.condition.topic), "P": title_case(v["part"]),
            "S": title_case(v["symptom"]), "S2": title_case(v["symptom2"]),
            "C": title_case(v["cause"]), "G": title_case(v["trigger"]),
            "D": title_case(v["duration"]), "Q": qualifier,
        }
        frames = TITLE_FRAMES if self.condition.body_parts else tuple(
            f for f in TITLE_FRAMES if "{P}" not in f
        )
        if v["symptom2"] == v["symptom"]:
            frames = tuple(f for f in frames if "{S2}" not in f)
        # A symptom that says where it is ("red plaques on the elbows") is given no part.
        placed = bool(self.condition.body_parts) and _names_a_place(
            v["symptom"], self.condition.body_parts)

        def fits(frame: str, title: str) -> bool:
            return not (placed and "{P}" in frame) and not repeats_a_phrase(title)

        frame = rng.choice(frames)
        title = _filled(frame, words)
        if fits(frame, title):
            return title
        # The part, frame, qualifier or trigger would say again what the symptom says
        # ("Tight Chest at Night At Night"): draw again among the frames that fit (only
        # then, so that other threads keep their titles), without the qualifier if none.
        for fitting_words in (words, {**words, "Q": ""}):
            fitting = [filled for other in frames
                       if fits(other, filled := _filled(other, fitting_words))]
            if fitting:
                return rng.choice(fitting)
        return title_case(v["symptom"])  # said once, whatever else the frames would add

    def everyday(self, template: str) -> str:
        """`template` filled with everyday words, each drawn Zipf-like from its list
        (only the placeholders it names are drawn: a dict that fills itself)."""
        return template.format_map(_EverydayWords(self))

    def follow_up(self) -> str:
        """The asker writing again after the first reply."""
        return self.everyday(self.rng.choice(FOLLOW_UPS))

    def question(self, reference_like: bool) -> str:
        rng = self.rng
        if self.specialty.name == "Pediatrics":
            self.values["relative"], self.values["pronoun"] = rng.choice(P.CHILDREN), "them"
            opener = self.fill(P.RELATIVE_OPENERS[0])
        elif rng.random() < 0.15 and not FIRST_PERSON.search(self.values["symptom"]):
            opener = self.fill(rng.choice(P.RELATIVE_OPENERS))
        else:
            opener = self.fill(rng.choice(P.OPENERS))
        size = 3 if reference_like else rng.choice((1, 2, 3, 3, 4, 4, 5, 6, 8, 12))
        body = (
            self.sentences(self.usable(P.DETAILS), rng.randint(0, 3))
            + self.sentences(P.HISTORY, rng.choice((0, 0, 1, 2)))
            + self.sentences(P.CONTEXT, rng.choice((0, 0, 1, 2, 4)))
            + (self.life(rng.choice((1, 1, 2, 3))) if self.rng_life else [])
            + [self.everyday(t) for t in rng.sample(EVERYDAY_SENTENCES, rng.choice((0, 1, 1, 2)))]
        )
        rng.shuffle(body)
        sentences = [opener, *body[: max(0, size - 2)]]
        if size > 1:
            sentences.append(self.fill(rng.choice(P.QUESTIONS)))
        if reference_like or rng.random() < 0.06:
            sentences.append(rng.choice(P.LINKS).format(code=f"{rng.getrandbits(32):08x}"))
        if rng.random() < 0.04:
            sentences.insert(rng.randint(1, len(sentences)), rng.choice(P.NON_ASCII))
        if size > 2 and rng.random() < 0.5:
            sentences.append(rng.choice(P.THANKS))
        if reference_like:
            return "\n".join(sentences)
        return self.lines(sentences)

    def life(self, k: int) -> list[str]:
        """Sentences about the asker's work, food, travel, drugs and test results."""
        rng, pick = self.rng, self.rng.choice
        lab, fmt, low, high = pick(P.LABS)
        def zipf(items: tuple[str, ...]) -> str:
            return zipf_choice(rng, items)

        values = {
            "job": zipf(P.JOBS), "posture": pick(P.POSTURES), "food": zipf(P.FOODS),
            "place": zipf(P.PLACES), "drug": zipf(P.DRUGS), "dose": pick(P.DOSES),
            "times": pick(P.TIMES), "lab": lab, "value": fmt.format(rng.uniform(low, high)),
            "height": str(rng.randint(150, 190)), "weight": str(rng.randint(42, 105)),
            "hobby": zipf(P.HOBBIES), "relative": self.values["relative"],
        }
        return [t.format_map(values) for t in rng.sample(P.LIFE, k)]

    def answer(self, sex: str | None, follow_up: bool = False) -> str:
        rng = self.rng
        greetings = P.ANSWER_GREETINGS + ({"male": ("Hello, sir:",), "female": ("Hello, madam:",)}
                                          .get(sex or "", ()))
        parts = [rng.choice(P.FOLLOW_UP_OPENERS if follow_up else greetings)]
        parts += self.sentences(P.ANSWER_BODY, rng.choice((1, 1, 2, 3, 4, 6)))
        if rng.random() < 0.3:
            parts.append(rng.choice(P.DISCLAIMERS))
        if rng.random() < 0.5:
            parts.append(rng.choice(P.ANSWER_CLOSINGS))
        if parts[0].endswith(":") and rng.random() < 0.5:
            parts[:2] = [f"{parts[0]} {parts[1]}"]  # "Hello: In response to ..." on one line
        return self.lines(parts)

    def article(self) -> str:
        rng = self.rng
        v = self.values
        paragraphs = [self.fill(rng.choice(P.ARTICLE_INTROS))]
        causes = (v["cause"], v["cause2"], v["cause3"])
        pool = self.usable(P.ARTICLE_CAUSES)
        templates = rng.sample(pool, rng.randint(1, len(pool)))
        for i, template in enumerate(templates):
            # Each cause paragraph is about the next cause of the list.
            v["cause"], v["Cause"] = causes[i], cap(causes[i])
            filler = rng.sample(P.ARTICLE_FILLER, i % 2 + 1)
            paragraphs.append(" ".join([self.fill(template), *filler]))
        v["cause"], v["Cause"] = causes[0], cap(causes[0])
        paragraphs.append(self.fill(rng.choice(P.ARTICLE_ADVICE)))
        paragraphs.append(self.fill(rng.choice(P.ARTICLE_WARNINGS)))
        paragraphs.append(self.fill(rng.choice(P.ARTICLE_SUMMARIES)))
        return "\n".join(paragraphs)


class _EverydayWords(dict):
    """Placeholder -> word, drawn the first time `format_map` asks for it."""

    LISTS = {"hobby": P.HOBBIES, "place": P.PLACES, "drug": P.DRUGS, "food": P.FOODS,
             "job": P.JOBS, **EVERYDAY_LISTS}

    def __init__(self, composer: _Composer) -> None:
        super().__init__()
        self.composer = composer

    def __missing__(self, name: str) -> str:
        rng, values = self.composer.rng, self.composer.values
        if name == "age":
            word = str(rng.randint(12, 80))
        elif name in self.LISTS:
            word = zipf_choice(rng, self.LISTS[name])
        else:
            word = values[name]  # relative, symptom, duration, noun: the thread's own
        self[name] = word
        return word


def _day(rng: random.Random, after: datetime.date | None = None, within: int = 0) -> str:
    if after is None:
        day = FIRST_DAY + datetime.timedelta(rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    else:
        day = min(LAST_DAY, after + datetime.timedelta(rng.randint(0, within)))
    return day.isoformat()


def _doctor(rng: random.Random, specialty: str) -> str:
    """A doctor of `specialty`; the first few of a roster answer most often, as on the site."""
    roster = DOCTORS_BY_SPECIALTY[specialty]
    return roster[min(int(rng.paretovariate(1.2)) - 1, len(roster) - 1)]


def _reply_specialty(rng: random.Random, specialty: str, share_other: float) -> str:
    related = SPECIALTY_BY_NAME[specialty].related
    return rng.choice(related) if rng.random() < share_other else specialty


def _start(seed: int, index: int) -> tuple[random.Random, int, _Composer]:
    rng = random.Random(f"{seed}:{index}")
    deck, _ = condition_deck(seed)
    condition = deck[index % SLOTS]
    return rng, condition, _Composer(rng, CONDITIONS[condition])


def _head(seed: int, index: int) -> tuple[ThreadHead, random.Random, _Composer]:
    rng, condition, composer = _start(seed, index)
    reference_like = index % REFERENCE_LIKE_EVERY == 0
    title = composer.title()
    subject = composer.fill(rng.choice(composer.usable(P.SUBJECTS)))
    question = composer.question(reference_like)
    missing = 0.0 if reference_like else 1.0
    asker = Asker(
        name=None if rng.random() < 0.1 * missing else rng.choice(ASKER_NAMES),
        age=None if rng.random() < 0.15 * missing else rng.choices(AGE_BANDS, AGE_BAND_WEIGHTS)[0],
        sex=None if rng.random() < 0.08 * missing else rng.choice(SEXES),
    )
    asked = _day(rng)
    reply_specialty = _reply_specialty(rng, composer.specialty.name, 0.07)
    reply = Reply(
        doctor=_doctor(rng, reply_specialty), specialty=reply_specialty,
        text=composer.answer(asker.sex), date=_day(rng, datetime.date.fromisoformat(asked), 14),
    )
    head = ThreadHead(condition, title, subject, question, asker, asked, reply)
    return head, rng, composer


def thread_head(seed: int, index: int) -> ThreadHead:
    """The opening of thread `index`, identical to the one `build_thread` makes."""
    return _head(seed, index)[0]


def excerpt(text: str, limit: int) -> str:
    """One-line copy of `text`, cut at `limit` characters with `...` as the site does."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "..."


def _other_thread(
    rng: random.Random, seed: int, condition: int, count: int, taken: set[int],
) -> int | None:
    """A thread of `condition` below `count` not yet in `taken`, or None after a few tries."""
    positions = condition_deck(seed)[1][condition]
    blocks = (count + SLOTS - 1) // SLOTS
    for _ in range(6):
        j = rng.randrange(blocks) * SLOTS + rng.choice(positions)
        if j < count and j not in taken:
            return j
    return None


def build_thread(seed: int, index: int, count: int) -> Thread:
    """Thread `index` of a `count`-thread sample archive (its links stay below `count`)."""
    head, rng, composer = _head(seed, index)
    reference_like = index % REFERENCE_LIKE_EVERY == 0
    replies = [head.reply]
    if not reference_like and rng.random() < 0.15:
        roll = rng.random()
        if roll < 0.5:
            doctor, specialty = head.reply.doctor, head.reply.specialty
        else:
            specialty = _reply_specialty(rng, composer.specialty.name, 0.4 if roll > 0.8 else 0)
            doctor = _doctor(rng, specialty)
        replies.append(Reply(
            doctor=doctor, specialty=specialty,
            text=composer.answer(head.asker.sex, follow_up=True),
            date=_day(rng, datetime.date.fromisoformat(head.reply.date or head.asked), 30),
        ))
    question = head.question
    if not reference_like and rng.random() < 0.18:
        # The asker writes again after the first reply, and a doctor answers that too
        # (the page shows it between the two replies; the record appends it to the
        # question after a blank line, as the parser does).
        question = f"{question}\n\n{composer.follow_up()}"
        replies.insert(1, Reply(
            doctor=head.reply.doctor, specialty=head.reply.specialty,
            text=composer.answer(head.asker.sex, follow_up=True),
            date=_day(rng, datetime.date.fromisoformat(head.reply.date or head.asked), 20),
        ))
    more_info = "" if rng.random() < 0.05 and not reference_like else composer.article()

    similar = []
    taken = {index}
    wanted = 4 if reference_like else rng.choices((0, 1, 2, 3, 4), (25, 15, 20, 20, 20))[0]
    siblings = SPECIALTY_BY_NAME[composer.specialty.name].conditions
    for attempt in range(3 * wanted):  # a small archive may hold few threads of a condition
        if len(similar) == wanted:
            break
        target = head.condition
        if attempt >= wanted or rng.random() < 0.25:
            target = CONDITION_NUMBER[rng.choice(siblings)]
        j = _other_thread(rng, seed, target, count, taken)
        if j is None:
            continue
        taken.add(j)
        other = thread_head(seed, j)
        similar.append(SimilarThread(
            title=other.title, excerpt=excerpt(other.question, 250),
            doctor=other.reply.doctor, specialty=other.reply.specialty,
            answer=excerpt(other.reply.text, 400),
        ))

    related: list[RelatedFaq] = []
    faq_weights = (20, 5, 5, 8, 8, 10, 10, 8, 8, 8, 10)
    faq_count = 10 if reference_like else rng.choices(range(11), faq_weights)[0]
    if faq_count and rng.random() < 0.6:  # the site often lists the thread's own topic first
        related.append(RelatedFaq(composer.condition.topic, composer.specialty.name))
    for _ in range(6 * faq_count):  # some draws repeat a pair; draw again
        if len(related) >= faq_count:
            break
        if rng.random() < 0.2:
            other_specialty = SPECIALTY_BY_NAME[rng.choice(composer.specialty.related)]
            topic = rng.choice((composer.condition, *other_specialty.conditions)).topic
            faq = RelatedFaq(topic, other_specialty.name)
        else:
            faq = RelatedFaq(rng.choice(siblings).topic, composer.specialty.name)
        if faq not in related:
            related.append(faq)

    return Thread(
        id=thread_id(seed, index), title=head.title, specialty=composer.specialty.name,
        question=question, subject=head.subject, asker=head.asker, asked=head.asked,
        replies=tuple(replies), more_info=more_info, similar=tuple(similar),
        related_faq=tuple(related),
    )
