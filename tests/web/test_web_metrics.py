"""/metrics: requests by route and status, latencies, searches, the live index, reindex."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from search.engine import SearchEngine
from search.index.reindex_status import ReindexStatus, write_reindex_status
from search.request import SearchRequest, SearchResponse
from web.app import close_engine, create_app

PRIVATE_WORDS = "zyzzogeton quixotic"  # a query nobody should find in the metrics


def scrape(client: FlaskClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def metrics_app(index_dir: Path) -> Iterator[Flask]:
    app = create_app({"INDEX_DIR": str(index_dir)})  # its own registry: counts start at 0
    yield app
    close_engine(app)


def test_requests_are_counted_by_route_and_status(metrics_app: Flask) -> None:
    client = metrics_app.test_client()
    for url in ("/api/search?q=rash", "/api/search?q=cough", "/api/search?page=0",
                "/api/thread/derm-red-spots", "/api/thread/nope", "/no/such/page"):  # fmt: skip
        client.get(url)
    client.post("/api/search")
    samples = scrape(client)
    requests = "qasearch_http_requests_total"
    assert value(samples, requests, route="/api/search", method="GET", status="200") == 2
    assert value(samples, requests, route="/api/search", method="GET", status="400") == 1
    thread = "/api/thread/<thread_id>"
    assert value(samples, requests, route=thread, method="GET", status="200") == 1
    assert value(samples, requests, route=thread, method="GET", status="404") == 1
    assert value(samples, requests, route="<unmatched>", method="GET", status="404") == 1
    assert value(samples, requests, route="<unmatched>", method="POST", status="405") == 1
    latency = "qasearch_http_request_duration_seconds_count"
    assert value(samples, latency, route="/api/search") == 3
    # Two searches ran (the 400 never reached the engine), none cut short.
    assert value(samples, "qasearch_search_duration_seconds_count") == 2
    assert value(samples, "qasearch_search_partial_answers_total") == 0


def test_no_label_carries_the_query_or_the_raw_path(metrics_app: Flask) -> None:
    client = metrics_app.test_client()
    client.get("/api/search", query_string={"q": PRIVATE_WORDS})
    client.get("/?q=" + PRIVATE_WORDS.replace(" ", "+"))
    client.get("/thread/zyzzogeton-thread")
    text = client.get("/metrics").get_data(as_text=True)
    assert "zyzzogeton" not in text and "quixotic" not in text
    assert 'route="/thread/<thread_id>"' in text


def test_the_live_generation_its_size_and_age(metrics_app: Flask, index_dir: Path) -> None:
    samples = scrape(metrics_app.test_client())
    generation = (index_dir / "CURRENT").read_text().strip()
    assert value(samples, "qasearch_index_available") == 1
    assert value(samples, "qasearch_generation_info", generation=generation) == 1
    with SearchEngine(index_dir) as engine:
        threads = engine.stats()["thread_count"]
    assert value(samples, "qasearch_generation_threads") == threads > 0
    assert 0 <= value(samples, "qasearch_generation_age_seconds") < 24 * 3600


def test_the_last_reindex_outcome_and_duration(tmp_path: Path, index_dir: Path) -> None:
    app = create_app({"INDEX_DIR": str(tmp_path)})  # an index dir of its own, no index yet
    client = app.test_client()
    samples = scrape(client)
    assert value(samples, "qasearch_index_available") == 0  # still answers, without gauges
    assert ("qasearch_reindex_last_success", ()) not in samples
    write_reindex_status(tmp_path, ReindexStatus("incremental", "failed", 100.0, 112.5, 12.5))
    samples = scrape(client)
    assert value(samples, "qasearch_reindex_last_success") == 0
    assert value(samples, "qasearch_reindex_last_duration_seconds") == 12.5
    assert value(samples, "qasearch_reindex_last_finished_timestamp_seconds") == 112.5
    assert value(samples, "qasearch_reindex_last_info", mode="incremental", outcome="failed") == 1
    close_engine(app)


@dataclass(frozen=True)
class PartialResponse(SearchResponse):
    partial: bool = True  # as a search whose work budget ran out reports itself


class BudgetExhaustedEngine(SearchEngine):
    def search(self, request: SearchRequest) -> SearchResponse:
        full = super().search(request)
        return PartialResponse(full.request, full.total, full.results, full.facets)


def test_partial_answers_are_counted(index_dir: Path) -> None:
    app = create_app({"INDEX_DIR": str(index_dir), "ENGINE_FACTORY": BudgetExhaustedEngine})
    client = app.test_client()
    client.get("/api/search?q=rash")
    client.get("/?q=rash")
    assert value(scrape(client), "qasearch_search_partial_answers_total") == 2
    close_engine(app)
