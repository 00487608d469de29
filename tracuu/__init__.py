"""tracuu: the knowledge base's packages, ``tracuu.ingest``, ``tracuu.index`` and ``tracuu.api``.

Why this shim: the project keeps its folders ``ingest/``, ``index/`` and ``api/`` at the top of the
repository (the layout asks for it), while an installed wheel must not claim top-level packages with
names that common. The wheel maps the folders under ``tracuu`` (pyproject's package-dir); in a
source checkout this file lets ``tracuu.ingest`` resolve to ``../ingest`` as well, so the tests and
``python -m tracuu.api.cli`` run from the checkout without installing it.
"""

from __future__ import annotations

from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent
if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "ingest" / "__init__.py").is_file():
    __path__.append(str(_CHECKOUT))  # type: ignore[name-defined]  # noqa: F821
