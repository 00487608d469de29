"""Progress of an ingest on the terminal: files done, pages read, pages OCR'd, passages indexed.

Why: reading and embedding a plan takes tens of seconds, and a silent terminal looks hung. On a
terminal, a rich progress bar (on stderr, so ``--json`` output stays clean) shows the file being
read and running totals; when stderr is not a terminal (a log, CI), one plain line per file.
"""

from __future__ import annotations

import sys
from typing import Any

from tracuu.ingest.shapes import IngestEvent, IngestReport


class IngestProgress:
    """A callable for ``Tracuu.ingest(progress=...)``; use it as a context manager."""

    def __init__(self, enabled: bool = True, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.totals = {"pages": 0, "ocr": 0, "embedded": 0}
        self._rich = None
        self._task = None

    def __enter__(self) -> "IngestProgress":
        if self.enabled and getattr(self.stream, "isatty", lambda: False)():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._rich = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("tệp · {task.fields[pages]} trang, {task.fields[ocr]} OCR · {task.fields[embedded]} đoạn mới"),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._rich.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._rich is not None:
            self._rich.__exit__(*exc)

    def __call__(self, event: IngestEvent) -> None:
        if not self.enabled:
            return
        total = event.total
        if event.event == "file":
            name = (event.path or "").rsplit("/", 1)[-1]
            if self._rich is not None:
                if self._task is None:
                    self._task = self._rich.add_task("Đang nạp", total=total, **self.totals)
                self._rich.update(self._task, description=name if len(name) <= 24 else name[:23] + "…")
            else:
                print(f"Đang nạp tệp {(event.index or 0) + 1}/{total}: {event.path} …", file=self.stream, flush=True)
            return
        if event.event == "parsed":  # read and parsed; the index comes next (the long part)
            if self._rich is not None and self._task is not None:
                self._rich.update(self._task, description=f"lập chỉ mục {event.clauses} điều khoản")
            elif self._rich is None:
                ocr = f" ({event.ocr_pages} trang quét, OCR)" if event.ocr_pages else ""
                print(f"  đã đọc {event.pages} trang{ocr}, {event.clauses} điều khoản; đang lập chỉ mục…", file=self.stream, flush=True)
            return
        r = event.report
        if r is not None and r.status == "ok":
            self.totals["pages"] += r.pages or 0
            self.totals["ocr"] += r.ocr_pages or 0
            self.totals["embedded"] += r.embedded_new or 0
        if self._rich is not None and self._task is not None:
            self._rich.update(self._task, advance=1, description="Đang nạp", **self.totals)
        elif self._rich is None:
            t = self.totals
            print(
                f"  xong {(event.index or 0) + 1}/{total} tệp: {t['pages']} trang, {t['ocr']} trang OCR, "
                f"{t['embedded']} đoạn đã lập chỉ mục",
                file=self.stream,
                flush=True,
            )


__all__ = ["IngestProgress"]


def index_words(r: IngestReport) -> str:
    """What the index did, as an official says it ("đã lập chỉ mục 13 đoạn mới")."""
    if r.unchanged:
        return "không có gì thay đổi, văn bản đã được nạp trước đó"
    parts = [f"đã lập chỉ mục {r.embedded_new or 0} đoạn mới"]
    if r.reused:
        parts.append(f"giữ nguyên {r.reused} đoạn không đổi")
    if r.removed:
        parts.append(f"bỏ {r.removed} đoạn không còn trong văn bản")
    return ", ".join(parts)
