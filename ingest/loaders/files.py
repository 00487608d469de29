"""Reading a source file's bytes, with the same bilingual error for every loader."""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.errors import IngestError


def read_source_bytes(path: Path) -> bytes:
    """The file's bytes; a missing or unreadable file is an IngestError, not an OSError."""
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise IngestError(
            f"Không đọc được tệp '{path.name}': {err.strerror or err}",
            f"Cannot read file '{path.name}': {err.strerror or err}",
            code="not_found" if isinstance(err, FileNotFoundError) else "bad_input",
        ) from None
