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


if __name__ == "__main__":
    src, mode, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    raw = open(src, encoding="utf-8").read()
    open(dst, "w", encoding="utf-8").write(convert(raw, mode))
