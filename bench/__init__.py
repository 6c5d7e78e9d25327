"""Figures, never assertions: build speed, query latency and web throughput of qasearch,
each measured beside SQLite FTS5 on the same sample archive in the same run.

Run `python -m bench --help` from the repository root; bench/README.md explains the output.
"""
