"""Finding and reading the shared relevance set: questions, graded judgments, collection."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# Beside the checkout, like ../shared/fixtures for the tests: never inside the repository.
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "relevance"
FILES = ("queries.tsv", "qrels.txt", "collection.jsonl")
RELEVANT_GRADE = 2  # the set's README: grade >= 2 (correct or excellent) is relevant


@dataclass(frozen=True)
class RelevanceSet:
    queries: dict[str, str]  # qid -> question text, in file order
    qrels: dict[str, dict[str, int]]  # qid -> docid -> grade
    collection: Path


def missing_files(data_dir: Path) -> list[str]:
    """The set's files that `data_dir` lacks (all of them when it does not exist)."""
    return [name for name in FILES if not (data_dir / name).is_file()]


def load_queries(path: Path) -> dict[str, str]:
    """`qid<TAB>text` lines; blank lines skipped, a line without a tab is an error."""
    queries: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        qid, tab, text = line.partition("\t")
        if not tab or not qid.strip():
            raise ValueError(f"{path}:{number}: expected qid<TAB>text")
        queries[qid.strip()] = text.strip()
    return queries


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """TREC qrels, `qid iteration docid grade` separated by white space."""
    qrels: dict[str, dict[str, int]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 4 or not fields[3].lstrip("-").isdigit():
            raise ValueError(f"{path}:{number}: expected 'qid 0 docid grade'")
        qid, _, docid, grade = fields
        qrels.setdefault(qid, {})[docid] = int(grade)
    return qrels


def load_set(data_dir: Path) -> RelevanceSet:
    return RelevanceSet(
        queries=load_queries(data_dir / "queries.tsv"),
        qrels=load_qrels(data_dir / "qrels.txt"),
        collection=data_dir / "collection.jsonl",
    )


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks (the collection is ~30 MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
