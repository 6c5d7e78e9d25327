"""schemathesis against /api/openapi.json: every documented operation, generated inputs
(valid and invalid), every built-in check (no 5xx, documented statuses, response shapes,
content types, invalid input refused, 405 with Allow for other methods...)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from search.engine import SearchEngine
from web.app import create_app

pytestmark = pytest.mark.slow
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "50"))  # more, by hand, to dig


class SessionEngine:
    """Hands the app the engine opened on the session's index (set by the fixture below).

    The app and its schema must exist when the module is collected; the OpenAPI document
    needs no index, the searches the test makes do.
    """

    engine: SearchEngine | None = None

    def __call__(self, index_dir: Path) -> Any:
        assert self.engine is not None, "the session_engine fixture did not run"
        return self.engine


SESSION_ENGINE = SessionEngine()
APP = create_app({"INDEX_DIR": "set-by-the-fixture", "ENGINE_FACTORY": SESSION_ENGINE})
# The pytest plugin's lazy loader (from_fixture) fails on pytest 9.2 (no Node._nodeid);
# a schema loaded at collection through WSGI needs no server and no fixture.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def session_engine(index_dir: Path) -> Iterator[None]:
    with SearchEngine(index_dir) as engine:
        SESSION_ENGINE.engine = engine
        yield
        SESSION_ENGINE.engine = None


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # the same cases every run: a failure here is never a fluke
    deadline=None,  # the machine is shared; correctness, not speed, is checked here
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_openapi_promises(case: schemathesis.Case) -> None:
    case.call_and_validate()
