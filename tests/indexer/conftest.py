"""Fixtures for the archive reader tests: small hand-written pages in the archive format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# A complete, small thread page: every section once, layout as in the real archive.
SMALL_PAGE = """\
Knee Pain After Running - Orthopedics

Share to:

Knee hurts after jogging

My right knee hurts after running 5 km.
It is swollen the next morning.

Lee, 30~39 year old male. Ask Date: 2020/03/04

Dr. Chen Ming reply Orthopedics


Rest the knee and apply ice.
See an orthopedist if the swelling lasts.

Reply Date: 2020/03/05

More Info

Knee pain in runners is common.

It often comes from overuse.

Similar Q&A

Knee Swelling: What to Do

My knee is swollen after football...

Dr. Wang Li reply Orthopedics
Ice and rest first.

[Read More] Knee Swelling: What to Do

Related FAQ

Knee Pain

(Orthopedics)
"""


@pytest.fixture
def small_page() -> str:
    return SMALL_PAGE


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write text or bytes to tmp_path/name (folders created) and return the path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write
