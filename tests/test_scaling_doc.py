"""docs/SCALING.md's OpenSearch requests parse, and its index template says what
search/index/schema.py says: the same fields, tokenizer pattern, stop words and boosts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from search.index.schema import FIELD_WEIGHTS, SCHEMA, STOP_WORDS_USED, TOKEN_PATTERN

DOC = Path(__file__).resolve().parents[1] / "docs" / "SCALING.md"
REQUEST_LINE = re.compile(r"^(GET|PUT|POST|DELETE) \S+$")


def requests() -> list[tuple[str, object]]:
    """(request line, body) for every JSON block; the bulk example is NDJSON with `...`."""
    found = []
    for block in re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        # Blocks may hold several requests: a request line, then its body.
        for part in re.split(r"\n(?=(?:GET|PUT|POST|DELETE) )", block.strip()):
            lines = part.strip().splitlines()
            line = lines[0] if REQUEST_LINE.match(lines[0]) else ""
            if line.endswith("/_bulk") or line == "POST _bulk":
                continue
            body = "\n".join(lines[1:] if line else lines)
            found.append((line, json.loads(body)))
    return found


def request(line: str) -> dict:
    bodies = [body for found, body in requests() if found == line]
    assert len(bodies) == 1, f"expected one {line!r} in {DOC.name}"
    return bodies[0]


def test_every_json_block_of_the_doc_parses() -> None:
    assert len(requests()) >= 6


def test_the_index_template_has_every_field_of_the_schema() -> None:
    mapping = request("PUT _index_template/qasearch")["template"]["mappings"]["properties"]
    # Whoosh's spelling fields are `.plain` subfields of the fields they spell.
    schema_fields = {n for n in SCHEMA.names() if not n.startswith("spell_")}
    assert schema_fields <= set(mapping)
    for spelled in ("title", "symptoms"):
        assert "plain" in mapping[spelled]["fields"]
    assert mapping["embedding"]["dimension"] == 384
    assert mapping["embedding"]["method"]["space_type"] == "cosinesimil"


def test_the_template_analyzer_is_ours() -> None:
    analysis = request("PUT _index_template/qasearch")["template"]["settings"]["analysis"]
    assert set(analysis["filter"]["qa_stop"]["stopwords"]) == set(STOP_WORDS_USED)
    pattern = analysis["tokenizer"]["qa_words"]["pattern"]
    assert pattern.startswith("(?U)")  # Java's \W is ASCII-only without it
    decoded = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), pattern[4:])
    assert decoded == TOKEN_PATTERN
    chain = analysis["analyzer"]["qa_text"]["filter"]
    assert chain == ["lowercase", "asciifolding", "qa_stop", "porter_stem"]


@pytest.mark.parametrize("line", ["POST qasearch/_search"])
def test_the_search_requests_use_our_field_weights(line: str) -> None:
    bodies = [body for found, body in requests() if found == line]
    assert bodies
    for body in bodies:
        text = json.dumps(body)
        for field, weight in FIELD_WEIGHTS.items():
            assert f'"{field}^{weight:g}"' in text, (field, weight)
