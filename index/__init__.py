"""tracuu: index."""
