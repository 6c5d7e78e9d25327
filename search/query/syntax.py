"""Query syntax: what in typed text is syntax, and the Whoosh parser that reads it.

Syntax that helps is offered: "quoted phrases", AND/OR/NOT, -word, +word, prefix*,
word~ and title:/specialty:/doctor: fields. Text without any of it, and text too long to
be a query rather than a pasted question, is plain words (plain.py); parse.py decides
which way a query goes and bounds what the parser returns.
"""

from __future__ import annotations

import re

from whoosh.fields import Schema
from whoosh.qparser import (
    FuzzyTermPlugin,
    MultifieldParser,
    OrGroup,
    PlusMinusPlugin,
    QueryParser,
)
from whoosh.qparser.plugins import (
    EveryPlugin,
    RangePlugin,
    SingleQuotePlugin,
    WildcardPlugin,
)

from search.index.schema import FIELD_WEIGHTS, SCHEMA, TEXT_FIELDS
from search.query.plain import COORDINATION
from search.query.tree import FIELD_ALIASES

# Longer input is a pasted question, not query syntax: searched as plain words.
MAX_SYNTAX_CHARS = 300

# Query syntax: quotes, groups, wildcards, fuzzy/boost marks, operators, a leading +/-
# (a hyphen inside a word, as in x-ray, is not syntax) and `title:`/`specialty:`/`doctor:`.
# Text without any of it is plain words, built directly (plain.py).
_SYNTAX = re.compile(
    rf"[\"()*~^\[\]{{}}]|\b(?:AND|OR|NOT)\b|(?<![^\s(])[-+](?=\S)"
    rf"|(?i:\b(?:{'|'.join(FIELD_ALIASES)}):)"  # a field people may name; "article: http:" is none
)
# Field names as people may type them: Specialty:, DOCTOR:
_FIELD_NAME = re.compile(rf"(?<!\w)({'|'.join(FIELD_ALIASES)})(?=:)", re.IGNORECASE)
# Whoosh's WildcardPlugin also treats `?` as a wildcard: "why do I itch?" would find nothing.
_QUESTION_MARKS = re.compile("[?\u055e\u061f\u1367\uff1f]")


def cleaned(text: str) -> str:
    """`text` without NUL characters and question marks (never syntax here), stripped."""
    return _QUESTION_MARKS.sub(" ", text.replace("\x00", " ")).strip()


def written_in_syntax(text: str) -> bool:
    """Is cleaned `text` a query in query syntax (short enough, and using some)?"""
    return len(text) <= MAX_SYNTAX_CHARS and _SYNTAX.search(text) is not None


def field_names_lowered(text: str) -> str:
    """`Specialty:` and `DOCTOR:` as the parser knows them: `specialty:`, `doctor:`."""
    return _FIELD_NAME.sub(lambda m: m.group(1).lower(), text)


class StarWildcardPlugin(WildcardPlugin):
    """Only `*` is a wildcard; `?` is just the end of a question."""

    qmarks = ""
    expr = r"(?P<text>[*])"


class WordPlusMinusPlugin(PlusMinusPlugin):
    """`+word` / `-word` only at the start of a word, so x-ray and Chih-Hao stay whole."""

    def __init__(self) -> None:
        super().__init__(plusexpr=r"(?<![^\s(])\+(?=\S)", minusexpr=r"(?<![^\s(])-(?=\S)")


def _parse_schema(schema: Schema) -> Schema:
    """The fields people may name, under the names they type."""
    fields = {name: schema[name] for name in TEXT_FIELDS}
    fields.update({alias: schema[real] for alias, real in FIELD_ALIASES.items()})
    return Schema(**fields)


def make_parser(schema: Schema = SCHEMA) -> QueryParser:
    """The full-syntax parser: multifield, OR with coordination, no ranges or `?`."""
    parser = MultifieldParser(
        list(TEXT_FIELDS),
        _parse_schema(schema),
        fieldboosts=FIELD_WEIGHTS,
        group=OrGroup.factory(COORDINATION),
    )
    for plugin_class in (WildcardPlugin, RangePlugin, EveryPlugin, SingleQuotePlugin):
        parser.remove_plugin_class(plugin_class)
    parser.add_plugin(StarWildcardPlugin())
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(WordPlusMinusPlugin())
    return parser
