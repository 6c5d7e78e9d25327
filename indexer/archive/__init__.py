"""Reading the archive: pages, JSON Lines and folders -> Thread records, and back to pages."""
