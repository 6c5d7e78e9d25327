"""HTTP size limits, derived from the one query limit (search.request.MAX_QUERY_CHARS).

A query the app accepts must reach the app whatever its characters: the request line and
the header fields that carry a URL (Referer) are sized for MAX_QUERY_CHARS characters in
the worst percent-encoding, a 4-byte UTF-8 character written as four `%XX` (12 bytes),
plus room for the path and the other parameters. gunicorn enforces these limits first
(web.serve), the app enforces the same ones under any other server (web.app), and the
OpenAPI document states MAX_QUERY_CHARS (web.openapi).
"""

from __future__ import annotations

from search.request import MAX_QUERY_CHARS

WORST_CASE_BYTES_PER_CHAR = 12  # "%F0%9F%98%80": one 4-byte character, percent-encoded
# The path and every parameter other than q: `/thread/<id>?`, filters, sort, page...
OTHER_TARGET_BYTES = 960
MAX_REQUEST_TARGET_BYTES = MAX_QUERY_CHARS * WORST_CASE_BYTES_PER_CHAR + OTHER_TARGET_BYTES
# The request line is "METHOD TARGET HTTP/1.1"; OPTIONS is the longest method we answer.
LIMIT_REQUEST_LINE = len("OPTIONS ") + MAX_REQUEST_TARGET_BYTES + len(" HTTP/1.1")
# gunicorn clamps a larger limit to this (and 0 would mean unbounded, which lets one client
# make a worker copy megabytes for seconds): MAX_QUERY_CHARS must keep the line under it.
GUNICORN_MAX_REQUEST_LINE = 8190
# A Referer header carries a whole URL: scheme and host (at most 255) before the target.
LIMIT_REQUEST_FIELD_SIZE = len("Referer: https://") + 255 + MAX_REQUEST_TARGET_BYTES
LIMIT_REQUEST_FIELDS = 50  # browsers send about 15, nginx adds a few
MAX_CONTENT_LENGTH = 16 * 1024  # nothing takes a body; a bigger one is refused unread

if LIMIT_REQUEST_LINE > GUNICORN_MAX_REQUEST_LINE:  # pragma: no cover - a bad edit of the limits
    raise RuntimeError(
        f"MAX_QUERY_CHARS={MAX_QUERY_CHARS} needs a {LIMIT_REQUEST_LINE}-byte request line, "
        f"more than gunicorn's {GUNICORN_MAX_REQUEST_LINE}"
    )
