"""Where ``../shared`` is: ``TRACUU_SHARED_DIR`` when set (as the tests read it), else beside the checkout.

Why: a benchmark run from a git worktree elsewhere (``/work/wt/NAME``) has no ``shared`` beside it and
read zero documents without saying why."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRACUU_SHARED_DIR") or ROOT.parent / "shared")
