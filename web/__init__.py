"""Flask: request parameters -> search API -> templates / JSON."""
