"""The deterministic sample archive generator: conditions, phrases, threads, pages."""
