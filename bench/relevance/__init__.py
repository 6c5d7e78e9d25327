"""The relevance benchmark: how well qasearch ranks real consumer health questions.

`python -m bench.relevance` indexes the shared relevance set (`<repo>/../shared/relevance`:
questions, graded TREC qrels, a JSON Lines collection) with `qasearch reindex`, runs every
question through the engine's Python API and through BM25 references built from the same
threads, and scores the top 10 of each with ir-measures (trec_eval underneath).

- data.py: finding and reading the shared set (queries.tsv, qrels.txt).
- metrics.py: the measures, their convention, and the paired comparison of two runs.
- runs.py: building the index and running qasearch, SQLite FTS5 and bm25s.
- __main__.py: the command line, the table and the JSON written to bench/out/relevance/.

The shared set is evaluation data only: nothing of its text is kept in the repository.
"""
