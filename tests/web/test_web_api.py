"""The JSON API: search (the page's twin), thread, OpenAPI document, JSON errors."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask.testing import FlaskClient
from pagehtml import elements, text

from search.index.generations import current_generation
from search.query.vocabulary import OPERATOR_FILE
from search.request import SORTS
from web.app import close_engine, create_app


def get_json(client: FlaskClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    return response.get_json()


def test_search_body_is_the_response_dict(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=red+spots")
    assert set(body) == {
        "query", "corrected", "total", "page", "results", "facets", "suggestion", "partial",
        "common_words_only",
    }
    assert body["partial"] is False
    assert body["page"] == 1 and body["total"] == len(body["results"]) >= 2
    hit = body["results"][0]
    assert set(hit) == {"id", "title", "specialty", "doctor", "asked", "score", "snippet"}
    assert "<mark>" in " ".join(result["snippet"] for result in body["results"])
    assert set(body["facets"]) == {"specialty", "doctor", "year", "sex", "age"}
    assert body["facets"]["specialty"]["Internal Medicine"] == 1


def test_search_parameters(client: FlaskClient) -> None:
    body = get_json(
        client, "/api/search?q=headache&per_page=5&page=2&sort=oldest&specialty=Neurology"
    )
    assert body["total"] == 24 and body["page"] == 2 and len(body["results"]) == 5
    dates = [hit["asked"] for hit in body["results"]]
    assert dates == sorted(dates)
    doctors = get_json(client, "/api/search?q=headache&doctor=Dr.+Neuro+D&doctor=Dr.+Neuro+E")
    assert {hit["doctor"] for hit in doctors["results"]} == {"Dr. Neuro D", "Dr. Neuro E"}


def test_the_page_renders_the_same_response(client: FlaskClient) -> None:
    url = "?q=red+spots&specialty=Dermatology&specialty=Internal+Medicine&sort=newest"
    body = get_json(client, "/api/search" + url)
    html = client.get("/" + url).get_data(as_text=True)
    titles = [text(h) for h in elements(html, "h3", class_="hit-title")]
    assert titles == [hit["title"] for hit in body["results"]]
    assert text(elements(html, "h1", id="results-heading")[0]).startswith(
        f"{body['total']} questions"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=x&sort=best", "unknown sort 'best'"),
        ("q=x&page=abc", "page must be a whole number"),
        ("q=x&page=0", "page must be 1 or more"),
        ("q=x&page=1001", "page must be between 1 and 1000"),
        ("q=x&per_page=51", "per_page must be at most 50"),
        ("q=x&per_page=0", "per_page must be 1 or more"),
        ("q=" + "a" * 5001, "query is too long"),
        ("q=x&" + "&".join(f"doctor=d{n}" for n in range(51)), "too many doctor filters"),
    ],
)
def test_bad_parameters_are_400_with_a_message(
    client: FlaskClient, query: str, message: str
) -> None:
    body = get_json(client, "/api/search?" + query, status=400)
    assert body["error"]["status"] == 400 and message in body["error"]["message"]


def test_thread_by_id(client: FlaskClient) -> None:
    body = get_json(client, "/api/thread/derm-red-spots")
    assert body["id"] == "derm-red-spots" and body["specialty"] == "Dermatology"
    assert body["replies"][0]["doctor"] == "Dr. Wu Yuxin"
    assert body["asker"] == {"name": "Shan", "age": "20~29", "sex": "female"}


def test_unknown_thread_and_unknown_api_path_are_json_404s(client: FlaskClient) -> None:
    for url in ("/api/thread/nope", "/api/thread/" + "x" * 300, "/api/nothing-here"):
        body = get_json(client, url, status=404)
        assert body["error"]["status"] == 404 and body["error"]["message"]


def test_wrong_method_is_a_json_405(client: FlaskClient) -> None:
    response = client.post("/api/search")
    assert response.status_code == 405 and response.get_json()["error"]["status"] == 405


def test_healthz_names_the_generation(client: FlaskClient, index_dir) -> None:
    body = get_json(client, "/healthz")
    assert body["status"] == "ok"
    assert body["generation"] == (index_dir / "CURRENT").read_text().strip()
    # Which synonym vocabulary answers: HPO's release, the project's groups, no operator file.
    vocabulary = body["vocabulary"]
    assert vocabulary["hpo"].startswith("hp/releases/")
    assert vocabulary["project"] > 30 and vocabulary["operator"] is None


@pytest.mark.parametrize("operator_file", [None, "wobblefoot, zorblax\nitchy, pruritic\n"])
def test_healthz_answers_as_its_openapi_schema_says(
    tmp_path: Path, index_dir: Path, operator_file: str | None
) -> None:
    """The whole /healthz body, every member and its type, validated against the schema
    the API publishes for that route: a member the document does not describe fails."""
    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    if operator_file is not None:  # as `reindex --synonyms` leaves it in the generation
        (current_generation(index) / OPERATOR_FILE).write_text(operator_file)
    app = create_app({"INDEX_DIR": str(index)})
    try:
        client = app.test_client()
        schema = schemathesis.openapi.from_dict(get_json(client, "/api/openapi.json"))
        response = client.get("/healthz")
        assert response.status_code == 200
        schema["/healthz"]["GET"].validate_response(response)
        operator = response.get_json()["vocabulary"]["operator"]
        assert operator == (None if operator_file is None
                            else {"file": OPERATOR_FILE, "groups": 2})
    finally:
        close_engine(app)


def _resolve_refs(node: Any, document: dict[str, Any]) -> None:
    if isinstance(node, dict):
        if "$ref" in node:
            path = node["$ref"].removeprefix("#/").split("/")
            target: Any = document
            for part in path:
                target = target[part]  # KeyError: a dangling reference
        for value in node.values():
            _resolve_refs(value, document)
    elif isinstance(node, list):
        for value in node:
            _resolve_refs(value, document)


def test_openapi_document_describes_the_api(client: FlaskClient, app) -> None:
    document = get_json(client, "/api/openapi.json")
    assert document["openapi"] == "3.1.0" and document["info"]["title"]
    search = document["paths"]["/api/search"]["get"]
    params = {param["name"]: param for param in search["parameters"]}
    assert set(params) == {
        "q", "specialty", "doctor", "year_from", "year_to", "sex", "age", "sort", "page",
        "per_page", "all_doctors", "exact",
    }
    assert params["sort"]["schema"]["enum"] == list(SORTS)
    assert params["per_page"]["schema"]["maximum"] == app.config["MAX_PER_PAGE"]
    assert set(search["responses"]) == {"200", "400", "405", "413", "414", "429", "503"}
    thread = document["paths"]["/api/thread/{id}"]["get"]
    assert thread["parameters"][0]["in"] == "path" and set(thread["responses"]) >= {"200", "404"}
    _resolve_refs(document, document)
    schemas = document["components"]["schemas"]
    # The documented shapes are the ones the API returns.
    body = get_json(client, "/api/search?q=red")
    assert set(schemas["SearchResponse"]["properties"]) == set(body)
    assert set(schemas["SearchHit"]["properties"]) == set(body["results"][0])
    assert set(schemas["Thread"]["properties"]) == set(
        get_json(client, "/api/thread/fm-night-cough")
    )
    facets = schemas["SearchResponse"]["properties"]["facets"]
    assert set(facets["properties"]) == set(body["facets"]) == set(facets["required"])
    suggest = document["paths"]["/api/suggest"]["get"]
    assert {param["name"] for param in suggest["parameters"]} == {"q", "limit"}
    suggestions = get_json(client, "/api/suggest?q=red")
    assert set(schemas["Suggestions"]["properties"]) == set(suggestions)
    item = schemas["Suggestions"]["properties"]["suggestions"]["items"]
    assert set(item["properties"]) == set(suggestions["suggestions"][0])
    error = get_json(client, "/api/thread/nope", status=404)
    assert set(schemas["Error"]["properties"]["error"]["properties"]) == set(error["error"])
    health = get_json(client, "/healthz")
    assert set(schemas["Health"]["properties"]) == set(health)
    vocabulary = schemas["Health"]["properties"]["vocabulary"]["$ref"].rsplit("/", 1)[-1]
    assert set(schemas[vocabulary]["properties"]) == set(health["vocabulary"])


def test_asker_filters_narrow_and_each_facet_ignores_its_own(client: FlaskClient) -> None:
    everything = get_json(client, "/api/search?q=headache")
    assert sum(everything["facets"]["year"].values()) == everything["total"] == 24
    ranged = get_json(client, "/api/search?q=headache&year_from=2015&year_to=2018")
    assert ranged["facets"]["year"] == everything["facets"]["year"]
    assert ranged["total"] == sum(
        count for year, count in everything["facets"]["year"].items() if 2015 <= int(year) <= 2018
    )
    # Picked the wrong way round, two selects still mean the same range.
    assert get_json(client, "/api/search?q=headache&year_from=2018&year_to=2015") == ranged
    female = get_json(client, "/api/search?q=headache&sex=female&age=20~29")
    assert female["total"] == 24 and female["facets"]["sex"] == {"female": 24}
    assert get_json(client, "/api/search?q=headache&sex=male")["total"] == 0


def test_bad_year_is_a_400_naming_it(client: FlaskClient) -> None:
    for url, message in (
        ("/api/search?year_from=soon", "year_from must be a year"),
        ("/api/search?year_to=99999", "year_to must be a year between"),
    ):
        body = get_json(client, url, status=400)
        assert message in body["error"]["message"]


def test_suggest_returns_archive_phrases_most_threads_first(client: FlaskClient) -> None:
    body = get_json(client, "/api/suggest?q=red+sp")
    texts = [item["text"] for item in body["suggestions"]]
    assert body["query"] == "red sp" and texts
    assert all("red sp" in text.lower() for text in texts)
    counts = [item["threads"] for item in body["suggestions"]]
    assert counts == sorted(counts, reverse=True)
    # A related topic carried by one thread, found from a later word of the phrase.
    assert "Red Spots on the Thigh: Causes and Concerns" in texts
    assert get_json(client, "/api/suggest?q=petech")["suggestions"][0]["text"] == "Petechiae"
    assert get_json(client, "/api/suggest?q=zzzz")["suggestions"] == []
    assert len(get_json(client, "/api/suggest?q=headache&limit=3")["suggestions"]) == 3


def test_suggest_rejects_what_it_cannot_complete(client: FlaskClient) -> None:
    assert "limit must be" in get_json(client, "/api/suggest?q=a&limit=0", status=400)[
        "error"]["message"]
    assert "too long" in get_json(client, "/api/suggest?q=" + "a" * 300, status=400)[
        "error"]["message"]
