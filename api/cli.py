"""The ``tracuu`` command line: ingest, search, documents, show, serve.

Why argparse: the CLI is thin (it parses arguments, calls :mod:`api.service`, prints), and the
standard library keeps start-up fast for ``tracuu search``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from tracuu.api.cli_text import COMMANDS, VietParser
from tracuu.api.config import Settings, check_database_url, get_settings
from tracuu.api.errors import ApiError
from tracuu.api.progress import index_words
from tracuu.ingest.errors import BilingualError
from tracuu.ingest.shapes import Agency, Answer, Document, IngestReport, ReindexReport, Shape, Task
from tracuu.ingest.vntext import fold


class CliError(ApiError):
    """A user's mistake on the command line (a missing or malformed file), said in both languages."""


# --role in Vietnamese or English: folded Vietnamese words -> the API's role codes.
ROLE_WORDS = {
    "chu tri": "lead",
    "phoi hop": "coordinator",
    "thuc hien": "performer",
    "nhan tham muu": "advised",
    "duoc tham muu": "advised",
    "tham muu": "advised",
    "nhan bao cao": "reports_to",
    "bao cao": "reports_to",
    "qua": "via",
    "dau moi": "via",
}


def role_code(text: str | None) -> str | None:
    """"chủ trì", "chu-tri" or "lead" -> "lead"; an unknown word goes on (the service says 422)."""
    if not text:
        return None
    key = " ".join(fold(text).replace("-", " ").replace("_", " ").split())
    return ROLE_WORDS.get(key, text)


def _jsonable(data: Any) -> Any:
    """The JSON of a service's answer: a shape (ingest.shapes) as the fields it was given."""
    if isinstance(data, Shape):
        return data.to_json()
    if isinstance(data, list):
        return [_jsonable(x) for x in data]
    if isinstance(data, dict):
        return {k: _jsonable(v) for k, v in data.items()}
    return data


def _print_json(data: Any) -> None:
    print(json.dumps(_jsonable(data), ensure_ascii=False, indent=2))


def _emit(args: argparse.Namespace, data: Any, lines: Callable[[Any], Iterable[str]]) -> int:
    """Print ``data`` as JSON with --json, else as the human lines; every read command ends here."""
    if args.json:
        _print_json(data)
    else:
        for line in lines(data):
            print(line)
    return 0


def _service(args: argparse.Namespace):
    from tracuu.api.service import Tracuu

    return Tracuu(cli_settings(args))


def cli_settings(args: argparse.Namespace) -> Settings:
    """The process's settings (read once), with what the command line overrides."""
    update: dict[str, object] = {}
    if args.data_dir is not None:
        update["data_dir"] = Path(args.data_dir)
    if args.model is not None:
        update["embed_model"] = args.model.strip() or None
    if args.chroma_url is not None:
        update["chroma_url"] = args.chroma_url.strip() or None
    if args.database_url is not None:
        update["database_url"] = check_database_url(args.database_url)  # model_copy does not validate
    return get_settings().model_copy(update=update)


def cmd_ingest(args: argparse.Namespace) -> int:
    from tracuu.api.progress import IngestProgress

    svc = _service(args)
    with IngestProgress(enabled=not args.quiet) as progress:
        reports = svc.ingest([Path(p) for p in args.paths] if args.paths else None, progress=progress)
    if args.json:
        _print_json(reports)
    else:
        for r in reports:
            print(format_ingest_report(r))
        print(format_ingest_total(reports))
    return 0 if all(r.status in ("ok", "skipped") for r in reports) else 1


def format_ingest_report(r: IngestReport) -> str:
    """One block per file, in the words an official uses ("33 điều khoản, 3 trang; đã lập chỉ mục 33 đoạn mới")."""
    if r.outcome == "skipped":
        reason = "; ".join(f"{e.message_vi} ({e.message_en})" for e in r.errors)
        return f"BỎ QUA (skipped) {r.path}: {reason}"
    if r.outcome == "failed":
        msgs = "; ".join(f"{e.message_vi} / {e.message_en}" for e in r.errors)
        return f"LỖI (error) {r.path}: {msgs}"
    size = [f"{r.clauses} điều khoản"]
    if r.tables:
        size.append(f"{r.tables} bảng")
    if r.pages:
        size.append(f"{r.pages} trang" + (f" (trong đó {r.ocr_pages} trang quét, đọc bằng OCR)" if r.ocr_pages else ""))
    extra = ""
    if r.replaced:
        extra += " Đã thay thế bản trước (replaced)" + (f" {r.replaced_id}" if r.replaced_id else "") + "."
    if r.coverage is not None:
        extra += f" Độ phủ văn bản (coverage): {r.coverage}%."
    lines = [f"ĐÃ NẠP (ok) {r.path} → mã văn bản {r.doc_id}: {', '.join(size)}; {index_words(r)}.{extra}"]
    if r.unverified:
        lines.append(
            f"  Chưa đối chiếu được với bản gốc, không trích nguyên văn (unverified, not quoted as exact): {', '.join(r.unverified[:10])}"
        )
    lines += [f"  Lưu ý (warning): {w}" for w in r.warnings]
    return "\n".join(lines)


def format_ingest_total(reports: list[IngestReport]) -> str:
    ok = [r for r in reports if r.status == "ok"]
    bad = sum(1 for r in reports if r.outcome == "failed")
    skipped = sum(1 for r in reports if r.outcome == "skipped")
    words = [f"Tổng cộng (total): đã nạp {len(ok)} tệp"]
    if ok:
        words.append(f"{sum(r.clauses or 0 for r in ok)} điều khoản")
        words.append(f"{sum(r.embedded_new or 0 for r in ok)} đoạn mới được lập chỉ mục")
    if bad:
        words.append(f"{bad} tệp lỗi")
    if skipped:
        words.append(f"bỏ qua {skipped} tệp không hỗ trợ")
    return ", ".join(words) + "."


def _query_service(args: argparse.Namespace, query: str, prefetch: bool):
    """The service for one search or ask. With ``prefetch`` (search, which always ranks by vectors)
    its vector store starts opening in the background (``VectorAccess.prefetch``) while this thread
    understands and embeds the query; a query the service will refuse (empty, too long, a bad -k)
    starts nothing: its error comes at once. Not for ask: many questions are answered from the
    catalog alone (a document's facts, an agency's tasks, a date), and the process would then wait
    at exit for an opening it never used.

    The bundled e5 engine runs OpenMP; one query is a dozen tokens, which one thread embeds in
    ~20 ms, while a team of threads waits at every barrier for a core the background opening (or
    another process) holds: 0.1-3 s per query on a busy two-core machine. So a one-shot query
    process asks OpenMP for one thread, unless OMP_NUM_THREADS is already set (read by the engine
    when it loads, below)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    svc = _service(args)
    if not prefetch:
        return svc
    try:
        svc._check_query(query, args.k)  # the same check search starts with
    except BilingualError:
        return svc  # refused below, by the call itself, with its own message
    svc.index.access.prefetch(wait_for_client=True)
    return svc


def cmd_search(args: argparse.Namespace) -> int:
    svc = _query_service(args, args.query, prefetch=True)
    result = svc.search(
        args.query, k=args.k, doc_ids=args.doc or None, doc_types=args.doc_type or None, agency=args.agency
    )
    if args.json:
        _print_json(result)
        return 0
    if not result.results:
        print("Không tìm thấy điều khoản nào. (No matching clause.)")
    for i, hit in enumerate(result.results, 1):
        print(f"[{i}] {hit.citation} — trang {hit.page} (score {hit.score:.3f})")
        print(f"    {hit.text}")
        print(f"    id: {hit.clause_id}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    svc = _query_service(args, args.question, prefetch=False)
    result = svc.ask(args.question, k=args.k, doc_ids=args.doc or None, doc_types=args.doc_type or None, agency=args.agency)

    def lines(r: Answer) -> Iterable[str]:
        yield r.answer
        for alt in r.alternatives:
            yield (f"  (!) Chưa chắc chắn — cũng có thể là (uncertain, also close): {alt.citation}"
                   f" (id: {alt.clause_id})")
        for i, hit in enumerate(r.citations, 1):
            yield f"  [{i}] {hit.citation} — trang {hit.page} (id: {hit.clause_id})"

    return _emit(args, result, lines)


def cmd_agencies(args: argparse.Namespace) -> int:
    def lines(rows: list[Agency]) -> Iterable[str]:
        for r in rows:
            c = r.counts
            yield (f"{r.agency_id}: {r.agency} — chủ trì {c['lead']}, phối hợp {c['coordinator']}, "
                   f"nhận tham mưu {c['advised']}, nhận báo cáo {c['reports_to'] + c['via']}")

    return _emit(args, _service(args).agencies(), lines)


def cmd_tasks(args: argparse.Namespace) -> int:
    def lines(tasks: list[Task]) -> Iterable[str]:
        for t in tasks:
            lead = ", ".join(a.as_written or "" for a in t.lead)
            coord = ", ".join(a.as_written or "" for a in t.coordinators)
            deadline = t.deadline.text if t.deadline else "không nêu"
            yield f"- {t.citation}\n  chủ trì: {lead}" + (f"; phối hợp: {coord}" if coord else "") + f"; thời hạn: {deadline}"
            yield f"  {t.text}"

    return _emit(args, _service(args).tasks(agency=args.agency, doc=args.doc, role=role_code(args.role)), lines)


def cmd_eval(args: argparse.Namespace) -> int:
    from tracuu.api.evaluation import evaluate, format_report, load_dev_set

    try:
        questions = load_dev_set(Path(args.file))
    except FileNotFoundError:
        raise CliError(f"Không tìm thấy tệp câu hỏi: {args.file}", f"Question file not found: {args.file}") from None
    except UnicodeDecodeError:
        raise CliError(f"Tệp câu hỏi {args.file} không phải UTF-8.", f"Question file {args.file} is not UTF-8.") from None
    except OSError as err:
        raise CliError(f"Không đọc được tệp câu hỏi {args.file}: {err.strerror or err}",
                       f"Cannot read question file {args.file}: {err.strerror or err}") from None
    except ValueError as err:
        raise CliError(
            f"Tệp câu hỏi không đúng định dạng JSON Lines (mỗi dòng một đối tượng có 'question'): {err}",
            f"The question file is not valid JSON Lines (one object with a 'question' per line): {err}",
        ) from None
    if not questions:
        raise CliError(f"Tệp câu hỏi {args.file} không có câu hỏi nào.", f"Question file {args.file} holds no question.")
    report = evaluate(_service(args), questions, k=args.k)
    if args.json:
        _print_json(report.to_dict())
        return 0
    print(format_report(report, failures=not args.totals))
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    def lines(docs: list[Document]) -> Iterable[str]:
        for d in docs:
            ingested = d.status == "ingested"
            status = "đã nạp (ingested)" if ingested else "được dẫn chiếu, chưa nạp văn bản (referenced, not ingested)"
            yield f"{d.doc_id}: {d.citation} — {status}" + (f", {d.clauses} điều khoản" if ingested else "")

    return _emit(args, _service(args).documents(), lines)


def cmd_show(args: argparse.Namespace) -> int:
    clause = _service(args).clause(args.clause_id)
    if args.json:
        _print_json(clause)
        return 0
    print(clause.citation)
    print(f"trang {clause.page}, ký tự {clause.start}–{clause.end}")
    print(clause.text)
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    """Rebuild the vector index from the stored clauses and the embedding cache (with --check:
    only when opening it in a child process fails)."""
    if args.check:
        from tracuu.index.vector_check import check_store, probe_store

        chroma = Path(_service(args).settings.data_dir) / "chroma"
        problem = check_store(chroma) or probe_store(chroma)
        if problem is None:
            repaired = _service(args).index.check()["repaired"]  # writes cut short: repaired now
            if repaired is not None:
                print(f"Đã sửa {len(repaired.docs or [])} lần ghi bị ngắt (interrupted writes repaired): "
                      f"{repaired.upserted} vectơ ghi lại (vectors written), {repaired.removed} xóa (removed)")
            print("Chỉ mục vectơ mở được bình thường. (The vector index opens fine.)")
            return 0
        print(f"Chỉ mục vectơ hỏng (damaged vector index): {problem}", file=sys.stderr)
        import time

        # Moved aside before anything opens it in this process (opening is what may crash).
        chroma.rename(chroma.with_name(f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}"))

    def lines(r: ReindexReport) -> Iterable[str]:
        yield (f"Đã dựng lại chỉ mục vectơ (vector index rebuilt): {r.clauses} điều khoản (clauses), "
               f"{r.upserted} vectơ ghi lại (vectors written), {r.embedded_new} nhúng mới (newly embedded)")

    return _emit(args, _service(args).reindex(), lines)


def _debug() -> bool:
    """TRACUU_DEBUG, from the settings; a broken setting is reported elsewhere, not here."""
    from tracuu.api.config import ConfigError, get_settings

    try:
        return get_settings().debug
    except ConfigError:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn
    from tracuu.api.config import http_settings
    from tracuu.api.http import create_app
    from tracuu.api.server import uvicorn_options

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
    s.add_argument("-k", type=int, default=5, metavar="SỐ", help="số kết quả trả về, mặc định 5 (number of results)")
    s.add_argument("--doc", action="append", metavar="MÃ_VĂN_BẢN", help="chỉ tìm trong văn bản này (doc_id), có thể lặp lại (only this document; repeatable)")
    s.add_argument("--doc-type", action="append", metavar="LOẠI", help="chỉ tìm trong loại văn bản này, vd. 'Kế hoạch' (only this document type; repeatable)")
    s.add_argument("--agency", metavar="CƠ_QUAN", help="chỉ các điều khoản giao việc cho cơ quan này, vd. 'NHCSXH tỉnh' (only clauses tasking this agency)")
    s.add_argument("--json", action="store_true", help="in kết quả dạng JSON (print JSON)")


EPILOG = """Ví dụ (examples):
  tracuu ingest                       nạp bộ tài liệu kèm theo (ingest the bundled corpus)
  tracuu ingest thu-muc/              nạp mọi tệp .txt .pdf .docx .doc .odt trong thư mục
  tracuu ask "Ai báo cáo hằng năm?"   hỏi bằng tiếng Việt, có dấu hoặc không dấu
  tracuu tasks --agency "NHCSXH tỉnh" --role "chủ trì"

Biến môi trường (environment): TRACUU_DATA_DIR, TRACUU_EMBED_MODEL, TRACUU_CHROMA_URL,
TRACUU_DATABASE_URL, TRACUU_CORPUS_DIR, TRACUU_API_KEY, TRACUU_MAX_UPLOAD_MB (xem README)."""


def build_parser() -> argparse.ArgumentParser:
    p = VietParser(
        prog="tracuu",
        description="Tra cứu văn bản chính sách: nạp văn bản, hỏi đáp, tìm điều khoản, xem nhiệm vụ và thời hạn.\n"
        "(A knowledge base over Vietnamese policy documents.)",
        epilog=EPILOG,
    )
    p.add_argument("--data-dir", metavar="THƯ_MỤC", help="thư mục dữ liệu, mặc định ./.tracuu hoặc TRACUU_DATA_DIR (data directory)")
    p.add_argument("--model", metavar="MÔ_HÌNH", help="mô hình nhúng: đường dẫn hoặc tên sentence-transformers; mặc định e5 kèm theo (embedding model)")
    p.add_argument("--chroma-url", metavar="URL", help="máy chủ Chroma, vd. http://127.0.0.1:8000; mặc định dùng kho nhúng sẵn (Chroma server URL)")
    p.add_argument("--database-url", metavar="URL", help="cơ sở dữ liệu PostgreSQL dùng chung, vd. postgresql://tracuu@máy:5432/tracuu; "
                   "mặc định SQLite trong thư mục dữ liệu (shared PostgreSQL catalog URL)")
    sub = p.add_subparsers(dest="command", required=True, title=COMMANDS, metavar="LỆNH")

    s = sub.add_parser("ingest", help="nạp tệp hoặc thư mục; mặc định bộ tài liệu kèm theo (ingest files or folders)")
    s.add_argument("paths", nargs="*", metavar="ĐƯỜNG_DẪN", help="tệp .txt .pdf .docx .doc .odt hoặc thư mục (files or folders)")
    s.add_argument("--json", action="store_true", help="in báo cáo dạng JSON (print JSON reports)")
    s.add_argument("-q", "--quiet", action="store_true", help="không hiện tiến trình (no progress display)")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("search", help="tìm điều khoản (search clauses)")
    s.add_argument("query", metavar="TỪ_KHÓA", help="nội dung cần tìm, có dấu hoặc không dấu (what to look for)")
    _add_query_options(s)
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", help="hỏi: trả lời kèm cơ quan chủ trì, thời hạn, trích dẫn (ask a question)")
    s.add_argument("question", metavar="CÂU_HỎI", help="câu hỏi bằng tiếng Việt (the question)")
    _add_query_options(s)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("agencies", help="các cơ quan và số nhiệm vụ theo vai trò (agencies and their task counts)")
    s.add_argument("--json", action="store_true", help="in kết quả dạng JSON (print JSON)")
    s.set_defaults(func=cmd_agencies)

    s = sub.add_parser("tasks", help="nhiệm vụ, lọc theo cơ quan, văn bản, vai trò (tasks)")
    s.add_argument(
        "--agency",
        metavar="CƠ_QUAN",
        help="tên, tên viết tắt (MTTQ, NHCSXH, Sở GD&ĐT) hoặc mã cơ quan, có dấu hay không dấu "
        "(agency name, abbreviation or id, with or without diacritics)",
    )
    s.add_argument("--doc", metavar="MÃ_VĂN_BẢN", help="chỉ nhiệm vụ của văn bản này (only this document)")
    s.add_argument(
        "--role",
        metavar="VAI_TRÒ",
        help="vai trò: chủ trì, phối hợp, thực hiện, tham mưu, báo cáo, qua "
        "(role: lead, coordinator, performer, advised, reports_to, via)",
    )
    s.add_argument("--json", action="store_true", help="in kết quả dạng JSON (print JSON)")
    s.set_defaults(func=cmd_tasks)

    s = sub.add_parser("eval", help="đánh giá trên bộ câu hỏi JSONL (evaluate on a question set)")
    s.add_argument("file", metavar="TỆP_JSONL", help="tệp câu hỏi, mỗi dòng một JSON có 'question' (JSON Lines file)")
    s.add_argument("-k", type=int, default=5, metavar="SỐ", help="số kết quả xét cho hit@k, mặc định 5 (results considered)")
    s.add_argument("--json", action="store_true", help="in kết quả dạng JSON (print JSON)")
    s.add_argument("--totals", action="store_true",
                   help="chỉ in số tổng, không liệt kê câu sai: dùng cho bộ câu hỏi giữ lại "
                        "(totals only, no failure list: for a held-out set nobody may tune on)")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("documents", help="danh sách văn bản đã nạp và được dẫn chiếu (documents)")
    s.add_argument("--json", action="store_true", help="in kết quả dạng JSON (print JSON)")
    s.set_defaults(func=cmd_documents)

    s = sub.add_parser("show", help="xem một điều khoản theo mã (show a clause)")
    s.add_argument("clause_id", metavar="MÃ_ĐIỀU_KHOẢN", help="mã điều khoản, vd. kh-an-giang-ct-39:II.1.c (clause id)")
    s.add_argument("--json", action="store_true", help="in kết quả dạng JSON (print JSON)")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("reindex", help="dựng lại chỉ mục vectơ từ kho tài liệu (rebuild the vector index)")
    s.add_argument("--check", action="store_true",
                   help="chỉ dựng lại nếu mở thử (trong tiến trình con) thất bại (rebuild only if a trial open fails)")
    s.add_argument("--json", action="store_true", help="in kết quả dạng JSON (print JSON)")
    s.set_defaults(func=cmd_reindex)

    s = sub.add_parser("serve", help="chạy trang web và API HTTP (run the web pages and HTTP API)")
    s.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ", help="địa chỉ lắng nghe, mặc định 127.0.0.1 (host)")
    s.add_argument("--port", type=int, default=8000, metavar="CỔNG", help="cổng, mặc định 8000 (port)")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BilingualError as err:  # bad input, a missing model, an unknown id: said in both languages
        print(f"Lỗi: {err.vi}\nError: {err.en}", file=sys.stderr)
        return 2 if isinstance(err, ApiError) and err.status == 404 else 1
    except BrokenPipeError:  # `tracuu tasks | head`: the reader has gone, which is not an error
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        print("\nĐã dừng theo yêu cầu. (Interrupted.)", file=sys.stderr)
        return 130
    except Exception as err:  # never a traceback for the user; TRACUU_DEBUG=1 shows it
        if _debug():
            raise
        print(
            f"Lỗi không mong đợi: {type(err).__name__}: {err}\n"
            f"Unexpected error: {type(err).__name__}: {err}\n"
            "(Chạy lại với TRACUU_DEBUG=1 để xem chi tiết. / Run again with TRACUU_DEBUG=1 for details.)",
            file=sys.stderr,
        )
        return 70


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
