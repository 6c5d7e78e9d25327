"""Query understanding: what people type -> a bounded Whoosh query; synonyms; did-you-mean."""
