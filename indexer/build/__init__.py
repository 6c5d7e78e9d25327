"""Writing the index: Thread -> document, full and incremental reindex, the lock, generations."""
