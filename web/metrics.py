"""Prometheus metrics at /metrics: requests, latencies, searches, the live index, reindex.

Under `qasearch serve` every gunicorn worker counts into files in the directory named by
PROMETHEUS_MULTIPROC_DIR (serve sets one up per server), and a scrape, answered by any
worker, adds up all of them (prometheus_client's multiprocess mode). Without it (tests,
another server) each process counts in memory.

Labels are bounded and never carry user text: the route is the URL rule, the method one
of the standard ones, the status a number. The index gauges are read when scraped, from
the generation this worker serves and from the last reindex's status file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from search.index.generations import IndexUnavailableError
from search.index.reindex_status import read_reindex_status
from search.request import SearchRequest, SearchResponse
from web.access_log import elapsed_seconds, route_label
from web.engine_holder import get_engine

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
# Searches take milliseconds; the top buckets catch the slow ones the budget should stop.
SEARCH_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
REQUEST_BUCKETS = SEARCH_BUCKETS + (10.0,)


class WebMetrics:
    """The app's metric objects, in a registry of its own (many apps may share a process)."""

    def __init__(self, app: Flask) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "qasearch_http_requests", "HTTP requests answered, by URL rule, method and status.",
            ["route", "method", "status"], registry=self.registry,
        )
        self.request_seconds = Histogram(
            "qasearch_http_request_duration_seconds",
            "Time from the request reaching the app to its response, by URL rule.",
            ["route"], buckets=REQUEST_BUCKETS, registry=self.registry,
        )
        self.search_seconds = Histogram(
            "qasearch_search_duration_seconds", "Time the engine took to answer a search.",
            buckets=SEARCH_BUCKETS, registry=self.registry,
        )
        self.partial_answers = Counter(
            "qasearch_search_partial_answers",
            "Searches answered with what was found when the work budget ran out.",
            registry=self.registry,
        )
        self.index = IndexCollector(app)
        if not multiprocess_mode():
            self.registry.register(self.index)

    def exposition(self) -> bytes:
        """The text a scrape gets: every worker's counts (multiprocess) and the index gauges."""
        if not multiprocess_mode():
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        registry.register(self.index)
        return generate_latest(registry)


class IndexCollector(Collector):
    """Gauges read at scrape time: the live generation, its size and age, the last reindex."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        available = GaugeMetricFamily(
            "qasearch_index_available", "1 while the index can be searched, else 0."
        )
        try:
            stats = get_engine().stats()
        except IndexUnavailableError:
            available.add_metric([], 0)
            yield available
        else:
            available.add_metric([], 1)
            yield available
            yield from _generation_metrics(stats)
        index_dir = self.app.config["INDEX_DIR"]
        if index_dir:
            yield from _reindex_metrics(index_dir)


def _generation_metrics(stats: dict[str, Any]) -> Iterator[Metric]:
    info = InfoMetricFamily("qasearch_generation", "The index generation this worker serves.")
    info.add_metric([], {"generation": str(stats["generation"])})
    yield info
    yield GaugeMetricFamily(
        "qasearch_generation_threads", "Threads in the live generation.",
        value=stats["thread_count"],
    )
    changed = _timestamp(stats.get("updated_at") or stats.get("built_at"))
    if changed is not None:
        yield GaugeMetricFamily(
            "qasearch_generation_age_seconds",
            "Seconds since the live generation was built or last updated in place.",
            value=max(0.0, time.time() - changed),
        )


def _reindex_metrics(index_dir: str) -> Iterator[Metric]:
    status = read_reindex_status(index_dir)
    if status is None:
        return
    run = InfoMetricFamily("qasearch_reindex_last", "The last `qasearch reindex` run.")
    run.add_metric([], {"mode": status.mode, "outcome": status.outcome})
    yield run
    yield GaugeMetricFamily(
        "qasearch_reindex_last_success", "1 if the last reindex succeeded, else 0.",
        value=1 if status.outcome == "ok" else 0,
    )
    yield GaugeMetricFamily(
        "qasearch_reindex_last_duration_seconds", "How long the last reindex ran.",
        value=status.duration_seconds,
    )
    yield GaugeMetricFamily(
        "qasearch_reindex_last_finished_timestamp_seconds",
        "When the last reindex ended (Unix time).", value=status.finished_at,
    )


def _timestamp(text: Any) -> float | None:
    try:
        return datetime.strptime(str(text), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


def multiprocess_mode() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


def init_metrics(app: Flask) -> None:
    """Count every response, and serve /metrics."""
    metrics = app.extensions["qasearch_metrics"] = WebMetrics(app)

    @app.after_request
    def count_response(response: Response) -> Response:
        route = route_label()
        method = request.method if request.method in METHODS else "other"
        metrics.requests.labels(route, method, str(response.status_code)).inc()
        metrics.request_seconds.labels(route).observe(elapsed_seconds())
        return response

    @app.get("/metrics")
    def prometheus_metrics() -> Response:
        return Response(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)


def timed_search(search_request: SearchRequest) -> SearchResponse:
    """This process's engine answers `search_request`; its time and partiality are counted."""
    engine = get_engine()
    metrics: WebMetrics = current_app.extensions["qasearch_metrics"]
    started = time.perf_counter()
    response = engine.search(search_request)
    metrics.search_seconds.observe(time.perf_counter() - started)
    # `partial` is set when the search's work budget ran out (absent on older engines).
    if getattr(response, "partial", False):
        metrics.partial_answers.inc()
    return response
