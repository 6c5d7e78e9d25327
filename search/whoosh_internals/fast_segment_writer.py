"""Whoosh's SegmentWriter without its per-posting overheads; the same index on disk.

Profiling a full build (cProfile, 2,000 sample threads, ~200 postings a thread) showed
about half the time spent after analysis, on three things that are per-posting
bookkeeping rather than indexing:

- `W3PerDocReader.doc_field_length`, asked once per posting while postings are written,
  re-checks with `os.path.exists` whether the field has a lengths column (for every
  posting of an ID field) and decodes the length byte through several layers. Here each
  field's lengths are read once into a list.
- `W3PostingsWriter.add_posting` and `PostingPool.add` assert the types of every value
  (five isinstance calls a posting); the values come from Whoosh's own field classes,
  so the checks are dropped.
- For text fields with positions analysed by cached_analysis.CachedTextAnalyzer,
  `add_document` asks the analyzer for each word's positions in one pass instead of
  pulling Token objects through Positions.word_values; the postings are the same.

- A spelling field (`spell_title`, `spell_symptoms`: the unstemmed words of a field
  with spelling=True) gets one posting per word per segment, not one per document
  holding the word: Whoosh gives these postings docnum 0 and only their lexicon is ever
  read (spelling corrections, fuzzy terms). They were 15% of a sample build's postings.

Everything else (formats, encoding, block layout, the table of contents) is Whoosh's
own code, so the segment files read back as a plain SegmentWriter's do, spelling
fields' posting counts aside; tests/indexer/test_fast_segment_writer.py compares the
two on the same documents. They are not byte for byte the same: to save memory,
postings with equal term bytes or equal single-position values share one object, and
pickle writes an object a block holds twice only once (a 100,000-thread build's
segments came out 21% smaller).

It can also keep a copy of the postings it writes (`PostingCapture`): docnums and
weights are copied a block at a time from the postings writer's own arrays, so the
posting arrays of a generation (search/index/posting_arrays.py) cost no decoding.
Whoosh is pinned at 2.7.4: these subclasses follow that version's internals.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter, sub
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3FieldWriter, W3PostingsWriter, _lenfield
from whoosh.formats import Positions
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

from search.whoosh_internals.cached_analysis import CachedTextAnalyzer

# PostingPool's size estimate for one posting tuple without its strings (tuple, str,
# int, float overheads).
_POSTING_OVERHEAD = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21
_TYPICAL_BYTES = 2 * 8 + 12  # a term of ~8 characters counted twice, a short value


class CapturedField:
    """One field's postings as the segment writer wrote them: terms in byte order, the
    running posting count at the end of each term, then every posting's docnum (local to
    the segment) and weight, term after term."""

    def __init__(self) -> None:
        self.terms: list[bytes] = []
        self.ends = array("q")
        self.docnums = array("I")  # the postings writer's own typecodes: copied as blocks
        self.weights = array("f")

    def end_term(self, btext: bytes) -> None:
        self.terms.append(btext)
        self.ends.append(len(self.docnums))


class PostingCapture:
    """Keeps a copy of the postings of `fieldnames` while a segment is written, a block of
    up to 128 postings at a time (for the posting arrays, search/index/posting_arrays.py)."""

    def __init__(self, fieldnames: Iterable[str]) -> None:
        self.fieldnames = frozenset(fieldnames)
        self.fields: dict[str, CapturedField] = {}

    def field(self, fieldname: str) -> CapturedField | None:
        if fieldname not in self.fieldnames:
            return None
        return self.fields.setdefault(fieldname, CapturedField())


class FastSegmentWriter(SegmentWriter):
    """A SegmentWriter (use it as one) with cheaper per-posting bookkeeping.

    With `capture`, the postings of its fields are also kept in `capture.fields` once the
    segment is finalized.
    """

    def __init__(
        self, ix: Any, *, limitmb: int = 128, capture: PostingCapture | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = _PostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        self.fieldwriter._codec = _PostingsCodec(self.fieldwriter._codec)
        # Same object, one method replaced (it holds open files, so it is not rebuilt).
        self.fieldwriter.__class__ = _FieldWriter
        self.fieldwriter._capture = capture
        self._spelled: dict[str, set[str]] = {}  # spelling field -> words already in the pool

    def add_document(self, **fields: Any) -> None:
        # SegmentWriter.add_document, with postings added to the pool a field at a time
        # and the fast path for positions (see the module docstring). Term vectors are
        # not supported: the schema has none.
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        # Whoosh gives each spelling posting the value bytes of the last posting added
        # before it (a loop variable it reuses); kept so the segments stay identical.
        vbytes = None
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            if field.vector:
                raise ValueError(f"FastSegmentWriter does not write term vectors ({fieldname})")
            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                items = _positions_postings(field, value)
                if items is None:
                    items = field.index(value)
                postings = []
                for tbytes, freq, weight, vbytes in items:
                    length += freq
                    if fieldboost != 1.0:  # x * 1.0 is x: keep the shared float object
                        weight = weight * fieldboost
                    postings.append((tbytes, weight, vbytes))
                if not field.scorable:
                    length = 0
                if postings:
                    vbytes = postings[-1][2]
                pool.add_field_postings(fieldname, docnum, postings)
            if field.separate_spelling():
                self._add_spelling(field, fieldname, value, vbytes)
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_spelling(self, field: Any, fieldname: str, value: Any, vbytes: bytes | None) -> None:
        # Whoosh adds a (docnum 0) posting to the spelling field for every distinct word
        # of every document; only the field's lexicon is ever read (corrections, fuzzy
        # terms), so a word's first posting in the segment is the only one kept.
        spellfield = field.spelling_fieldname(fieldname)
        seen = self._spelled.get(spellfield)
        if seen is None:
            seen = self._spelled[spellfield] = set()
        analyzer = field.analyzer
        if isinstance(value, str) and isinstance(analyzer, CachedTextAnalyzer):
            words = analyzer.unmorphed_words(value)
        else:
            words = set(field.spellable_words(value))
        new = sorted(words - seen)
        if new:
            seen.update(new)
            self.pool.add_field_postings(
                spellfield, 0, [(word.encode("utf-8"), 1, vbytes) for word in new]
            )

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = _FieldLengths(self.per_document_reader()) if self.codec.length_stats else None
        if self.pool.spilled:
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        else:
            self.fieldwriter.add_term_postings(self.schema, lengths, self.pool.sorted_terms())
        self.fieldwriter.close()
        if lengths:
            lengths.close()


def _positions_postings(field: Any, value: Any) -> list[tuple[bytes, int, float, bytes]] | None:
    """field.index(value) for a Positions field with the cached analyzer, else None."""
    analyzer = field.analyzer
    fmt = field.format
    if type(fmt) is not Positions or not isinstance(analyzer, CachedTextAnalyzer):
        return None
    if not isinstance(value, str):
        return None
    boost = fmt.field_boost
    encode = _encode_positions
    term_bytes = _shared_term_bytes
    weight = _shared_weight
    return [
        (term_bytes(form), len(poslist), weight(len(poslist), boost), encode(poslist))
        for form, poslist in analyzer.positions_by_word(value).items()
    ]


# The pool holds every posting of a segment as a (docnum, weight, value) tuple in its
# term's list until the segment is written: most of a build worker's memory (the size
# estimate that decides when to spill still counts Whoosh's 5-tuples). Equal term
# bytes, weights and single-position values (most postings) are shared objects instead
# of a copy each.
_SHARED_LIMIT = 400_000  # entries per memo before it starts over (bounded memory)
_SHARED_POSITIONS = 1 << 16  # single positions below this are shared
_TERM_BYTES: dict[str, bytes] = {}
_WEIGHTS: dict[tuple[int, float], float] = {}
_ONE_POSITION: dict[int, bytes] = {}


def _shared_term_bytes(form: str) -> bytes:
    found = _TERM_BYTES.get(form)
    if found is None:
        if len(_TERM_BYTES) >= _SHARED_LIMIT:
            _TERM_BYTES.clear()
        found = _TERM_BYTES[form] = form.encode("utf-8")
    return found


def _shared_weight(count: int, boost: float) -> float:
    key = (count, boost)
    found = _WEIGHTS.get(key)
    if found is None:
        if len(_WEIGHTS) >= _SHARED_LIMIT:
            _WEIGHTS.clear()
        found = _WEIGHTS[key] = count * boost
    return found


def _encode_positions(positions: list[int]) -> bytes:
    """Positions.encode (count, then the pickled gaps), without its Python loop."""
    if len(positions) == 1 and positions[0] < _SHARED_POSITIONS:
        found = _ONE_POSITION.get(positions[0])
        if found is None:
            found = _ONE_POSITION[positions[0]] = pack_uint(1) + dumps(positions, 2)
        return found
    gaps = [positions[0], *map(sub, positions[1:], positions[:-1])]
    return pack_uint(len(gaps)) + dumps(gaps, 2)


class _PostingPool(PostingPool):
    """Whoosh's pool, holding postings grouped by field and term instead of one flat list
    of (fieldname, tbytes, docnum, weight, vbytes) tuples sorted at the end.

    Sorting that list was 8% of a 300,000-thread build (py-spy): tens of millions of tuple
    comparisons. Documents come in docnum order, so each term's postings are already in
    order as they arrive; only the fields and each field's terms are sorted. The order
    handed out is the flat list's sorted order exactly (each term's list is still sorted,
    one pass when in order: Whoosh's spelling postings all carry docnum 0 and are ordered
    by their other values). A pool over its memory limit still spills sorted runs to
    disk the Whoosh way, and then hands out Whoosh's merge of them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._by_field: dict[str, dict[bytes, list[tuple[int, float, bytes | None]]]] = {}

    def add_field_postings(
        self, fieldname: str, docnum: int, postings: list[tuple[bytes, float, bytes | None]]
    ) -> None:
        """Add one field's postings (tbytes, weight, vbytes) of one document."""
        if not postings:
            return
        self.fieldnames.add(fieldname)
        # An estimate is enough (it only decides when to spill a sorted run to disk):
        # per posting, Whoosh's fixed overhead plus a typical term and value size.
        self.currentsize += len(postings) * (_POSTING_OVERHEAD + len(fieldname) + _TYPICAL_BYTES)
        terms = self._by_field.get(fieldname)
        if terms is None:
            terms = self._by_field[fieldname] = {}
        for tbytes, weight, vbytes in postings:
            entry = (docnum, weight, vbytes)
            found = terms.get(tbytes)
            if found is None:
                terms[tbytes] = [entry]
            else:
                found.append(entry)
        if self.currentsize > self.limit:
            self.save()

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        self.fieldnames.add(fieldname)
        self.currentsize += (
            _POSTING_OVERHEAD + len(fieldname) + 2 * len(tbytes) + len(vbytes or b"")
        )
        if self.currentsize > self.limit:
            self.save()
        self._by_field.setdefault(fieldname, {}).setdefault(tbytes, []).append(
            (docnum, weight, vbytes)
        )

    def sorted_terms(self) -> Iterator[tuple[str, bytes, list[tuple[int, float, bytes | None]]]]:
        """(fieldname, tbytes, postings) in sorted order, each term's postings sorted;
        only for a pool that never spilled (see `spilled`)."""
        for fieldname in sorted(self._by_field):
            terms = self._by_field[fieldname]
            for tbytes in sorted(terms):
                postings = terms[tbytes]
                postings.sort()
                yield fieldname, tbytes, postings

    @property
    def spilled(self) -> bool:
        return bool(self.runs)

    def save(self) -> None:
        # The base class sorts `current` (already in order: one pass) and writes it as a run.
        self.current = [
            (fieldname, tbytes, *posting)
            for fieldname, tbytes, postings in self.sorted_terms()
            for posting in postings
        ]
        self._by_field = {}
        super().save()

    def items(self, maxfiles: int = 128) -> Iterable[tuple[str, bytes, int, float, bytes | None]]:
        if not self.runs:
            return (
                (fieldname, tbytes, *posting)
                for fieldname, tbytes, postings in self.sorted_terms()
                for posting in postings
            )
        return super().items(maxfiles)  # its save() writes what is held as the last run


class _PostingsWriter(W3PostingsWriter):
    _capture: CapturedField | None = None  # set per field by _FieldWriter

    def _write_block(self, last: bool = False) -> None:
        if self._capture is not None:
            self._capture.docnums.extend(self._ids)
            self._capture.weights.extend(self._weights)
        super()._write_block(last)

    def add_posting(self, id_: int, weight: float, vbytes: bytes, length: int | None = None):
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length


class _FieldWriter(W3FieldWriter):
    _capture: PostingCapture | None = None

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        """FieldWriter.add_postings for the pool's sorted (fieldname, btext, docnum,
        weight, value) postings (a pool that spilled to disk): grouped by term for
        `add_term_postings`. (Whoosh's out-of-order checks are dropped: the pool sorts.)"""
        self.add_term_postings(schema, lengths, (
            (fieldname, btext, [posting[2:] for posting in postings])
            for (fieldname, btext), postings in groupby(items, key=itemgetter(0, 1))
        ))

    def add_term_postings(
        self,
        schema: Any,
        lengths: Any,
        terms: Iterable[tuple[str, bytes, list[tuple[int, float, bytes | None]]]],
    ) -> None:
        """FieldWriter.add_postings for postings handed out term by term (sorted fields,
        sorted terms, each term's postings in docnum order), with the per-posting calls
        cut down: lengths come from a list per field, postings go straight to the
        postings writer."""
        lastfn = None
        field_lengths: list[int | None] | None = None
        captured: CapturedField | None = None
        for fieldname, btext, postings in terms:
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                captured = self._capture.field(fieldname) if self._capture else None
                self._postwriter._capture = captured
                lastfn = fieldname
                field_lengths = lengths.for_field(fieldname) if lengths else None
            if postings[0][0] == -1:  # Whoosh's marker for spelling-only words
                postings = [posting for posting in postings if posting[0] != -1]
                if not postings:
                    continue
            self.start_term(btext)
            add_posting = self._postwriter.add_posting
            if field_lengths is None:
                for docnum, weight, value in postings:
                    add_posting(docnum, weight, b"" if value is None else value, 0)
            else:
                for docnum, weight, value in postings:
                    add_posting(
                        docnum, weight, b"" if value is None else value, field_lengths[docnum]
                    )
            self._finish_term(captured, btext)
        if lastfn is not None:
            self.finish_field()

    def _finish_term(self, captured: CapturedField | None, btext: bytes) -> None:
        self.finish_term()  # writes the term's last block, so the capture has it all
        if captured is not None:
            captured.end_term(btext)


class _PostingsCodec:
    """The field writer's codec, handing out the leaner postings writer."""

    def __init__(self, codec: Any) -> None:
        self._wrapped = codec

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> _PostingsWriter:
        codec = self._wrapped
        return _PostingsWriter(
            dbfile, blocklimit=codec._blocklimit, byteids=byteids,
            compression=codec._compression, inlinelimit=codec._inlinelimit,
        )


class _FieldLengths:
    """Field lengths as W3PerDocReader.doc_field_length answers them, read once per field."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._by_field: dict[str, list[int | None] | None] = {}

    def for_field(self, fieldname: str) -> list[int | None] | None:
        """Every document's length in the field (None where the length byte is 0, as
        W3PerDocReader answers), or None if the field has no lengths (then 0 is used)."""
        if fieldname not in self._by_field:
            column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            self._by_field[fieldname] = (
                None if column is None
                else [byte_to_length(b) if b else None for b in column]
            )
        return self._by_field[fieldname]

    def close(self) -> None:
        self._reader.close()

    def __bool__(self) -> bool:
        return True
