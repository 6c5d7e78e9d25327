"""Every search runs within a budget of work and time: prefixes, wildcards and fuzzy words
of one query share a number of terms, posting lists and phrases are counted, a deadline
stops the rest; a search that reaches a limit answers with what it has and says so."""

from __future__ import annotations

import itertools

from search.budget import MAX_QUERY_EXPANSIONS, SearchLimits
from search.query.expand import MAX_EXPANDED_TERMS
from search.query.parse import MAX_PHRASES
from search.request import SearchRequest


def _two_letter_prefixes(engine, count):
    reader = engine._current.searcher.reader()
    starts = sorted({t.decode()[:2] for t in reader.lexicon("symptoms")
                     if len(t) > 2 and t[:2].isalpha()})
    return starts[:count]


def test_many_prefixes_share_one_budget_of_terms(generated_engine):
    prefixes = _two_letter_prefixes(generated_engine, 60)
    assert len(prefixes) == 60
    budget = SearchLimits(seconds=None).start()
    response = generated_engine.search(SearchRequest(" ".join(f"{p}*" for p in prefixes)),
                                       budget)
    assert response.partial and "expansions" in budget.cut
    assert budget.expansions <= MAX_QUERY_EXPANSIONS
    assert response.total > 0  # the first prefixes were expanded and searched


def test_one_prefix_is_expanded_in_full_and_not_partial(generated_engine):
    budget = SearchLimits(seconds=None).start()
    response = generated_engine.search(SearchRequest("pai*"), budget)
    plain = generated_engine.search(SearchRequest("pain"))
    assert not response.partial and 0 < budget.expansions <= 4 * MAX_EXPANDED_TERMS
    assert response.total >= plain.total > 0


def test_fuzzy_on_every_word_is_bounded_but_one_fuzzy_word_still_corrects(generated_engine):
    reader = generated_engine._current.searcher.reader()
    words = [t.decode() for t in reader.lexicon("spell_symptoms")
             if len(t) >= 6 and t.isalpha()][:40]
    limits = SearchLimits(seconds=None, scanned_terms=500)
    budget = limits.start()
    text = " ".join(f"{w}~2" for w in words)[:300]
    response = generated_engine.search(SearchRequest(text), budget)
    assert response.partial and budget.scanned_terms <= 500
    one = limits.start()
    fixed = generated_engine.search(SearchRequest("feverr~"), one)
    assert not fixed.partial and fixed.total == generated_engine.search(
        SearchRequest("fever")).total > 0


def test_a_negated_prefix_past_the_budget_excludes_rather_than_shows(generated_engine):
    text = "help -wor*"
    whole = generated_engine.search(SearchRequest(text, per_page=100))
    assert not whole.partial and 0 < whole.total < generated_engine.search(
        SearchRequest("help")).total
    limits = SearchLimits(seconds=None, expansions=1)
    response = generated_engine.search(SearchRequest(text, per_page=100), limits.start())
    assert response.partial and response.total == 0  # unexpanded NOT parts exclude all


def test_phrases_past_the_cap_are_left_out_and_the_answer_is_partial(generated_engine):
    budget = SearchLimits(seconds=None).start()
    first = generated_engine.search(SearchRequest('"week ago"', per_page=100))
    pairs = ['"week ago"'] + [f'"help {w}"' for w in ("week", "month", "year", "pain",
                                                        "fever", "cough", "night", "sleep")]
    assert len(pairs) > MAX_PHRASES
    many = generated_engine.search(SearchRequest(" ".join(pairs), per_page=100), budget)
    assert many.partial and "phrases" in budget.cut
    assert {h.id for h in first.results} <= {h.id for h in many.results}


def test_posting_blocks_are_counted_and_bounded(generated_engine):
    gen = generated_engine._current
    budget = SearchLimits(seconds=None, posting_blocks=0).start()
    # Terms already in the posting cache cost nothing; a fresh matcher has none cached.
    from search.results.matching import DocMatcher

    matcher = DocMatcher(gen.searcher, gen.live)
    assert matcher.postings("symptoms", "help", budget) is None and "postings" in budget.cut
    open_budget = SearchLimits(seconds=None).start()
    ids, _ = matcher.postings("symptoms", "help", open_budget)
    assert open_budget.posting_blocks == -(-len(ids) // 128) > 0
    assert matcher.postings("symptoms", "help", budget) is not None  # now cached: free


def test_past_the_deadline_the_search_answers_with_what_it_has(generated_engine):
    ticks = itertools.count(step=10.0)  # every look at the clock is 10 s later
    budget = SearchLimits(seconds=1.0).start(clock=lambda: next(ticks))
    response = generated_engine.search(SearchRequest('"week ago" feve~ pai*'), budget)
    assert response.partial and response.total >= 0
    assert budget.position_reads == 0 and budget.expansions == 0  # nothing started late


def test_plain_words_are_never_cut_short(generated_engine):
    budget = SearchLimits(seconds=0.0).start()  # even with no time at all
    response = generated_engine.search(SearchRequest("pain fever cough"), budget)
    assert not response.partial and response.total > 0
