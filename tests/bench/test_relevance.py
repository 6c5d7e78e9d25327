"""The relevance benchmark's scoring and loaders, on tiny hand-made judgments.

Never the shared relevance set: its text stays out of the repository, and these tests
must run in a clone without it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench.relevance.__main__ import main
from bench.relevance.data import load_qrels, load_queries, missing_files
from bench.relevance.metrics import MEASURES, compare, evaluate, means
from bench.relevance.runs import _timed_run
from search.request import SearchRequestError

MEASURE_NAMES = tuple(MEASURES)
QRELS = {
    "q1": {"a": 3, "b": 2, "c": 0},
    "q2": {"d": 1, "e": 2},
}


def test_perfect_ranking_scores_one_everywhere() -> None:
    scored = evaluate({"q1": QRELS["q1"]}, {"q1": ["a", "b", "c"]})["q1"]
    assert scored["nDCG@10"] == pytest.approx(1.0)
    assert scored["MRR@10"] == pytest.approx(1.0)
    assert scored["R@10"] == pytest.approx(1.0)
    assert scored["P@5"] == pytest.approx(2 / 5)  # two relevant threads in five slots
    assert scored["judged@10"] == pytest.approx(1.0)


def test_grade_one_is_not_relevant_but_earns_ndcg_gain() -> None:
    scored = evaluate({"q2": QRELS["q2"]}, {"q2": ["d", "e"]})["q2"]
    assert scored["MRR@10"] == pytest.approx(0.5)  # first grade >= 2 at rank 2
    assert scored["R@10"] == pytest.approx(1.0)
    # trec_eval's nDCG: gain = grade, discount log2(rank + 1); ideal order e, d.
    dcg = 1 / math.log2(2) + 2 / math.log2(3)
    ideal = 2 / math.log2(2) + 1 / math.log2(3)
    assert scored["nDCG@10"] == pytest.approx(dcg / ideal)


def test_unjudged_threads_lower_judged_and_empty_runs_count_as_zero() -> None:
    per_query = evaluate(QRELS, {"q1": ["x", "a", "y", "b"], "q2": []})
    assert per_query["q1"]["judged@10"] == pytest.approx(0.5)
    assert per_query["q1"]["MRR@10"] == pytest.approx(0.5)
    assert per_query["q2"] == dict.fromkeys(per_query["q2"], 0.0)
    assert means(per_query)["MRR@10"] == pytest.approx(0.25)  # q2 stays in the mean


def test_only_the_top_ten_are_scored() -> None:
    ranking = [f"x{i}" for i in range(10)] + ["a", "b"]
    assert evaluate({"q1": QRELS["q1"]}, {"q1": ranking})["q1"]["R@10"] == 0.0


def test_paired_comparison_counts_and_tests() -> None:
    a = {f"q{i}": {"nDCG@10": 0.2} for i in range(8)}
    b = {f"q{i}": {"nDCG@10": 0.2 + 0.1 * (i % 4)} for i in range(8)}
    result = compare(a, b, "nDCG@10")
    assert (result.improved, result.hurt, result.queries) == (6, 0, 8)
    assert result.difference == pytest.approx(0.15)
    assert 0 < result.t_test_p < 0.05
    assert 0 < result.wilcoxon_p < 0.05
    same = compare(a, a, "nDCG@10")
    assert math.isnan(same.t_test_p) and math.isnan(same.wilcoxon_p)


def test_loaders_parse_the_shared_formats(tmp_path: Path) -> None:
    (tmp_path / "queries.tsv").write_text("V1\tfirst question\n\nT2\tsecond\twith a tab\n")
    (tmp_path / "qrels.txt").write_text("V1 0 doc_a 3\nV1 0 doc_b 0\nT2 0 doc_c 1\n")
    assert load_queries(tmp_path / "queries.tsv") == {
        "V1": "first question",
        "T2": "second\twith a tab",
    }
    assert load_qrels(tmp_path / "qrels.txt") == {
        "V1": {"doc_a": 3, "doc_b": 0},
        "T2": {"doc_c": 1},
    }
    assert missing_files(tmp_path) == ["collection.jsonl"]
    (tmp_path / "bad.txt").write_text("V1 doc_a 3\n")
    with pytest.raises(ValueError, match="bad.txt:1"):
        load_qrels(tmp_path / "bad.txt")


@pytest.mark.parametrize(("ci", "code"), [("", 0), ("true", 1)])
def test_missing_set_skips_outside_ci_and_fails_in_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    ci: str, code: int,
) -> None:  # fmt: skip
    monkeypatch.setenv("CI", ci)
    assert main(["--data", str(tmp_path / "absent"), "--out", str(tmp_path / "out")]) == code
    assert "relevance set not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_compare_reads_saved_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def save(name: str, values: list[float]) -> str:
        per_query = {f"q{i}": dict.fromkeys(MEASURE_NAMES, v) for i, v in enumerate(values)}
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"runs": {"qasearch": {"per_query": per_query}}}))
        return str(path)

    before, after = save("a", [0.1, 0.2, 0.3, 0.4]), save("b", [0.2, 0.2, 0.5, 0.3])
    assert main(["--compare", before, f"{after}:qasearch"]) == 0
    line = next(row for row in capsys.readouterr().out.splitlines() if "| nDCG@10 |" in row)
    assert line.split("|")[4].strip() == "+0.050"  # B - A
    assert line.split("|")[7:9] == [" 2 ", " 1 "]  # improved, hurt
    with pytest.raises(SystemExit, match="no run 'fts5'"):
        main(["--compare", before, f"{after}:fts5"])


def test_a_refused_request_is_an_empty_run_not_a_crash() -> None:
    def search(text: str) -> list[tuple[str, str]]:
        if text == "too long":
            raise SearchRequestError("query is too long")
        return [("a", "Title A"), ("b", "Title B")]

    result = _timed_run("fake", {"q1": "fine", "q2": "too long"}, search)
    assert result.rankings == {"q1": ["a", "b"], "q2": []}
    assert result.errors == {"q2": "query is too long"}
    assert len(result.latencies_ms) == 1  # refused requests are not timed searches
