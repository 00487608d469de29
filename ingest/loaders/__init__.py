"""tracuu: ingest/loaders."""
