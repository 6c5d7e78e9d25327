"""The one Whoosh schema, imported by the indexer (to write) and the searcher (to read).

Field weights are named here so that ranking is tuned in one place: title and the
asker's symptom text weigh most, replies less, the long more-info article least.
"""

from __future__ import annotations

from whoosh.analysis import (
    STOP_WORDS,
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from search.whoosh_internals.cached_analysis import CachedTextAnalyzer

# Bump when fields or analysis change: an index written with another version is
# refused with a message asking for a full reindex, never misread.
SCHEMA_VERSION = 4

# Ideographs, kana and hangul are written without spaces: index each character as a
# token (unigrams) so a word inside a Chinese sentence is still found. Other scripts
# split on word characters as usual.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
TOKEN_PATTERN = rf"[{CJK}]|[^\W{CJK}]+(?:['.][^\W{CJK}]+)*"

# Whoosh's list misses the words lay questions are made of ("why do I itch?"): without
# these, a question matches every thread and its snippets mark "I" and "do". Words that
# carry meaning in symptoms ("back", "after", "no", "left") stay searchable.
QUESTION_STOP_WORDS = frozenset(
    """i i'm im me my myself mine he she him his her hers they them their our ours its
    do does did doing done am was were been being has had having
    why what how who whom which where whether
    should could would shall might must
    so but just very also some any all about than then there here too
    hello hi dear doctor thank thanks please""".split()  # noqa: SIM905 - readable as prose
)
STOP_WORDS_USED = STOP_WORDS | QUESTION_STOP_WORDS

FIELD_WEIGHTS = {
    "title": 3.0,
    "symptoms": 2.5,
    "replies": 1.0,
    "more_info": 0.3,
}

# Text fields searched by a plain query, in weight order.
TEXT_FIELDS = tuple(FIELD_WEIGHTS)


def text_analyzer() -> Analyzer:
    """English text: tokens, lower case, accents folded, stop words out, Porter stems.

    Wrapped in CachedTextAnalyzer, which yields exactly this chain's tokens but runs the
    chain once per distinct word (indexing speed; see search/whoosh_internals/cached_analysis.py).
    """
    return CachedTextAnalyzer(
        RegexTokenizer(TOKEN_PATTERN),
        LowercaseFilter(),
        CharsetFilter(accent_map),
        StopFilter(stoplist=STOP_WORDS_USED, minsize=1),
        StemFilter(cachesize=200_000),
    )


def name_analyzer() -> Analyzer:
    """Names (doctors, specialties): lower case and accent folded, no stemming."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def build_schema() -> Schema:
    text = text_analyzer()
    names = name_analyzer()
    return Schema(
        # Sortable too: equal scores are ordered by id, the same after every reindex.
        id=ID(stored=True, unique=True, sortable=True),
        # Searchable text. `symptoms` is the asker's subject line plus question.
        # spelling=True also indexes the unstemmed words (fields spell_title, spell_symptoms):
        # the vocabulary "did you mean" draws its corrections from.
        title=TEXT(
            analyzer=text, stored=True, field_boost=FIELD_WEIGHTS["title"], spelling=True
        ),
        symptoms=TEXT(
            analyzer=text, stored=True, field_boost=FIELD_WEIGHTS["symptoms"], spelling=True
        ),
        replies=TEXT(analyzer=text, stored=True, field_boost=FIELD_WEIGHTS["replies"]),
        more_info=TEXT(analyzer=text, stored=False, field_boost=FIELD_WEIGHTS["more_info"]),
        # Every replying doctor and the specialty, searchable by name (`doctor:wu`).
        doctor_names=TEXT(analyzer=names, stored=False),
        specialty_name=TEXT(analyzer=names, stored=False),
        # Facets: exact values in sortable columns, so counting does not touch postings.
        specialty=ID(stored=True, sortable=True),
        doctor=ID(stored=True, sortable=True),
        year=ID(sortable=True),
        sex=ID(sortable=True),
        age_band=ID(sortable=True),
        # ISO date; sorts as a string for newest/oldest.
        asked=ID(stored=True, sortable=True),
        # Content hash of the thread record, for incremental reindex.
        content_hash=STORED(),
    )


SCHEMA = build_schema()
