"""tracuu: api."""
