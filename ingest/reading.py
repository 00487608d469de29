"""How this process reads untrusted files: the limits, the isolation and the external tools.

Why an object handed down instead of environment reads: the settings are read once, by
:class:`api.config.Settings` (``TRACUU_INGEST_*``, ``TRACUU_TESSERACT``, ``TRACUU_SOFFICE`` ...),
and passed to :func:`ingest.worker.ingest_untrusted`; the worker makes them the ones in force
(:func:`use`) in the process that reads the file, where the loaders look them up
(:func:`current`). Nothing under ``ingest/`` reads the environment, so two readers cannot
disagree on a default and a test sets a value by passing it, not by exporting a variable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tracuu.ingest import limits


@dataclass(frozen=True)
class Reading:
    """Everything that governs reading one file. The defaults are :class:`api.config.Settings`'s."""

    limits: limits.Limits = field(default_factory=limits.Limits)
    isolation: Literal["process", "inline"] = "process"  # "inline": read in the calling process
    tesseract: str = "tesseract"  # the Tesseract binary (OCR)
    soffice: str | None = None  # LibreOffice for .doc/.odt; None: soffice on the PATH; "": none


_current = Reading()


def current() -> Reading:
    """The reading settings in force in this process (the defaults until :func:`use`)."""
    return _current


def use(reading: Reading | None) -> None:
    """Make ``reading`` the settings in force (None: the defaults); the limits go with it."""
    global _current
    _current = reading or Reading()
    limits.use(_current.limits)
