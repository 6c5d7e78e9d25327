"""From a query to what a user sees: the match mask, BM25F ranking, disjunctive facets, snippets."""
