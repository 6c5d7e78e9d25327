"""The fast writer and the cached analyzer change speed only: same tokens, same index."""

from __future__ import annotations

import pytest
from reindex_fixtures import make_thread
from whoosh.analysis import CompositeAnalyzer
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from indexer.build.documents import thread_document
from search.index.schema import SCHEMA, text_analyzer
from search.whoosh_internals.fast_segment_writer import FastSegmentWriter

TEXTS = [
    "Why do I itch? Itchy, ITCHING red spots on the thigh, since 2016/06/01!",
    "The the a an of: stop words only",
    "Café naïve résumé façade, Ærøskøbing and Chinese 皮肤瘙痒 mixed with e.g. U.S.A.",
    "don't won't it's o'clock 3.141 big-time under_score",
    "",
    "  leading spaces and repeated repeated repeated words words",
]


def plain_chain():
    return CompositeAnalyzer(*text_analyzer().items)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("kwargs", [
    {}, {"positions": True}, {"positions": True, "start_pos": 5}, {"mode": "query"},
    {"no_morph": True}, {"positions": True, "chars": True}, {"removestops": False},
])
def test_cached_analyzer_gives_the_chain_tokens(text, kwargs):
    def tokens(analyzer):
        return [
            (t.text, getattr(t, "pos", None), getattr(t, "startchar", None))
            for t in analyzer(text, **kwargs)
        ]

    cached = text_analyzer()
    assert tokens(cached) == tokens(plain_chain())
    assert tokens(cached) == tokens(plain_chain())  # second time from the memo


def test_positions_by_word_matches_the_token_stream():
    text = " ".join(TEXTS)
    expected: dict[str, list[int]] = {}
    for token in plain_chain()(text, positions=True):
        expected.setdefault(token.text, []).append(token.pos)
    assert text_analyzer().positions_by_word(text) == expected


def test_unmorphed_words_are_the_spelling_words():
    text = " ".join(TEXTS)
    assert text_analyzer().unmorphed_words(text) == {
        token.text for token in plain_chain()(text, no_morph=True)
    }


def all_postings(reader, field, text):
    matcher = reader.postings(field, text)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return found


def segment_contents(directory, writer_class, pool_limit=None):
    storage = FileStorage(str(directory)).create()
    ix = storage.create_index(SCHEMA)
    writer = writer_class(ix)
    if pool_limit is not None:  # bytes: the pool spills sorted runs to disk past it
        writer.pool.limit = pool_limit
    for n in range(30):
        thread = make_thread(n, words="Itching naïve café don't " * (n % 4), replies=n % 3)
        writer.add_document(**thread_document(thread))
    writer.commit()
    with ix.reader() as reader:
        terms = sorted(reader.all_terms())
        # Spelling fields are compared by their lexicon (in `terms`): the fast writer keeps
        # one posting of a word per segment (see test_spelling_words_are_posted_once).
        counted = [term for term in terms if not is_spelling(term)]
        postings = {term: all_postings(reader, *term) for term in counted}
        lengths = {
            (field, doc): reader.doc_field_length(doc, field)
            for field in SCHEMA.scorable_names() for doc in range(reader.doc_count_all())
        }
        stored = list(reader.all_stored_fields())
        columns = {
            name: list(reader.column_reader(name)) for name in ("specialty", "doctor", "asked")
        }
        infos = {term: (reader.term_info(*term).weight(), reader.term_info(*term).doc_frequency(),
                        reader.term_info(*term).max_weight(), reader.term_info(*term).min_length(),
                        reader.term_info(*term).max_length()) for term in counted}
    ix.close()
    return terms, postings, lengths, stored, columns, infos


SPELLING_FIELDS = {
    SCHEMA[name].spelling_fieldname(name) for name in SCHEMA.names()
    if SCHEMA[name].separate_spelling()
}


def is_spelling(term):
    return term[0] in SPELLING_FIELDS


def test_fast_writer_writes_what_whoosh_writes(tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "fast").mkdir()
    plain = segment_contents(tmp_path / "plain", SegmentWriter)
    fast = segment_contents(tmp_path / "fast", FastSegmentWriter)
    for name, a, b in zip(("terms", "postings", "lengths", "stored", "columns", "infos"),
                          plain, fast, strict=True):
        assert a == b, name
    assert len(plain[0]) > 100
    assert sum(len(p) for p in plain[1].values()) > 1000


def test_fast_writer_spilling_to_disk_writes_what_whoosh_writes(tmp_path):
    # A pool over its memory limit writes sorted runs and merges them at the end: the
    # grouped pool must hand out the same postings on that path too.
    (tmp_path / "plain").mkdir()
    (tmp_path / "fast").mkdir()
    plain = segment_contents(tmp_path / "plain", SegmentWriter)
    fast = segment_contents(tmp_path / "fast", FastSegmentWriter, pool_limit=20_000)
    for name, a, b in zip(("terms", "postings", "lengths", "stored", "columns", "infos"),
                          plain, fast, strict=True):
        assert a == b, name


def test_spelling_words_are_posted_once_per_segment(tmp_path):
    # Whoosh posts a spelling word once per document (all with docnum 0); the fast
    # writer once per segment: the same words, for corrections and fuzzy terms.
    storage = FileStorage(str(tmp_path)).create()
    ix = storage.create_index(SCHEMA)
    writer = FastSegmentWriter(ix)
    for n in range(5):
        writer.add_document(**thread_document(make_thread(n, words="Itching itches itched")))
    writer.commit()
    with ix.reader() as reader:
        spelled = {text for field, text in reader.all_terms() if field == "spell_symptoms"}
        assert {b"itching", b"itches", b"itched"} <= spelled
        assert {reader.doc_frequency("spell_symptoms", word) for word in spelled} == {1}
        assert reader.doc_frequency("symptoms", "itch") == 5
    ix.close()
