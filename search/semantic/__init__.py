"""The vector side of semantic search: all-MiniLM-L6-v2 sentence vectors in numpy."""

from search.semantic.encoder import SentenceEncoder
from search.semantic.model_files import MODEL_SHA256, EncoderUnavailable

__all__ = ["MODEL_SHA256", "EncoderUnavailable", "SentenceEncoder"]
