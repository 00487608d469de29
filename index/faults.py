"""Named points in the write path where a test can inject a crash, an error or a pause.

Why: "a crash midway leaves the previous version intact" is only a claim until a test kills a
process at each step of :meth:`index.clause_index.ClauseIndex.add_document` and shows it. The
write path calls :func:`hit` with a stage name; in production it does nothing (one function
call per stage, per document). A test replaces it, in its own process or in a child it spawns:

    from tracuu.index import faults as index_faults
    index_faults.hit = lambda stage: time.sleep(60) if stage == "chroma_written" else None

Callers must look the function up on the module at call time (``faults.hit(...)``, never
``from index.faults import hit``) so that the replacement takes effect.

Stages, in the order a successful ``add_document`` passes them:

* ``embedded``        - every passage has a vector (cached); nothing visible written yet
* ``chroma_written``  - the new vectors are in Chroma; the record still says the old version
* ``source_written``  - the new source text is on disk under its own name; the old JSON still rules
* ``stored``          - the JSON is replaced: the new version is the record
* ``installed``       - the in-memory maps and the keyword index show the new version
"""

from __future__ import annotations

STAGES = ("embedded", "chroma_written", "source_written", "stored", "installed")


def hit(stage: str) -> None:  # noqa: ARG001 - replaced by tests
    """Called at each stage of a write; does nothing unless a test replaced it."""
    return None
