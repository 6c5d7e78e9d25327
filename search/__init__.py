"""The engine: schema and analyzers, queries, ranking, facets, snippets."""
