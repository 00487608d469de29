"""Accent parity: does a question typed without diacritics get the answer its accented form gets?

Why: officials type both ways, and the issue asks accented and unaccented figures within 0.03.
Parity needs no label: for every question of a question file that carries marks, its folded form
("ke hoach chi thi 39 ai ky", as people type it: lowercase, no marks, đ -> d) is asked too, and
the two answers are compared (same ``found``; when both are found, same first citation). A
question whose note says "unaccented twin of X" is compared with X as written. Divergences are
listed with what restoration made of the folded form, to find why they differ.

    python bench/accent_parity.py --data-dir /tmp/kb [--questions FILE] [--part tune|check] [--dump /tmp/parity.json]

Also hit@1 of each side of the answerable pairs (``api.evaluation.judge`` with the question's
labels): the accented form against its unaccented one, question for question, so a gap is not
one of which questions were written plain. ``--part`` keeps one half of questions.tune
(bench/ask_split.py). No timing is asserted; the held-out file is refused.

Measured (h11-refuse, e5 KBs copied from /tmp/s18-kb and /tmp/s18-fkb, main at 529a021), hit@1 of the
answerable pairs, accented / unaccented:

| part | folded forms (same question) | labelled twins (reworded) | same answer, all pairs |
| --- | --- | --- | --- |
| tuned half | .822 / .822 (n=107) | .897 / .862 (n=29) | 157/159 |
| checked half | .733 / .733 (n=90) | .655 / .586 (n=29) | 134/139 |
| fresh tune | .831 / .831 (n=65) | 1.000 / 1.000 (n=11) | 99/101 |

The same question typed without marks gets the hit@1 its accented form gets: restoration is exact for
58-65% of the questions and where it errs the folded keyword readings carry it. The per-tag gap of
``api.evaluation`` (tuned half: accented .822, unaccented .871; checked half .733 / .600) compares
different questions (the twins are typed for some questions only, and reword them). The divergences
left were capitals: abbreviation letters were no key terms only when typed in capitals (q-f-g06-u1,
now read alike, index/abstain.py: abbreviation_like), and a proper name is seen only when capitalised
(index/query/names.py: q-f-c01-u3, "Chợ Rẫy", refused accented, answered typed plain).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracuu.ingest.vntext import fold, has_diacritics  # noqa: E402

TUNE = ROOT / "tests" / "realdocs" / "questions.tune.jsonl"
_TWIN = re.compile(r"twin of (\S+)")


def typed_plain(question: str) -> str:
    """The question as typed without marks: folded (lowercase, đ -> d), spacing kept."""
    return " ".join(fold(question).split())


def pairs_of(questions: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(id, kind, accented text, unaccented text): labelled twins first, then generated folds."""
    by_id = {q["id"]: q for q in questions}
    out = []
    for q in questions:
        twin = _TWIN.search(q.get("note") or "")
        if twin and twin.group(1).strip("(),") in by_id and not has_diacritics(q["question"]):
            out.append((q["id"], "twin", by_id[twin.group(1).strip("(),")]["question"], q["question"]))
    for q in questions:
        if has_diacritics(q["question"]):
            out.append((q["id"], "folded", q["question"], typed_plain(q["question"])))
    return out


def summary(answer: Any) -> dict[str, Any]:
    """found, first citation and intent of an answer (an ``Answer`` model or its dict)."""
    if hasattr(answer, "model_dump"):
        answer = answer.model_dump()
    cites = answer.get("citations") or []
    return {"found": bool(answer.get("found")), "first": cites[0].get("clause_id") if cites else None,
            "intent": answer.get("intent")}


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["found"] == b["found"] and (not a["found"] or a["first"] == b["first"])


def syllable_errors(accented: str, restored: str) -> list[tuple[str, str]]:
    """(expected, got) syllables where restoration differs from the accented question (lowercase)."""
    from tracuu.index.query.syllables import retone

    want = re.findall(r"\w+", accented.lower())
    got = re.findall(r"\w+", restored.lower())
    if len(want) != len(got):
        return [(accented, restored)]
    return [(w, g) for w, g in zip(want, got) if retone(w) != retone(g)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", required=True, type=Path)
    p.add_argument("--questions", type=Path, default=TUNE)
    p.add_argument("--dump", type=Path)
    p.add_argument("--no-ask", action="store_true", help="only restoration accuracy (fast)")
    p.add_argument("--part", choices=("tune", "check", "all"), default="all",
                   help="of questions.tune, the half of bench/ask_split.py (other files: all)")
    args = p.parse_args(argv)
    if "heldout" in args.questions.name:
        p.error("the held-out questions are never read here")
    from tracuu.api.config import Settings
    from tracuu.api.evaluation import judge, label_doc_ids, load_dev_set
    from tracuu.api.service import Tracuu

    from bench.ask_split import part_of

    svc = Tracuu(Settings.from_env(data_dir=args.data_dir))
    questions = load_dev_set(args.questions)
    if args.part != "all" and args.questions.name == TUNE.name:
        questions = [q for q in questions if part_of(q) == args.part]
    by_id = {q["id"]: q for q in questions}
    doc_ids = label_doc_ids(svc)
    pairs = pairs_of(questions)
    t0 = time.perf_counter()
    cache: dict[str, dict[str, Any]] = {}
    hit1: dict[tuple[str, str], bool] = {}

    def ask(text: str, q: dict[str, Any] | None = None) -> dict[str, Any]:
        if text not in cache:
            answer = svc.ask(text, 5)
            cache[text] = summary(answer)
            cache[text]["answer"] = answer
        if q is not None and q.get("answerable") and (q["id"], text) not in hit1:
            hit1[(q["id"], text)] = judge(q, cache[text]["answer"], doc_ids).rank == 1
        return cache[text]

    rows = []
    n_syll = n_err = 0
    for qid, kind, acc, plain in pairs:
        restored = svc.understand(plain).text
        errs = syllable_errors(acc, restored)
        n_syll += len(re.findall(r"\w+", acc))
        n_err += len(errs)
        row = {"id": qid, "kind": kind, "accented": acc, "plain": plain, "restored": restored, "errors": errs}
        if not args.no_ask:
            q = by_id.get(qid)
            a, b = ask(acc, q), ask(plain, q)
            row.update(acc={k: v for k, v in a.items() if k != "answer"},
                       plain_answer={k: v for k, v in b.items() if k != "answer"}, same=same(a, b))
            if (qid, acc) in hit1 and (qid, plain) in hit1:
                row.update(hit_acc=hit1[(qid, acc)], hit_plain=hit1[(qid, plain)])
        rows.append(row)
    print(f"restoration: {n_err} of {n_syll} syllables differ from the accented question "
          f"({1 - n_err / max(n_syll, 1):.3f} right); {sum(1 for r in rows if not r['errors'])}/{len(rows)} "
          "questions restored exactly")
    if not args.no_ask:
        for kind in ("twin", "folded", None):
            sel = [r for r in rows if kind is None or r["kind"] == kind]
            if not sel:
                continue
            ok = sum(r["same"] for r in sel)
            found_ok = sum(r["acc"]["found"] == r["plain_answer"]["found"] for r in sel)
            print(f"parity {kind or 'all':7s} {ok}/{len(sel)} = {ok / len(sel):.3f} same answer; "
                  f"{found_ok}/{len(sel)} same found")
            scored = [r for r in sel if "hit_acc" in r]
            if scored:
                print(f"hit@1   {kind or 'all':7s} accented {sum(r['hit_acc'] for r in scored) / len(scored):.3f}, "
                      f"unaccented {sum(r['hit_plain'] for r in scored) / len(scored):.3f} (n={len(scored)} answerable)")
        exact = [r for r in rows if not r["errors"]]
        if exact:
            print(f"parity where restoration was exact: {sum(r['same'] for r in exact)}/{len(exact)}")
    print(f"({time.perf_counter() - t0:.0f} s)")
    if args.dump:
        args.dump.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
