"""Where a replica copies generations from: the primary's index directory, over HTTP(S) or
as a local directory (a mount, or a mirror that rsync over ssh keeps up to date).

Both give the same two reads, relative to the index directory: a small file whole
(`CURRENT`, a manifest) and a large file streamed into an open file, counted and hashed
on the way. A source never writes anything; what it returns is checked by the caller.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, BinaryIO, Protocol

CHUNK = 1024 * 1024
HTTP_TIMEOUT = 30.0  # seconds without a byte before a transfer is given up


class SourceError(RuntimeError):
    """The primary's index could not be read; the message says what, where and why."""


class GenerationSource(Protocol):
    description: str

    def read_small(self, relative: str, limit: int) -> bytes:
        """The whole file, at most `limit` bytes (more is an error)."""
        ...

    def copy(self, relative: str, out: BinaryIO, size: int) -> str:
        """Write exactly `size` bytes of the file to `out`; return their SHA-256 (hex)."""
        ...


def open_source(spec: str) -> GenerationSource:
    """An http(s):// URL of the primary's index directory, or a local directory path."""
    scheme = urllib.parse.urlsplit(spec).scheme.lower()
    if scheme in ("http", "https"):
        return HttpSource(spec)
    if scheme and len(scheme) > 1:  # one letter would be a Windows drive, not a scheme
        raise SourceError(f"{spec}: only http://, https:// or a local directory can be read")
    path = Path(spec)
    if not path.is_dir():
        raise SourceError(f"{spec}: no such directory (give the primary's index directory)")
    return DirectorySource(path)


class HttpSource:
    """The primary's index directory served as static files (nginx, `python -m http.server`)."""

    def __init__(self, base_url: str, timeout: float = HTTP_TIMEOUT) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = timeout
        self.description = self.base_url

    def read_small(self, relative: str, limit: int) -> bytes:
        url = self._url(relative)
        with self._open(url) as response:
            data = response.read(limit + 1)
        if len(data) > limit:
            raise SourceError(f"{url}: larger than {limit} bytes, not what was asked for")
        return data

    def copy(self, relative: str, out: BinaryIO, size: int) -> str:
        url = self._url(relative)
        with self._open(url) as response:
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) != size:
                raise SourceError(
                    f"{url}: {declared} bytes, the manifest says {size} "
                    "(the primary changed the generation since: run the pull again)"
                )
            try:
                return copy_counted(response, out, size, url)
            except (TimeoutError, OSError) as error:
                raise SourceError(f"{url}: transfer failed ({error})") from None

    def _url(self, relative: str) -> str:
        return self.base_url + urllib.parse.quote(relative)

    def _open(self, url: str) -> Any:  # an http.client.HTTPResponse, as a context manager
        try:
            return urllib.request.urlopen(url, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            error.close()  # it holds the response's socket
            hint = " (not there: an older generation deleted, or never published)"
            raise SourceError(
                f"{url}: HTTP {error.code} {error.reason}{hint if error.code == 404 else ''}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SourceError(f"cannot reach {url}: {reason}") from None


class DirectorySource:
    """The primary's index directory as a local path (NFS mount, or an rsync mirror)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.description = str(root)

    def read_small(self, relative: str, limit: int) -> bytes:
        path = self.root / relative
        try:
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as error:
            raise SourceError(f"cannot read {path}: {error.strerror or error}") from None
        if len(data) > limit:
            raise SourceError(f"{path}: larger than {limit} bytes, not what was asked for")
        return data

    def copy(self, relative: str, out: BinaryIO, size: int) -> str:
        path = self.root / relative
        try:
            with open(path, "rb") as handle:
                return copy_counted(handle, out, size, str(path))
        except OSError as error:
            raise SourceError(f"cannot read {path}: {error.strerror or error}") from None


def copy_counted(stream: BinaryIO, out: BinaryIO, size: int, what: str) -> str:
    """Copy exactly `size` bytes from `stream` to `out`, hashing them; a longer or shorter
    file is a SourceError (it is not the file the manifest describes)."""
    digest = hashlib.sha256()
    remaining = size
    while remaining > 0:
        chunk = stream.read(min(CHUNK, remaining))
        if not chunk:
            raise SourceError(
                f"{what}: ended after {size - remaining} of {size} bytes "
                "(changed or truncated on the primary: run the pull again)"
            )
        digest.update(chunk)
        out.write(chunk)
        remaining -= len(chunk)
    if stream.read(1):
        raise SourceError(
            f"{what}: longer than the {size} bytes in the manifest "
            "(changed on the primary: run the pull again)"
        )
    return digest.hexdigest()
