"""Plain words (no query syntax) -> the Whoosh query that ranks threads for them.

Built without Whoosh's parser (its tagger costs ~30 us per character: 150 ms for a
pasted page). The query is one OR with a coordination factor, so a thread matching
more of the words ranks higher and a missing word never empties the list:

- every kept word of the question (question.py) in every text field, at the field's
  weight times the word's (the subject line weighs more);
- lay/clinical synonyms of single words and of multi-word phrases (synonyms.py),
  at SYNONYM_WEIGHT of the words typed; phrases as Whoosh Phrase queries;
- a doctor's or specialty's name typed as text (names.py), at a low weight so that a
  name never outweighs the symptoms typed beside it.

Bounded work (search/budget.py counts the posting blocks a search decodes, 128 postings
each, in every segment): a query of up to WHOLE_QUERY_WORDS words is searched whole, as
before; the terms of a longer pasted question together need at most MAX_QUERY_BLOCKS
blocks, taken in the order the words were written and the fields weigh (once that is
spent, a word in a third of the archive's replies is left out of replies). Synonyms
have their own MAX_SYNONYM_BLOCKS, and synonym phrases, whose positions are checked,
hold at most MAX_PHRASE_CANDIDATES candidate threads in all. So the words of a pasted
question never make the answer partial on their own.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh import query as q

from search.index.schema import FIELD_WEIGHTS, TEXT_FIELDS
from search.query.question import Question
from search.query.synonyms import SYNONYM_WEIGHT, SynonymTable

COORDINATION = 0.9  # OrGroup factor: a thread matching more of the words ranks higher
# Fields a multi-word synonym is looked for in as a phrase (the long more-info article
# is left out: phrases check positions, and it weighs little).
PHRASE_FIELDS = ("title", "symptoms")

WHOLE_QUERY_WORDS = 12  # words searched in every field whatever their cost (as typed)
MAX_QUERY_BLOCKS = 500  # half of budget.MAX_POSTING_BLOCKS: room for names and phrases
MAX_SYNONYM_BLOCKS = 250
POSTINGS_PER_BLOCK = 128
MAX_PHRASE_CANDIDATES = 2_000  # threads holding the rarest word of each synonym phrase

DocFrequency = Callable[[str, str], int]


class PostingAllowance:
    """What the terms of one query may still hold, in postings and phrase candidates."""

    def __init__(
        self, doc_frequency: DocFrequency, segments: int = 1, blocks: float = MAX_QUERY_BLOCKS
    ) -> None:
        self.doc_frequency = doc_frequency
        self.segments = max(segments, 1)  # a term's list has a block in each at least
        self.blocks = blocks
        self.candidates = MAX_PHRASE_CANDIDATES

    def take(self, field: str, words: tuple[str, ...]) -> bool:
        """Whether a term (one word) or phrase (several) fits, and if so, spend it."""
        frequencies = [self.doc_frequency(field, word) for word in words]
        if not all(frequencies):
            # A word the field lacks finds nothing and costs nothing: kept alone, so that
            # an unknown word is a search finding nothing, not an empty query (all).
            return len(words) == 1
        blocks = sum(-(-df // POSTINGS_PER_BLOCK) + self.segments - 1 for df in frequencies)
        candidates = min(frequencies) if len(words) > 1 else 0
        if blocks > self.blocks or candidates > self.candidates:
            return False
        self.blocks -= blocks
        self.candidates -= candidates
        return True


def word_terms(question: Question, allowance: PostingAllowance) -> list[q.Query]:
    """Each kept word in each text field (where the allowance lets it), weighted by field
    and by word."""
    return [
        q.Term(field, word.stem, boost=FIELD_WEIGHTS[field] * word.weight)
        for word in question.words
        for field in TEXT_FIELDS
        if allowance.take(field, (word.stem,))
    ]


def synonym_terms(
    question: Question, table: SynonymTable, allowance: PostingAllowance
) -> list[q.Query]:
    """The other entries of the synonym groups the question's words (or phrases) are in,
    at SYNONYM_WEIGHT times the typed words' weight; only where the index has them (and
    the allowance lets them)."""
    weights = {word.stem: word.weight for word in question.words}
    clauses: list[q.Query] = []
    for span, other in table.expansions(question.sequence):
        # The other entry stands for what was typed: its words share the span's weight
        # ("hypertension" for "high blood pressure" weighs like the three words).
        weight = SYNONYM_WEIGHT * max(weights.get(stem, 1.0) for stem in span)
        weight *= len(span) / len(other)
        if len(other) == 1:
            clauses += [
                q.Term(field, other[0], boost=FIELD_WEIGHTS[field] * weight)
                for field in TEXT_FIELDS
                if allowance.take(field, other)
            ]
        else:
            clauses += [
                q.Phrase(field, list(other), boost=FIELD_WEIGHTS[field] * weight)
                for field in PHRASE_FIELDS
                if allowance.take(field, other)
            ]
    return clauses


def plain_query(clauses: list[q.Query]) -> q.Query | None:
    """The OR (with coordination) of the clauses, None when there are none."""
    if not clauses:
        return None
    return q.Or(clauses, scale=COORDINATION)
