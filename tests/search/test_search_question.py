"""Long pasted questions: which words are searched, and how much each weighs."""

from __future__ import annotations

from search.query.parse import analysed
from search.query.question import (
    FOCUS_WEIGHT,
    MAX_QUERY_WORDS,
    WEAK_WEIGHT,
    read_question,
    subject_of,
)


def weights(text: str) -> dict[str, float]:
    return {word.stem: word.weight for word in read_question(text, analysed).words}


def test_a_short_first_sentence_is_the_subject_and_weighs_more():
    assert subject_of("Ankle injury. I got hurt in my left ankle.") == "Ankle injury"
    found = weights("Ankle injury. I got hurt in my left leg.")
    assert found["ankl"] == found["injuri"] == FOCUS_WEIGHT > 1.0
    assert found["leg"] == 1.0


def test_a_single_sentence_or_a_long_first_one_is_no_subject():
    assert subject_of("rash on my arm") is None
    assert subject_of("rash on my arm.") is None
    long_first = "My left ankle has hurt for five months after a fall at work. What now?"
    assert subject_of(long_first) is None
    assert set(weights(long_first).values()) <= {1.0, WEAK_WEIGHT}


def test_the_first_words_are_kept_in_the_order_written():
    words = [f"word{n}" for n in range(MAX_QUERY_WORDS + 10)]
    question = read_question(" ".join(words), analysed)
    assert question.stems == tuple(words[:MAX_QUERY_WORDS])


def test_subject_words_are_kept_even_past_the_limit():
    words = " ".join(f"word{n}" for n in range(MAX_QUERY_WORDS + 10))
    question = read_question(f"Thyroid. {words} thyroid", analysed)
    assert "thyroid" in question.stems


def test_words_saying_how_often_weigh_less_and_pair_with_nothing():
    question = read_question("headache every morning", analysed)
    assert weights("headache every morning")["everi"] == WEAK_WEIGHT
    assert question.pairs == [("headach", "morn")]


def test_only_short_queries_are_ranked_by_word_proximity():
    from search.query.question import PROXIMITY_MAX_WORDS

    short = " ".join(f"word{n}" for n in range(PROXIMITY_MAX_WORDS))
    assert read_question(short, analysed).pairs == [
        (f"word{n}", f"word{n + 1}") for n in range(PROXIMITY_MAX_WORDS - 1)
    ]
    assert read_question(f"{short} another", analysed).pairs == []


def test_a_long_questions_terms_stay_within_the_posting_allowance():
    from search.index.schema import TEXT_FIELDS
    from search.query.plain import MAX_QUERY_BLOCKS, PostingAllowance, word_terms

    # Every word in 12,800 threads of every field: 100 blocks, +3 for 4 segments.
    allowance = PostingAllowance(lambda field, word: 12_800, segments=4)
    question = read_question(" ".join(f"word{n}" for n in range(MAX_QUERY_WORDS)), analysed)
    terms = word_terms(question, allowance)
    assert len(terms) == MAX_QUERY_BLOCKS // 103
    # In the order written, the heavier fields first.
    assert [(t.text, t.fieldname) for t in terms[:len(TEXT_FIELDS)]] == [
        ("word0", field) for field in TEXT_FIELDS
    ]
    # A word no thread holds costs nothing and is kept: it finds nothing, not everything.
    assert word_terms(read_question("qqqxxx", analysed), PostingAllowance(lambda f, w: 0))
