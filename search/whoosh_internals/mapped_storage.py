"""Whoosh file storage that maps index files into memory without copying them.

Whoosh's own mmap path (CompoundStorage with FileStorage) wraps each sub-file of a
segment in `BufferFile`, whose `BytesIO(memoryview)` copies the whole sub-file into
private memory when it is opened: at 100,000 threads that was ~250 MB per web worker
(every posting, term and column file), on top of the mapped pages themselves. Here every
file is mapped read-only and its sub-files are slices of that one mapping, read through
a small file-like view: nothing is copied, only the pages a search touches are read, and
those stay in the page cache that all workers share.
"""

from __future__ import annotations

import mmap
import os
import weakref
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.index import FileIndex

# Sub-files of a segment read with pread rather than through the mapping: the posting
# lists, most of an index's bytes, each read once into the posting cache (matching.py).
READ_NOT_MAPPED = (".pst",)
READ_CHUNK = 64 * 1024  # bytes read ahead for the small reads of a posting list


class _Positioned:
    """seek/tell over a sub-file of known size; subclasses read from `_pos`."""

    __slots__ = ()
    _pos: int

    def _size(self) -> int:
        raise NotImplementedError

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_CUR:
            offset += self._pos
        elif whence == os.SEEK_END:
            offset += self._size()
        if offset < 0:
            raise ValueError(f"negative seek position {offset}")
        self._pos = offset
        return offset

    def tell(self) -> int:
        return self._pos


class _ViewReader(_Positioned):
    """read/seek/tell over a memoryview, the part of a file object Whoosh's readers use."""

    __slots__ = ("_pos", "_view")

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        length = len(self._view)
        end = length if size is None or size < 0 else min(length, start + size)
        self._pos = max(start, end)
        return self._view[start:end].tobytes()

    def peek(self, size: int = 1) -> bytes:
        """Bytes ahead without moving (pickle.load reads a whole pickle at once)."""
        start = self._pos
        return self._view[start:start + max(1, min(size, READ_CHUNK))].tobytes()

    def readline(self, size: int | None = -1) -> bytes:
        start = self._pos
        length = len(self._view)
        limit = length if size is None or size < 0 else min(length, start + size)
        end = start
        while end < limit:  # rare (Whoosh's readers do not use it): plain scan
            end += 1
            if self._view[end - 1] == 0x0A:
                break
        self._pos = end
        return self._view[start:end].tobytes()

    def _size(self) -> int:
        return len(self._view)

    def close(self) -> None:
        # The mapping is unmapped once no view of it is left (Whoosh's own mmap path
        # does the same): closing here would fail while sibling sub-files are open.
        self._view = memoryview(b"")


class _Descriptor:
    """An open file descriptor for positioned reads; closed by close() or when dropped,
    as a memory map closes its own (a searcher left to the garbage collector must not
    leak descriptors or warn)."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDONLY)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __del__(self) -> None:
        self.close()


class _RangeReader(_Positioned):
    """read/seek/tell over a byte range of a file with pread, buffered: a posting list
    is read as many small pieces (block headers, then block data) in file order."""

    __slots__ = ("_chunk", "_chunk_start", "_descriptor", "_length", "_offset", "_pos")

    def __init__(self, descriptor: _Descriptor, offset: int, length: int) -> None:
        self._descriptor = descriptor
        self._offset = offset
        self._length = length
        self._pos = 0
        self._chunk = b""
        self._chunk_start = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = self._length if size is None or size < 0 else min(self._length, start + size)
        if end <= start:
            return b""
        chunk_start = self._chunk_start
        if not (chunk_start <= start and end <= chunk_start + len(self._chunk)):
            if end - start >= READ_CHUNK:
                data = os.pread(self._descriptor.fd, end - start, self._offset + start)
                self._pos = start + len(data)
                return data
            want = min(READ_CHUNK, self._length - start)
            self._chunk = os.pread(self._descriptor.fd, want, self._offset + start)
            self._chunk_start = chunk_start = start
        data = self._chunk[start - chunk_start:end - chunk_start]
        self._pos = start + len(data)
        return data

    def peek(self, size: int = 1) -> bytes:
        """Bytes ahead without moving: pickle.load (block headers) then reads a whole
        pickle at once instead of asking for it opcode by opcode."""
        start = self._pos
        offset = start - self._chunk_start
        if not 0 <= offset < len(self._chunk):  # nothing read ahead here yet
            self.read(1)
            self._pos = start
            offset = start - self._chunk_start
        return self._chunk[offset:offset + max(1, size)]

    def readline(self, size: int | None = -1) -> bytes:
        start = self._pos
        data = self.read(size)
        newline = data.find(b"\n")
        if newline >= 0:
            data = data[: newline + 1]
            self._pos = start + len(data)
        return data

    def _size(self) -> int:
        return self._length

    def close(self) -> None:
        pass  # the descriptor belongs to the segment file


class ViewFile(BufferFile):
    """A read-only Whoosh file over a slice of a memory map; sub-files are slices too.

    Posting lists (`.pst`) are the exception for a segment file: they are read block by
    block with pread, so the bulk of the index stays in the page cache instead of in
    every worker's resident set, for one system call per block.
    """

    def __init__(
        self,
        view: memoryview,
        name: str | None = None,
        onclose: Any = None,
        descriptor: _Descriptor | None = None,
    ) -> None:
        # BufferFile.__init__ would copy the view into a BytesIO: set its fields here.
        self._buf = view
        self._name = name
        self._descriptor = descriptor
        self.file = _ViewReader(view)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position: int, length: int, name: str | None = None) -> StructFile:
        name = name or self._name
        if self._descriptor is not None and name is not None and name.endswith(READ_NOT_MAPPED):
            return StructFile(_RangeReader(self._descriptor, position, length), name=name)
        return ViewFile(self._buf[position:position + length], name=name)

    def close(self) -> None:
        super().close()
        if self._descriptor is not None:
            self._descriptor.close()


class MappedFileStorage(FileStorage):
    """FileStorage whose files are zero-copy memory maps (for readers only)."""

    def __init__(self, path: str, readonly: bool = False) -> None:
        # supports_mmap=False makes CompoundStorage take each sub-file from the
        # segment file's subset(): a slice of the mapping made here.
        super().__init__(path, supports_mmap=False, readonly=readonly)
        self._mappings: weakref.WeakSet[mmap.mmap] = weakref.WeakSet()

    def release_pages(self) -> None:
        """Unmap the pages this process has touched (see release_mapped_pages)."""
        release_mapped_pages(list(self._mappings))

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        path = self._fpath(name)
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self._mappings.add(mapped)
        # The mapping keeps its own descriptor. A segment (compound) file gets one more,
        # for reading its posting lists without mapping them.
        descriptor = _Descriptor(path) if name.endswith(".seg") else None
        return ViewFile(memoryview(mapped), name=name, onclose=kwargs.get("onclose"),
                        descriptor=descriptor)


def release_mapped_pages(mappings: list[mmap.mmap]) -> None:
    """Drop these read-only file mappings' pages from this process's page tables.

    The pages stay in the page cache (shared by every worker); the next read of one maps
    it again, a cheap minor fault. A long-running worker would otherwise keep mapped
    every page of the index it has ever read, and its RSS would grow towards the size
    of the index, although the memory is the page cache's, not the worker's.
    """
    for mapping in mappings:
        if not mapping.closed:
            mapping.madvise(mmap.MADV_DONTNEED)


def mapped_resident_bytes() -> int | None:
    """How many bytes of this process's resident set are file-backed pages: the index's
    mapped pages (and the program's own code). None where /proc is not there to say.

    Read from /proc/self/statm (its third field) on each call, in about 6 us: opened
    per call, since a descriptor opened before gunicorn forks would name the master.
    """
    try:
        descriptor = os.open("/proc/self/statm", os.O_RDONLY)
    except OSError:
        return None
    try:
        fields = os.read(descriptor, 256).split()
    finally:
        os.close(descriptor)
    try:
        return int(fields[2]) * mmap.PAGESIZE
    except (IndexError, ValueError):
        return None


def open_mapped_index(path: str | os.PathLike[str]) -> FileIndex:
    """The index in `path` for reading, its files mapped without copying. Use it for any
    searcher, also in the indexer: `whoosh.index.open_dir(path).searcher()` copies every
    segment's posting and term files into memory (817 MB at 300,000 threads)."""
    return FileIndex(MappedFileStorage(os.fspath(path)))
