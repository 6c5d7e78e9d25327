"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"
REFERENCE_PAGE = SHARED_FIXTURES / "archive" / "000_614d02a2dc9fc088.txt"


@pytest.fixture(scope="session")
def reference_page() -> Path:
    """The real archive page in ../shared/fixtures: skipped in a user's clone, never in CI."""
    if not REFERENCE_PAGE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have the shared fixtures, but {REFERENCE_PAGE} is missing")
        pytest.skip(f"shared fixtures not present at {SHARED_FIXTURES} (only in the team checkout)")
    return REFERENCE_PAGE
