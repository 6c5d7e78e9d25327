"""One query limit everywhere, and JSON errors for every status the API answers."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from search.request import MAX_QUERY_CHARS
from web.gunicorn_worker import refusal
from web.limits import (
    GUNICORN_MAX_REQUEST_LINE,
    LIMIT_REQUEST_FIELD_SIZE,
    LIMIT_REQUEST_LINE,
    MAX_CONTENT_LENGTH,
    MAX_REQUEST_TARGET_BYTES,
)
from web.serve import QasearchServer, gunicorn_options

EMOJI = "\U0001f912"  # face with thermometer: 4 bytes in UTF-8, 12 percent-encoded


def worst_case_query_url(chars: int) -> str:
    return "/api/search?" + urlencode({"q": EMOJI * chars})


def json_error(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"]["status"] == status
    return body["error"]["message"]


def test_the_longest_query_fits_gunicorns_limits_in_the_worst_encoding(index_dir) -> None:
    line = f"OPTIONS {worst_case_query_url(MAX_QUERY_CHARS)} HTTP/1.1"
    assert len(line) <= LIMIT_REQUEST_LINE <= GUNICORN_MAX_REQUEST_LINE
    # A browser's Referer carries the results page's whole URL.
    referer = f"Referer: https://{'h' * 255}{worst_case_query_url(MAX_QUERY_CHARS)}"
    assert len(referer) <= LIMIT_REQUEST_FIELD_SIZE
    cfg = QasearchServer({}, gunicorn_options(host="127.0.0.1", port=0, workers=1, timeout=5)).cfg
    assert cfg.limit_request_line == LIMIT_REQUEST_LINE
    assert cfg.limit_request_field_size == LIMIT_REQUEST_FIELD_SIZE


def test_a_query_of_the_maximum_length_is_searched(client: FlaskClient) -> None:
    response = client.get(worst_case_query_url(MAX_QUERY_CHARS))
    assert response.status_code == 200 and "results" in response.get_json()


def test_one_character_more_is_a_json_400_naming_the_limit(client: FlaskClient) -> None:
    message = json_error(client.get(worst_case_query_url(MAX_QUERY_CHARS + 1)), 400)
    assert f"at most {MAX_QUERY_CHARS}" in message


def test_the_openapi_document_states_the_same_limit(client: FlaskClient) -> None:
    search = client.get("/api/openapi.json").get_json()["paths"]["/api/search"]["get"]
    (q,) = [p for p in search["parameters"] if p["name"] == "q"]
    assert q["schema"]["maxLength"] == MAX_QUERY_CHARS
    assert {"400", "405", "413", "414", "429", "503"} <= set(search["responses"])


def test_an_address_longer_than_any_search_is_a_json_414(client: FlaskClient) -> None:
    url = "/api/search?" + urlencode({"q": "x", "doctor": "d" * MAX_REQUEST_TARGET_BYTES})
    message = json_error(client.get(url), 414)
    assert f"at most {MAX_QUERY_CHARS} characters" in message
    page = client.get("/?" + urlencode({"q": "x" * (MAX_REQUEST_TARGET_BYTES + 1)}))
    assert page.status_code == 414 and "Address too long" in page.get_data(as_text=True)


def test_a_body_is_refused_unread_with_a_json_413(client: FlaskClient) -> None:
    response = client.get("/api/search?q=rash", data=b"x" * (MAX_CONTENT_LENGTH + 1))
    assert "body" in json_error(response, 413)


@pytest.mark.parametrize(
    ("method", "url"),
    [("POST", "/api/search"), ("DELETE", "/api/thread/derm-red-spots"), ("PUT", "/healthz")],
)
def test_a_wrong_method_is_a_json_405_with_allow(
    client: FlaskClient, method: str, url: str
) -> None:
    response = client.open(url, method=method)
    json_error(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}


def test_an_unknown_api_path_is_a_json_404(client: FlaskClient) -> None:
    json_error(client.get("/api/no/such/thing"), 404)


def test_gunicorns_own_refusals_are_json_with_the_limit() -> None:
    from gunicorn.http.errors import InvalidRequestLine, LimitRequestHeaders, LimitRequestLine

    status, _, message = refusal(LimitRequestLine(9000, LIMIT_REQUEST_LINE))
    assert status == 414 and f"at most {MAX_QUERY_CHARS} characters" in message
    assert refusal(LimitRequestHeaders("too many"))[0] == 431
    assert refusal(InvalidRequestLine("GET"))[0] == 400
    assert refusal(RuntimeError("ours")) is None  # an app error stays gunicorn's 500
