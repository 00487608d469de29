"""The ``tracuu`` command line: ingest, search, documents, show, serve.

Why argparse: the CLI is thin (it parses arguments, calls :mod:`api.service`, prints), and the
standard library keeps start-up fast for ``tracuu search``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from api.config import Settings
from api.errors import ApiError
from ingest.errors import BilingualError


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _emit(args: argparse.Namespace, data: Any, lines: Callable[[Any], Iterable[str]]) -> int:
    """Print ``data`` as JSON with --json, else as the human lines; every read command ends here."""
    if args.json:
        _print_json(data)
    else:
        for line in lines(data):
            print(line)
    return 0


def _service(args: argparse.Namespace):
    from api.service import Tracuu

    return Tracuu(Settings.from_env(data_dir=args.data_dir, embed_model=args.model, chroma_url=args.chroma_url))


def cmd_ingest(args: argparse.Namespace) -> int:
    svc = _service(args)
    reports = svc.ingest([Path(p) for p in args.paths] if args.paths else None)
    if args.json:
        _print_json(reports)
    else:
        for r in reports:
            print(format_ingest_report(r))
    return 0 if all(r["status"] == "ok" for r in reports) else 1


def format_ingest_report(r: dict[str, Any]) -> str:
    """One block per file, in Vietnamese with the English word where it helps."""
    if r["status"] != "ok":
        msgs = "; ".join(f"{e['message_vi']} / {e['message_en']}" for e in r["errors"])
        return f"LỖI (error) {r['path']}: {msgs}"
    state = "không đổi (unchanged)" if r["unchanged"] else f"nhúng mới {r['embedded_new']}, dùng lại {r['reused']}"
    if r.get("replaced"):
        state += "; thay thế bản trước (replaced)"
        if r.get("replaced_id"):
            state += f" {r['replaced_id']}"
    cov = r.get("coverage")
    lines = [
        f"OK {r['path']} -> {r['doc_id']}: {r['clauses']} điều khoản (clauses), {r['tables']} bảng (tables), "
        f"{r['pages']} trang (pages); {state}"
        + (f"; độ phủ (coverage) {cov}%" if cov is not None else "")
    ]
    if r.get("unverified"):
        lines.append(
            f"  chưa đối chiếu được (unverified, not quoted as exact): {', '.join(r['unverified'][:10])}"
        )
    lines += [f"  cảnh báo (warning): {w}" for w in r.get("warnings", [])]
    return "\n".join(lines)


def cmd_search(args: argparse.Namespace) -> int:
    svc = _service(args)
    result = svc.search(
        args.query, k=args.k, doc_ids=args.doc or None, doc_types=args.doc_type or None, agency=args.agency
    )
    if args.json:
        _print_json(result)
        return 0
    if not result["results"]:
        print("Không tìm thấy điều khoản nào. (No matching clause.)")
    for i, hit in enumerate(result["results"], 1):
        print(f"[{i}] {hit['citation']} — trang {hit['page']} (score {hit['score']:.3f})")
        print(f"    {hit['text']}")
        print(f"    id: {hit['clause_id']}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    svc = _service(args)
    result = svc.ask(args.question, k=args.k, doc_ids=args.doc or None, doc_types=args.doc_type or None, agency=args.agency)

    def lines(r: dict) -> Iterable[str]:
        yield r["answer"]
        for i, hit in enumerate(r["citations"], 1):
            yield f"  [{i}] {hit['citation']} — trang {hit['page']} (id: {hit['clause_id']})"

    return _emit(args, result, lines)


def cmd_agencies(args: argparse.Namespace) -> int:
    def lines(rows: list) -> Iterable[str]:
        for r in rows:
            c = r["counts"]
            yield (f"{r['agency_id']}: {r['agency']} — chủ trì {c['lead']}, phối hợp {c['coordinator']}, "
                   f"được tham mưu {c['advised']}, nhận báo cáo {c['reports_to'] + c['via']}")

    return _emit(args, _service(args).agencies(), lines)


def cmd_tasks(args: argparse.Namespace) -> int:
    def lines(tasks: list) -> Iterable[str]:
        for t in tasks:
            lead = ", ".join(a["as_written"] for a in t["lead"])
            coord = ", ".join(a["as_written"] for a in t["coordinators"])
            deadline = t["deadline"]["text"] if t["deadline"] else "không nêu"
            yield f"- {t['citation']}\n  chủ trì: {lead}" + (f"; phối hợp: {coord}" if coord else "") + f"; thời hạn: {deadline}"
            yield f"  {t['text']}"

    return _emit(args, _service(args).tasks(agency=args.agency, doc=args.doc, role=args.role), lines)


def cmd_eval(args: argparse.Namespace) -> int:
    from api.evaluation import evaluate, format_report, load_dev_set

    report = evaluate(_service(args), load_dev_set(Path(args.file)), k=args.k)
    if args.json:
        _print_json(report.to_dict())
        return 0
    print(format_report(report))
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    def lines(docs: list) -> Iterable[str]:
        for d in docs:
            ingested = d["status"] == "ingested"
            status = "đã nạp (ingested)" if ingested else "được dẫn chiếu, chưa nạp văn bản (referenced, not ingested)"
            yield f"{d['doc_id']}: {d['citation']} — {status}" + (f", {d['clauses']} điều khoản" if ingested else "")

    return _emit(args, _service(args).documents(), lines)


def cmd_show(args: argparse.Namespace) -> int:
    clause = _service(args).clause(args.clause_id)
    if args.json:
        _print_json(clause)
        return 0
    print(clause["citation"])
    print(f"trang {clause['page']}, ký tự {clause['start']}–{clause['end']}")
    print(clause["text"])
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    """Rebuild the vector index from the stored clauses and the embedding cache (with --check:
    only when opening it in a child process fails)."""
    if args.check:
        from index.vector_check import check_store, probe_store

        chroma = Path(_service(args).settings.data_dir) / "chroma"
        problem = check_store(chroma) or probe_store(chroma)
        if problem is None:
            print("Chỉ mục vectơ mở được bình thường. (The vector index opens fine.)")
            return 0
        print(f"Chỉ mục vectơ hỏng (damaged vector index): {problem}", file=sys.stderr)
        import time

        # Moved aside before anything opens it in this process (opening is what may crash).
        chroma.rename(chroma.with_name(f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}"))

    def lines(r: dict) -> Iterable[str]:
        yield (f"Đã dựng lại chỉ mục vectơ (vector index rebuilt): {r['clauses']} điều khoản (clauses), "
               f"{r['upserted']} vectơ ghi lại (vectors written), {r['embedded_new']} nhúng mới (newly embedded)")

    return _emit(args, _service(args).reindex(), lines)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.config import http_settings
    from api.http import create_app
    from api.server import uvicorn_options

    settings = http_settings()  # a bad setting stops here, with its name, before anything is served
    svc = _service(args)
    if svc.is_empty():
        print("Kho dữ liệu trống: nạp bộ tài liệu kèm theo... (empty data directory: ingesting the bundled corpus)")
        for r in svc.ingest(None):
            print(format_ingest_report(r))
    uvicorn.run(create_app(svc), host=args.host, port=args.port, log_level="info", **uvicorn_options(settings))
    return 0


def _add_query_options(s: argparse.ArgumentParser) -> None:
    """The options search and ask share: how many hits, and the document/type/agency filters."""
    s.add_argument("-k", type=int, default=5)
    s.add_argument("--doc", action="append", help="chỉ tìm trong tài liệu này (doc_id), có thể lặp lại")
    s.add_argument("--doc-type", action="append", help="chỉ tìm trong loại văn bản này (vd. 'Kế hoạch')")
    s.add_argument("--agency", help="chỉ các điều khoản giao việc cho cơ quan này")
    s.add_argument("--json", action="store_true")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tracuu", description="Tra cứu văn bản chính sách (Vietnamese policy documents).")
    p.add_argument("--data-dir", help="thư mục dữ liệu (default ./.tracuu or TRACUU_DATA_DIR)")
    p.add_argument("--model", help="mô hình nhúng: đường dẫn hoặc tên sentence-transformers (default: bundled e5)")
    p.add_argument("--chroma-url", help="Chroma server URL, e.g. http://127.0.0.1:8000 (default: embedded)")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="nạp tệp/thư mục (mặc định: bộ tài liệu kèm theo)")
    s.add_argument("paths", nargs="*")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("search", help="tìm điều khoản")
    s.add_argument("query")
    _add_query_options(s)
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", help="hỏi: trả lời kèm cơ quan chủ trì, thời hạn, trích dẫn")
    s.add_argument("question")
    _add_query_options(s)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("agencies", help="các cơ quan và số nhiệm vụ")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_agencies)

    s = sub.add_parser("tasks", help="nhiệm vụ (lọc theo cơ quan, tài liệu, vai trò)")
    s.add_argument("--agency")
    s.add_argument("--doc")
    s.add_argument("--role", help="lead | coordinator | performer | advised | reports_to | via")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_tasks)

    s = sub.add_parser("eval", help="đánh giá trên bộ câu hỏi (JSONL)")
    s.add_argument("file")
    s.add_argument("-k", type=int, default=5)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("documents", help="danh sách tài liệu")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_documents)

    s = sub.add_parser("show", help="xem một điều khoản theo id")
    s.add_argument("clause_id")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("reindex", help="dựng lại chỉ mục vectơ từ kho tài liệu (rebuild the vector index)")
    s.add_argument("--check", action="store_true",
                   help="chỉ dựng lại nếu mở thử (trong tiến trình con) thất bại / rebuild only if a trial open fails")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_reindex)

    s = sub.add_parser("serve", help="chạy API HTTP")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BilingualError as err:  # bad input, a missing model, an unknown id: said in both languages
        print(f"Lỗi: {err.vi}\nError: {err.en}", file=sys.stderr)
        return 2 if isinstance(err, ApiError) and err.status == 404 else 1


if __name__ == "__main__":
    sys.exit(main())
