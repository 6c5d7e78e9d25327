"""The measures, computed by ir-measures (pytrec_eval, i.e. trec_eval), and paired tests.

Convention, the one that reproduces the shared README's reference figures for qasearch:
- nDCG@10: trec_eval's ndcg_cut_10 on the grades as given (gain = grade 0-3), so a
  "related" answer (grade 1) earns a little gain and sits in the ideal ranking too.
  Counting only grades >= 2 (binary or 2/3 gains) gives about 0.504 for main, not 0.515.
- P@5, MRR@10 (reciprocal rank of the first relevant hit in the top 10), R@10: relevant
  means grade >= 2.
- judged@10: the share of the returned top 10 (fewer if fewer came back) that carry any
  judgment, grade 0 included.
A query that returned nothing (or whose request was refused) scores 0 on every measure:
trec_eval alone would leave it out of the mean and flatter the run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import ir_measures
from ir_measures import RR, Judged, P, R, nDCG
from scipy import stats

from bench.relevance.data import RELEVANT_GRADE

DEPTH = 10  # results taken per query
# Column name -> ir-measures measure.
MEASURES = {
    "nDCG@10": nDCG @ DEPTH,
    "P@5": P(rel=RELEVANT_GRADE) @ 5,
    "MRR@10": RR(rel=RELEVANT_GRADE) @ DEPTH,
    "R@10": R(rel=RELEVANT_GRADE) @ DEPTH,
    "judged@10": Judged @ DEPTH,
}

Rankings = dict[str, list[str]]  # qid -> doc ids, best first
PerQuery = dict[str, dict[str, float]]  # qid -> measure name -> value


def evaluate(qrels: dict[str, dict[str, int]], rankings: Rankings) -> PerQuery:
    """Every measure for every judged query; queries without judgments are not scored."""
    # trec_eval orders a run by score and breaks ties by doc id; scores from the rank keep
    # exactly the order the engine returned (its own scores do tie, e.g. duplicate texts).
    run = {
        qid: {doc: float(len(docs) - rank) for rank, doc in enumerate(docs[:DEPTH])}
        for qid, docs in rankings.items()
        if qid in qrels and docs
    }
    per_query = {qid: dict.fromkeys(MEASURES, 0.0) for qid in qrels}
    names = {measure: name for name, measure in MEASURES.items()}
    for metric in ir_measures.iter_calc(list(MEASURES.values()), qrels, run):
        per_query[metric.query_id][names[metric.measure]] = float(metric.value)
    return per_query


def means(per_query: PerQuery) -> dict[str, float]:
    count = max(len(per_query), 1)
    return {name: sum(q[name] for q in per_query.values()) / count for name in MEASURES}


@dataclass(frozen=True)
class Comparison:
    measure: str
    queries: int
    mean_a: float
    mean_b: float
    improved: int  # queries where B beats A
    hurt: int
    t_test_p: float  # scipy ttest_rel, two-sided; nan when every difference is zero
    wilcoxon_p: float  # scipy wilcoxon signed-rank, zero differences dropped; nan likewise

    @property
    def difference(self) -> float:
        return self.mean_b - self.mean_a


def compare(a: PerQuery, b: PerQuery, measure: str) -> Comparison:
    """B against A on one measure, query by query, over the queries both runs scored."""
    common = sorted(a.keys() & b.keys())
    xs = [a[qid][measure] for qid in common]
    ys = [b[qid][measure] for qid in common]
    differences = [y - x for x, y in zip(xs, ys, strict=True)]
    nonzero = any(abs(d) > 1e-12 for d in differences)
    t_p = wilcoxon_p = math.nan
    # Both tests are undefined (scipy warns or raises) when the runs never differ.
    if nonzero and len(common) > 1:
        t_p = float(stats.ttest_rel(ys, xs).pvalue)
        wilcoxon_p = float(stats.wilcoxon(ys, xs, zero_method="wilcox").pvalue)
    count = max(len(common), 1)
    return Comparison(
        measure=measure,
        queries=len(common),
        mean_a=sum(xs) / count,
        mean_b=sum(ys) / count,
        improved=sum(d > 1e-12 for d in differences),
        hurt=sum(d < -1e-12 for d in differences),
        t_test_p=t_p,
        wilcoxon_p=wilcoxon_p,
    )
