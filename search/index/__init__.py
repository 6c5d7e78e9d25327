"""The index on disk: the one schema and its analyzers, the generation layout, the thread store."""
