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

DocFrequency = Callable[[str, str], int]


def word_terms(question: Question) -> list[q.Query]:
    """Each kept word in each text field, weighted by field and by word."""
    return [
        q.Term(field, word.stem, boost=FIELD_WEIGHTS[field] * word.weight)
        for word in question.words
        for field in TEXT_FIELDS
    ]


def synonym_terms(
    question: Question, table: SynonymTable, doc_frequency: DocFrequency
) -> list[q.Query]:
    """The other entries of the synonym groups the question's words (or phrases) are in,
    at SYNONYM_WEIGHT times the typed words' weight; only where the index has them."""
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
                if doc_frequency(field, other[0]) > 0
            ]
        else:
            clauses += [
                q.Phrase(field, list(other), boost=FIELD_WEIGHTS[field] * weight)
                for field in PHRASE_FIELDS
                if all(doc_frequency(field, word) > 0 for word in other)
            ]
    return clauses


def plain_query(clauses: list[q.Query]) -> q.Query | None:
    """The OR (with coordination) of the clauses, None when there are none."""
    if not clauses:
        return None
    return q.Or(clauses, scale=COORDINATION)
