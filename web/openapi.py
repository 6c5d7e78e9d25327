"""The OpenAPI 3.1 description of the JSON API, built from the same limits the code enforces.

Longer than our usual ~300 lines on purpose: the document is one literal, and reads (and
is checked against the API by tests/web/test_web_api.py) best in one place.
"""

from __future__ import annotations

from typing import Any

from search.request import (
    DOCTOR_FACET_LIMIT,
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    MAX_YEAR,
    MIN_YEAR,
    SORTS,
)
from search.results.completions import DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS, MAX_TYPED_CHARS

_ERROR_REF = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}


def _refusals() -> dict[str, Any]:
    """What any operation may answer before it runs: the same JSON error shape."""
    return {
        "405": {
            **_error("Only GET (and HEAD) are answered; the Allow header lists them."),
            "headers": {"Allow": {"schema": {"type": "string"}}},
        },
        "413": _error("The request had a body; nothing here takes one."),
        "414": _error(
            f"The address is too long (a query is at most {MAX_QUERY_CHARS} characters)."
        ),
        "429": _error("Too many requests from this address (behind the shipped nginx)."),
        "503": _error("The index is not available."),
    }


def _filter_param(name: str, what: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": f"Keep threads {what}; repeat to keep any of several "
        f"(at most {MAX_FILTER_VALUES}).",
        "schema": {"type": "array", "items": {"type": "string"}, "maxItems": MAX_FILTER_VALUES},
        "style": "form",
        "explode": True,
    }


def _year_param(name: str, what: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": f"Keep threads asked {what}. A range given the wrong way round "
        "is read the right way round.",
        "schema": {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
    }


def _counts(description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "additionalProperties": {"type": "integer"},
    }


def openapi_document(*, per_page: int, max_per_page: int) -> dict[str, Any]:
    """The document served at /api/openapi.json for an app with these page sizes."""
    nullable_string = {"type": ["string", "null"]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "qasearch",
            "version": "1",
            "description": "Full-text search over a medical Q&A archive. Every error is "
            "JSON with a message that names what was wrong.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search threads; the same parameters as the search page `/`.",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "description": "Symptoms or a question in plain words. "
                            "Empty lists every thread (useful with filters).",
                            "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS},
                        },
                        _filter_param("specialty", "in this specialty"),
                        _filter_param("doctor", "first answered by this doctor"),
                        _year_param("year_from", "in this year or later"),
                        _year_param("year_to", "in this year or earlier"),
                        _filter_param("sex", "whose asker gave this sex (female, male)"),
                        _filter_param("age", "whose asker is in this age band (e.g. 20~29)"),
                        {
                            "name": "sort",
                            "in": "query",
                            "schema": {"type": "string", "enum": list(SORTS), "default": SORTS[0]},
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_PAGE,
                                "default": 1,
                            },
                        },
                        {
                            "name": "exact",
                            "in": "query",
                            "description": "1 to search the words exactly as typed. Without "
                            "it, a misspelt query that a correction finds clearly more threads "
                            "for is searched corrected (see `corrected` in the response).",
                            "schema": {"type": "string", "enum": ["0", "1"], "default": "0"},
                        },
                        {
                            "name": "all_doctors",
                            "in": "query",
                            "description": "1 to count every doctor in facets.doctor; "
                            f"otherwise the top {DOCTOR_FACET_LIMIT}.",
                            "schema": {"type": "string", "enum": ["1"]},
                        },
                        {
                            "name": "per_page",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": max_per_page,
                                "default": per_page,
                            },
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of results with facet counts.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SearchResponse"}
                                }
                            },
                        },
                        "400": _error("A parameter is invalid; the message says which."),
                        **_refusals(),
                    },
                }
            },
            "/api/suggest": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Phrases of the archive (titles, subject lines, conditions) "
                    "that continue what is typed, most threads first. Never drawn from "
                    "what anyone searched for.",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "description": "What has been typed so far; it matches at the "
                            "start of any word of a phrase.",
                            "schema": {"type": "string", "maxLength": MAX_TYPED_CHARS},
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_SUGGESTIONS,
                                "default": DEFAULT_SUGGESTIONS,
                            },
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The suggestions, best first.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Suggestions"}
                                }
                            },
                        },
                        "400": _error("q is too long or limit is out of range."),
                        "503": _error("The index is not available."),
                    },
                }
            },
            "/api/thread/{id}": {
                "get": {
                    "operationId": "getThread",
                    "summary": "One whole thread: question, every reply, more info.",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "The thread.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thread"}
                                }
                            },
                        },
                        "404": _error("No thread has this id."),
                        **_refusals(),
                    },
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Whether the index can be searched; its generation and vocabulary.",
                    "responses": {
                        "200": {
                            "description": "Searchable.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Health"}
                                }
                            },
                        },
                        **_refusals(),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "message"],
                            "properties": {
                                "status": {"type": "integer"},
                                "message": {"type": "string"},
                            },
                        }
                    },
                },
                "Health": {
                    "type": "object",
                    "required": ["status", "generation", "semantic", "vocabulary"],
                    "additionalProperties": False,
                    "properties": {
                        "status": {"type": "string", "enum": ["ok"]},
                        "generation": {"type": "string"},
                        "semantic": {
                            "type": "boolean",
                            "description": "Whether searches use sentence vectors as well "
                                           "as words (false: lexical only).",
                        },
                        "vocabulary": {"$ref": "#/components/schemas/Vocabulary"},
                    },
                },
                "Vocabulary": {
                    "type": "object",
                    "description": "The synonym vocabulary the live generation searches with.",
                    "required": ["hpo", "project", "operator"],
                    "additionalProperties": False,
                    "properties": {
                        "hpo": {
                            **nullable_string,
                            "description": "The data-version of the Human Phenotype "
                            "Ontology whose layperson synonyms are loaded (e.g. "
                            "hp/releases/2025-01-16); null when it is not installed.",
                        },
                        "project": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "Synonym groups from the project's own list.",
                        },
                        "operator": {
                            "type": ["object", "null"],
                            "description": "The operator's synonyms file given to the "
                            "reindex (qasearch reindex --synonyms), by the name it was given "
                            "under, with its groups; null without one.",
                            "required": ["file", "groups"],
                            "additionalProperties": False,
                            "properties": {
                                "file": {"type": "string"},
                                "groups": {"type": "integer", "minimum": 0},
                            },
                        },
                    },
                },
                "SearchHit": {
                    "type": "object",
                    "required": ["id", "title", "specialty", "snippet"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "specialty": {"type": "string"},
                        "doctor": nullable_string,
                        "asked": {**nullable_string, "format": "date"},
                        "score": {"type": ["number", "null"]},
                        "snippet": {
                            "type": "string",
                            "description": "Escaped HTML; matched words in <mark>, no other tag.",
                        },
                    },
                },
                "SearchResponse": {
                    "type": "object",
                    "required": [
                        "query", "corrected", "total", "page", "results", "facets",
                        "suggestion", "partial", "common_words_only",
                    ],
                    "properties": {
                        "query": {"type": "string", "description": "The query as typed."},
                        "corrected": {
                            **nullable_string,
                            "description": "The spelling-corrected query that was searched "
                            "instead of `query` (results, total and facets are for it); null "
                            "when the query was searched as typed. Send exact=1 to search "
                            "as typed.",
                        },
                        "total": {"type": "integer", "minimum": 0},
                        "page": {"type": "integer", "minimum": 1},
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/SearchHit"},
                        },
                        "facets": {
                            "type": "object",
                            "description": "Matches per value. Each facet is counted with the "
                            "other facets' filters but not its own, so ticking a second value "
                            "widens the results by its count.",
                            "required": ["specialty", "doctor", "year", "sex", "age"],
                            "properties": {
                                "specialty": _counts("Threads per specialty, most first."),
                                "doctor": _counts("Threads per first doctor, most first."),
                                "year": _counts("Threads per year asked, earliest first."),
                                "sex": _counts("Threads per asker's sex, most first."),
                                "age": _counts("Threads per asker's age band, youngest first."),
                            },
                        },
                        "suggestion": {
                            **nullable_string,
                            "description": "A corrected query when the words look misspelt "
                            "and it was not searched automatically.",
                        },
                        "partial": {
                            "type": "boolean",
                            "description": "True when the search reached its work budget "
                            "(many phrases, prefixes or fuzzy words) and answered with what it "
                            "had found: total, facets and results may be incomplete.",
                        },
                        "common_words_only": {
                            "type": "boolean",
                            "description": "The query's words are all too common to search "
                            "(\"on my\"): the results are every thread in date order.",
                        },
                    },
                },
                "Suggestions": {
                    "type": "object",
                    "required": ["query", "suggestions"],
                    "properties": {
                        "query": {"type": "string"},
                        "suggestions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["text", "threads"],
                                "properties": {
                                    "text": {"type": "string"},
                                    "threads": {
                                        "type": "integer",
                                        "description": "Threads whose title, subject line or "
                                        "related topic is this phrase.",
                                    },
                                },
                            },
                        },
                    },
                },
                "Thread": {
                    "type": "object",
                    "required": ["id", "title", "specialty", "question", "replies"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "specialty": {"type": "string"},
                        "subject": {"type": "string"},
                        "question": {"type": "string"},
                        "asker": {
                            "type": "object",
                            "properties": {
                                "name": nullable_string,
                                "age": nullable_string,
                                "sex": nullable_string,
                            },
                        },
                        "asked": {**nullable_string, "format": "date"},
                        "replies": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "doctor": {"type": "string"},
                                    "specialty": nullable_string,
                                    "text": {"type": "string"},
                                    "date": nullable_string,
                                },
                            },
                        },
                        "more_info": {"type": "string"},
                        "similar": {"type": "array", "items": {"type": "object"}},
                        "related_faq": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "topic": {"type": "string"},
                                    "specialty": nullable_string,
                                },
                            },
                        },
                        "source": nullable_string,
                    },
                },
            }
        },
    }
