"""Every citation's text is exactly in the source: walk the whole index and check each span."""

from __future__ import annotations

from tracuu.ingest.reflow import clause_matches_source


def test_every_clause_matches_its_source_span(kb_all):
    store = kb_all.store()
    checked = 0
    for doc_id in store.list_ids():
        source = store.source_text(doc_id)
        for clause in store.get(doc_id).clauses:
            assert clause_matches_source(source, clause), clause.clause_id
            assert clause.exact, clause.clause_id
            checked += 1
    assert checked > 60


def test_no_clause_keeps_a_hard_line_break(kb):
    for clause in kb.store().get("kh-an-giang-ct-39").clauses:
        if clause.kind in ("recipients", "signature"):
            continue
        assert "\n" not in clause.text, clause.path
        assert "  " not in clause.text, clause.path
