"""The corpus manifest: which documents the knowledge base knows of, ingested or only referenced.

Why a manifest: two of the three documents of the mission are not available as files. They are
still cited by the third, so the knowledge base must know their number, date, issuer and title,
say plainly that their text is not ingested, and adopt the entry the moment a user supplies
the file (matched by number).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tracuu.ingest.vntext import fold


@dataclass(frozen=True)
class ManifestEntry:
    doc_id: str
    doc_type: str
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    citation_name: str | None = None
    level: str | None = None
    implements: tuple[str, ...] = ()
    file: str | None = None  # relative to the manifest's folder


@dataclass
class Manifest:
    folder: Path
    entries: list[ManifestEntry] = field(default_factory=list)

    def by_id(self, doc_id: str) -> ManifestEntry | None:
        return next((e for e in self.entries if e.doc_id == doc_id), None)

    def by_number(self, number: str | None) -> ManifestEntry | None:
        if not number:
            return None
        key = number_key(number)
        return next((e for e in self.entries if e.number and number_key(e.number) == key), None)

    def by_file(self, path: Path) -> ManifestEntry | None:
        for e in self.entries:
            if e.file and (self.folder / e.file).resolve() == path.resolve():
                return e
        return None

    def number_index(self) -> dict[str, str]:
        """number key -> doc_id, for resolving references."""
        return {number_key(e.number): e.doc_id for e in self.entries if e.number}

    def files(self) -> list[Path]:
        return [self.folder / e.file for e in self.entries if e.file]


def number_key(number: str) -> str:
    """Matching key of a document symbol: "1560/QĐ-TTg", "1560/QD-TTG" and "1560 / QĐ-TTg" meet."""
    return "".join(fold(number).split())


def load_manifest(path: Path) -> Manifest:
    """Read ``manifest.toml``; an absent file is an empty manifest (a deployment may have none)."""
    if not path.exists():
        return Manifest(folder=path.parent)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = []
    for raw in data.get("document", []):
        entries.append(
            ManifestEntry(
                doc_id=raw["doc_id"],
                doc_type=raw["type"],
                number=raw.get("number") or None,
                date=raw.get("date") or None,
                issuer=raw.get("issuer") or None,
                title=raw.get("title") or None,
                citation_name=raw.get("citation_name") or None,
                level=raw.get("level") or None,
                implements=tuple(raw.get("implements", ())),
                file=raw.get("file") or None,
            )
        )
    return Manifest(folder=path.parent, entries=entries)
