"""tracuu: ingest."""
