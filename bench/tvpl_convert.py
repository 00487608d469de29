"""Mechanical conversion of tnt305 crawler Markdown to realdocs-style text (no word changed).

- lines that are only "|" (layout-table cell separators) are dropped;
- an emphasis span (** or *) that opens on one line and closes on a later one is one HTML
  source line run: its lines are joined with one space;
- "**" / "*" markers removed;
- mode "unwrap": runs of lines between blank lines that are not layout cells (not bounded by a
  "|" line) are joined with one space (paragraphs); layout-cell lines stay one per line;
- mode "hard": no blank-line paragraphs in the source: lines kept (hard-wrapped).
"""
import re
import sys
import unicodedata


def stars_open(line: str) -> bool:
    bold = ital = 0
    for run in re.findall(r"\*+", line):
        if len(run) in (2, 3):
            bold ^= 1
        if len(run) in (1, 3):
            ital ^= 1
    return bool(bold or ital)


def convert(raw: str, mode: str) -> str:
    lines = raw.split("\n")
    # join emphasis spans
    joined: list[str] = []
    buf: str | None = None
    for ln in lines:
        if buf is not None and not ln.strip():
            joined.append(buf)  # an emphasis run never crosses a blank line
            buf = None
        if buf is not None:
            buf = buf + " " + ln.strip()
            if stars_open(buf) is False:
                joined.append(buf)
                buf = None
            continue
        if ln.strip() != "|" and stars_open(ln):
            buf = ln.rstrip()
            continue
        joined.append(ln)
    if buf is not None:
        joined.append(buf)
    out: list[str] = []
    if mode == "hard":
        for ln in joined:
            if ln.strip() == "|":
                continue
            out.append(ln)
    else:
        i = 0
        n = len(joined)
        while i < n:
            if joined[i].strip() in ("", "|"):
                if joined[i].strip() == "":
                    out.append("")
                i += 1
                continue
            j = i
            while j < n and joined[j].strip() not in ("", "|"):
                j += 1
            run = joined[i:j]
            cell = (i > 0 and joined[i - 1].strip() == "|") or (j < n and joined[j].strip() == "|")
            if cell:
                out.extend(run)
            else:
                out.append(" ".join(x.strip() for x in run))
            i = j
    text = "\n".join(out)
    text = text.replace("**", "").replace("*", "")
    text = "\n".join(x.rstrip() for x in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return unicodedata.normalize("NFC", text)





def convert_table(raw: str) -> str:
    """MODE "table": a data table in the crawler's cell-per-line form. Lines before the first "|"
    line and after the table are kept as in MODE "hard"; each table row becomes one line, its
    cells' lines joined with one space and its cells joined by " | ". A "|" line separates two
    cells; two or more "|" lines in a row separate two rows; the header row gives the number of
    columns, and after a full row a single "|" followed by text ends the table."""
    lines = raw.split("\n")
    first = next(i for i, ln in enumerate(lines) if ln.strip() == "|")
    before = convert("\n".join(lines[:first]), "hard").rstrip("\n").split("\n")
    rows: list[list[str]] = []
    cell: list[str] = []
    row: list[str] = []
    ncols = None
    i = first
    n = len(lines)
    after_start = n
    while i < n:
        ln = lines[i]
        if ln.strip() == "|":
            j = i
            while j < n and lines[j].strip() == "|":
                j += 1
            pipes = j - i
            if cell:
                row.append(" ".join(x.strip() for x in cell))
                cell = []
            if pipes >= 2 or j >= n:
                if row:
                    rows.append(row)
                    if ncols is None:
                        ncols = len(row)
                row = []
            elif ncols is not None and len(row) >= ncols:
                rows.append(row)
                row = []
                after_start = j
                break
            i = j
            continue
        cell.append(ln)
        i += 1
    if cell:
        row.append(" ".join(x.strip() for x in cell))
    if row:
        rows.append(row)
    body = [" | ".join(r) for r in rows]
    after = convert("\n".join(lines[after_start:]), "hard").rstrip("\n").split("\n") if after_start < n else []
    text = "\n".join(before + body + after)
    text = text.replace("**", "").replace("*", "")
    text = "\n".join(x.rstrip() for x in text.split("\n")).strip("\n") + "\n"
    return unicodedata.normalize("NFC", text)


if __name__ == "__main__":
    src, mode, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    raw = open(src, encoding="utf-8").read()
    out = convert_table(raw) if mode == "table" else convert(raw, mode)
    open(dst, "w", encoding="utf-8").write(out)
