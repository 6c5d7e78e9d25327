"""Archive pages and JSON Lines -> Thread records -> index generations."""
