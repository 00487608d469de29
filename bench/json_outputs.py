"""Every JSON the CLI (``--json``) and the HTTP API emit, on one small knowledge base, and a diff of two runs.

Why: issue 12 moves answers, ingest reports and links from dicts to the shapes of ingest/shapes.py
and promises that what the front ends emit stays byte for byte the same (field names, order, nulls
against absent fields, dates). A capture taken before the change, compared with one taken after,
says so for every command and endpoint instead of a handful of spot checks in tests.

    python bench/json_outputs.py --out /tmp/before.json
    python bench/json_outputs.py --out /tmp/after.json
    python bench/json_outputs.py --compare /tmp/before.json /tmp/after.json

The knowledge base (built in a temporary folder, hash embedder, the synthetic chain's manifest,
tests/fixtures/chain): the synthetic national plan (rendered to .docx as tests/test_links.py does),
the synthetic Hòa Phong decision and công văn (PDF), the bundled An Giang plan, a synthetic task
file, an empty file (a failed ingest) and a file of an unsupported type (skipped). Then: every CLI
command with ``--json`` (ingest, ingest again, search, ask, agencies, tasks, documents, show, eval,
reindex) and every HTTP endpoint (healthz, search, ask, agencies, an agency's tasks, tasks,
documents, a document, a clause, related, confirm/reject a link, upload good and bad, delete), and
the staff pages that render the same objects (their HTML). ``/openapi.json`` is captured apart
(``openapi``): adding shapes changes it on purpose, so ``--compare`` lists its difference without
counting it.

What varies from run to run is normalised: timings (kept as keys, values 0), the temporary folder
(``<tmp>``), decision times, and the per-response CSP nonce of an HTML page. Comparison is of the
exact JSON text (key order included), so a reordered field counts.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

FIXTURES = ROOT / "tests" / "fixtures"
CHAIN = FIXTURES / "chain"
KEY = "khoa-thu"

QUESTIONS = [
    "Ai báo cáo hằng năm?",
    "Tỷ lệ nợ quá hạn phải dưới bao nhiêu?",
    "Cơ quan nào chủ trì rà soát hộ nghèo?",
    "Thời hạn báo cáo sơ kết là khi nào?",
    "Kế hoạch 9999 ban hành ngày nào?",
    "Chỉ thị 39 ban hành ngày nào?",
    "Quyết định 1234 do ai ký?",
    "Công văn 5555/QĐ-XYZ nói gì?",
    "Văn bản này do ai ký?",
    "Kế hoạch này gửi những ai?",
    "Khoản 1 Mục II nói gì?",
    "Nhiệm vụ của Sở Tài chính",
    "Nhiệm vụ của Ngân hàng Chính sách xã hội",
    "Những nhiệm vụ nào có thời hạn ngày 31/12/2025?",
    "Ai chịu trách nhiệm tuyên truyền?",
    "Thuế xuất khẩu gạo là bao nhiêu?",
    "ke hoach thuc hien chi thi 39 do ai chu tri",
]
SEARCHES = ["tín dụng chính sách", "nợ quá hạn", "bao cao dinh ky", "Sở Tài chính chủ trì"]


def _render_national(out: Path) -> Path:
    """The synthetic national plan of the chain, rendered as tests/test_links.py renders it."""
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(FIXTURES))
    blocks = make_fixtures.parse_md((CHAIN / "bo-khtd-9999-kh.md").read_text(encoding="utf-8"))
    meta = {"title": "Kế hoạch số 9999/KH-BKHTD (văn bản mẫu tự soạn - không phải văn bản thật)",
            "date": dt.datetime(2025, 8, 20, 8, 0, 0, tzinfo=dt.timezone.utc), "header_left_mm": 72.0}
    out.write_bytes(make_fixtures.build_docx(blocks, meta))
    return out


def _inputs(tmp: Path) -> Path:
    """A folder of the files to ingest: good ones, one that fails, one that is skipped."""
    folder = tmp / "in"
    folder.mkdir()
    _render_national(folder / "a-bo-khtd-9999-kh.docx")
    shutil.copy(FIXTURES / "hoa-phong-qd-ke-hoach.pdf", folder / "b-hoa-phong-qd-ke-hoach.pdf")
    shutil.copy(FIXTURES / "hoa-phong-cong-van.pdf", folder / "c-hoa-phong-cong-van.pdf")
    shutil.copy(ROOT / "corpus" / "ke-hoach-ubnd-tinh-an-giang-chi-thi-39.txt", folder / "d-an-giang.txt")
    shutil.copy(FIXTURES / "synthetic_tasks" / "kh-phoi-hop.txt", folder / "e-kh-phoi-hop.txt")
    (folder / "f-rong.txt").write_bytes(b"")
    (folder / "g-bang.xyz").write_bytes(b"not a document")
    return folder


def _normalise(data: Any, tmp: str) -> Any:
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if k == "timings" and isinstance(v, dict):
                out[k] = {t: 0 for t in v}
            elif k == "decided_at" and v:
                out[k] = "<time>"
            else:
                out[k] = _normalise(v, tmp)
        return out
    if isinstance(data, list):
        return [_normalise(x, tmp) for x in data]
    if isinstance(data, str):
        return data.replace(tmp, "<tmp>")
    return data


def _cli(argv: list[str]) -> dict[str, Any]:
    """One CLI run in this process: its exit code and its stdout as JSON (text if not JSON)."""
    from tracuu.api.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    text = out.getvalue()
    try:
        body: Any = json.loads(text)
    except ValueError:
        body = text
    return {"rc": rc, "stdout": body}


def _http(client, method: str, url: str, **kw: Any) -> dict[str, Any]:
    r = client.request(method, url, **kw)
    ctype = r.headers.get("content-type", "")
    if not r.content:
        body: Any = None
    elif "json" in ctype:
        body = r.json()
    else:
        body = re.sub(r'nonce-[A-Za-z0-9+/=_-]+|nonce="[^"]*"', "nonce", r.text)
    return {"status": r.status_code, "body": body}


def capture() -> dict[str, Any]:
    from fastapi.testclient import TestClient

    tmp = Path(tempfile.mkdtemp(prefix="json-outputs-"))
    try:
        os.environ.update({"TRACUU_EMBED_MODEL": "hash", "TRACUU_CORPUS_DIR": str(CHAIN), "TRACUU_CHROMA_URL": "",
                           "TRACUU_API_KEY": KEY})
        os.environ.pop("TRACUU_DATABASE_URL", None)
        from tracuu.api.config import get_settings

        get_settings.cache_clear()
        data = tmp / "data"
        folder = _inputs(tmp)
        base = ["--data-dir", str(data)]
        out: dict[str, Any] = {}
        out["cli ingest"] = _cli([*base, "ingest", "-q", "--json", str(folder)])
        out["cli ingest again"] = _cli([*base, "ingest", "-q", "--json", str(folder / "d-an-giang.txt")])
        for q in SEARCHES:
            out[f"cli search {q}"] = _cli([*base, "search", q, "--json"])
        out["cli search filtered"] = _cli([*base, "search", "báo cáo", "--json", "--doc", "kh-an-giang-ct-39", "-k", "3"])
        # questions in a clause's own words: the hash embedder is lexical, so these are answered
        # by retrieval (the owner / deadline / close-call path), not abstained on
        for q in SEARCHES:
            for hit in _cli([*base, "search", q, "--json", "-k", "2"])["stdout"]["results"]:
                words = " ".join(hit["text"].split()[:14])
                QUESTIONS.extend([f"Ai chủ trì {words}?", f"Thời hạn {words} là khi nào?"])
        for q in QUESTIONS:
            out[f"cli ask {q}"] = _cli([*base, "ask", q, "--json"])
        out["cli ask agency filter"] = _cli([*base, "ask", "Ai báo cáo?", "--json", "--agency", "Sở Tài chính"])
        out["cli agencies"] = _cli([*base, "agencies", "--json"])
        out["cli tasks"] = _cli([*base, "tasks", "--json"])
        out["cli tasks agency role"] = _cli([*base, "tasks", "--json", "--agency", "Sở Tài chính", "--role", "chủ trì"])
        out["cli documents"] = _cli([*base, "documents", "--json"])
        docs = out["cli documents"]["stdout"]
        ingested = [d["doc_id"] for d in docs if d["status"] == "ingested"]
        clause_ids: list[str] = []
        for doc_id in ingested:
            hits = _cli([*base, "search", "nhiệm vụ", "--json", "--doc", doc_id, "-k", "3"])["stdout"]["results"]
            clause_ids += [h["clause_id"] for h in hits]
        for cid in clause_ids[:6]:
            out[f"cli show {cid}"] = _cli([*base, "show", cid, "--json"])
        evalfile = tmp / "eval.jsonl"
        evalfile.write_text("".join((ROOT / "tests" / "eval" / "dev_set.jsonl").read_text(encoding="utf-8").splitlines(True)[:12]),
                            encoding="utf-8")
        out["cli eval"] = _cli([*base, "eval", str(evalfile), "--json"])

        from tracuu.api.config import Settings
        from tracuu.api.http import create_app
        from tracuu.api.service import Tracuu

        get_settings.cache_clear()
        svc = Tracuu(Settings.from_env(data_dir=data, corpus_dir=CHAIN, embed_model="hash", chroma_url=""))
        client = TestClient(create_app(svc))
        auth = {"X-API-Key": KEY}
        out["http healthz"] = _http(client, "GET", "/healthz")
        for q in SEARCHES:
            out[f"http search {q}"] = _http(client, "GET", "/api/search", params={"q": q, "k": 5})
        for q in QUESTIONS:
            out[f"http ask {q}"] = _http(client, "POST", "/api/ask", json={"question": q})
        out["http agencies"] = _http(client, "GET", "/api/agencies")
        agency_ids = [a["agency_id"] for a in out["http agencies"]["body"]][:3]
        for a in agency_ids:
            out[f"http agency tasks {a}"] = _http(client, "GET", f"/api/agencies/{a}/tasks")
        out["http tasks"] = _http(client, "GET", "/api/tasks")
        out["http tasks filtered"] = _http(client, "GET", "/api/tasks", params={"agency": "Sở Tài chính", "role": "lead"})
        out["http documents"] = _http(client, "GET", "/api/documents")
        for d in out["http documents"]["body"]:
            out[f"http document {d['doc_id']}"] = _http(client, "GET", f"/api/documents/{d['doc_id']}")
        related_ids = clause_ids[:6] + ["77-kh-ubnd-lam-son-2025:I.1", "kh-9999-bkhtd:II.2.b",
                                        "qd-1234-hoa-phong:KH.II.1.h", "2087-stc-ns-hoa-phong-2025:1.b"]
        for cid in clause_ids[:6]:
            out[f"http clause {cid}"] = _http(client, "GET", f"/api/clauses/{cid}")
        for cid in related_ids:
            out[f"http related {cid}"] = _http(client, "GET", f"/api/clauses/{cid}/related")
        lower = next((k for k in out if k.startswith("http related") and out[k]["status"] == 200
                      and out[k]["body"].get("implements")), None)
        if lower:
            links = out[lower]["body"]["implements"]
            out["http link reject"] = _http(client, "POST", f"/api/links/{links[0]['link_id']}/reject", headers=auth)
            if len(links) > 1:
                out["http link confirm"] = _http(client, "POST", f"/api/links/{links[1]['link_id']}/confirm", headers=auth)
            out["http related after decisions"] = _http(client, "GET", f"/api/clauses/{links[0]['from']}/related")
        out["http link unknown"] = _http(client, "POST", "/api/links/0000000000000000/confirm", headers=auth)
        out["http clause unknown"] = _http(client, "GET", "/api/clauses/khong-co:I.1")
        text = (FIXTURES / "synthetic_tasks" / "tb-giao-nhom.txt").read_bytes()
        out["http upload"] = _http(client, "POST", "/api/documents", files={"file": ("tb giao nhom.txt", text, "text/plain")},
                                   headers=auth)
        out["http upload again"] = _http(client, "POST", "/api/documents",
                                         files={"file": ("tb giao nhom.txt", text, "text/plain")}, headers=auth)
        out["http upload empty"] = _http(client, "POST", "/api/documents", files={"file": ("rong.txt", b"", "text/plain")},
                                         headers=auth)
        out["http upload bad"] = _http(client, "POST", "/api/documents",
                                       files={"file": ("hong.pdf", b"%PDF-1.4 not really", "application/pdf")}, headers=auth)
        uploaded = out["http upload"]["body"].get("doc_id")
        for page in ["/", "/?q=" + QUESTIONS[0], "/?q=" + QUESTIONS[11], "/?q=" + QUESTIONS[6], "/documents",
                     "/agencies", "/deadlines", f"/related/{related_ids[6]}"]:
            out[f"page {page}"] = _http(client, "GET", page)
        out["page upload form"] = _http(client, "POST", "/upload", data={"api_key": KEY},
                                        files={"file": ("qc.txt", (FIXTURES / "synthetic_tasks" / "qc-quy-che.txt").read_bytes(),
                                                        "text/plain")})
        out["page upload empty"] = _http(client, "POST", "/upload", data={"api_key": KEY},
                                         files={"file": ("rong.txt", b"", "text/plain")})
        for page in [f"/documents/{ingested[0]}", f"/clauses/{clause_ids[0]}", f"/agencies/{agency_ids[0]}",
                     f"/related/{related_ids[8]}"]:
            out[f"page {page}"] = _http(client, "GET", page)
        if uploaded:
            out["http delete"] = _http(client, "DELETE", f"/api/documents/{uploaded}", headers=auth)
        out["cli reindex"] = _cli([*base, "reindex", "--json"])
        out["cli documents after"] = _cli([*base, "documents", "--json"])
        openapi = client.get("/openapi.json").json()
        return {"outputs": _normalise(out, str(tmp)), "openapi": openapi}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def compare(a_path: Path, b_path: Path) -> int:
    a = json.loads(a_path.read_text(encoding="utf-8"))
    b = json.loads(b_path.read_text(encoding="utf-8"))
    diffs = 0
    for key in sorted(set(a["outputs"]) | set(b["outputs"])):
        x, y = a["outputs"].get(key), b["outputs"].get(key)
        if json.dumps(x, ensure_ascii=False) != json.dumps(y, ensure_ascii=False):
            diffs += 1
            print(f"DIFF {key}")
            xs = json.dumps(x, ensure_ascii=False, indent=1).splitlines()
            ys = json.dumps(y, ensure_ascii=False, indent=1).splitlines()
            import difflib

            for line in list(difflib.unified_diff(xs, ys, lineterm="", n=1))[:40]:
                print("   ", line)
    schemas_a = set(a["openapi"].get("components", {}).get("schemas", {}))
    schemas_b = set(b["openapi"].get("components", {}).get("schemas", {}))
    print(f"openapi (not counted): schemas added {sorted(schemas_b - schemas_a)}, removed {sorted(schemas_a - schemas_b)}")
    print(f"{len(set(a['outputs']) | set(b['outputs']))} outputs compared, {diffs} differ")
    return 1 if diffs else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path)
    p.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = p.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not args.out:
        p.error("--out or --compare")
    data = capture()
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    n = len(data["outputs"])
    print(f"{n} outputs written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
