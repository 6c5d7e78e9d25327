"""Read replicas: copying a generation from the primary's index to another host's, verified
against its manifest, then switched to with the reindex's own atomic CURRENT rename."""
