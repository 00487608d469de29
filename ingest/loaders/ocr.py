"""OCR for PDF pages without a text layer (scans): render, deskew, clean, Tesseract ``-l vie``.

What happens to a scanned page (:func:`ocr_pdf_pages`), and why:

* **Render** with pypdfium2 at 300 dpi (:data:`DPI`), grayscale.
* **Deskew** (:func:`skew_angle`): a tilt of 1° already merges neighbouring lines for Tesseract's
  line finder. The angle is found by a projection profile: the page, binarised and shrunk to 900 px
  wide, is rotated by candidate angles (±5° by 0.5°, then ±0.5° by 0.05°); the angle whose row
  profile has the sharpest steps (text lines aligned with pixel rows) wins, and the page is turned
  back by it. Measured on our scans: tilts of 0.5-1.5° found to within the 0.05° step.
* **Clean** (:func:`clean`): a 3×3 median filter removes salt-and-pepper specks, then a global Otsu
  threshold gives black on white. Without it, specks came out as "|" and "_" lines that broke
  the two-column blocks (a signature's span then failed the citation check).
* **Ruled tables** (:func:`find_grids`): long ink runs are table rules. They are wiped from the
  image (only the segments that exist, so a merged header cell's text stays whole) and each word is
  put back into the cell its centre falls in; merged cells come from missing rule segments. A table
  becomes rows of cells like a text page's table (:class:`OcrTable`), so the appendix parser gets
  column names and cells (without this, Tesseract read rules as "|", "_" and ran cells together).
* **Tesseract** runs as a subprocess (no Python binding) with ``-l vie --psm 4`` (:data:`PSM`) and
  TSV output: every word with its box and confidence. ``OMP_THREAD_LIMIT=1``: on a 2-core machine
  its OpenMP threads made a page 10× slower. ``TRACUU_TESSERACT`` names another binary.
  psm measured on 12 scanned pages of our fixtures (200 dpi scans, ±0.5-1.5°, noise): psm 4 gives
  99.84 % character accuracy and the same clause tree as the text PDFs; psm 6 (99.74 %) and psm 3
  (99.71 %) each broke one document (a column block or a table row read across).
* **Lines** (:func:`lines_from_tsv`): words are grouped into Tesseract's lines; a line with a wide
  gap (> 1.5 text heights and > 3.5 usual word gaps) is cut into its columns. A run of lines that
  each keep to one half of the page, with lines on both halves (the issuer | quốc hiệu header,
  the Nơi nhận | signature block), is read left half first, then the right one, as the text-layer
  loader reads those blocks; a line that crosses the middle ends the run. Each line keeps the mean
  confidence of its words; the page's confidence is the mean over all its words (0-100).
* **Fixes that need the document's own logic**, nothing else: a point letter or Roman numeral
  misread where the sequence says what it must be ("h)" then "1)" is "i)"; "II." after "II." is
  "III.", :class:`MarkerFixer`); header cells snapped to the usual column names ("Bát đầu" ->
  "Bắt đầu") and a header repeated on the next page given the first page's reading, so that the
  loader recognises the repeat and joins a row split by the page break (:func:`_unify_headers`);
  stray diacritics read as words of their own (tiny, confidence < 20) and rule remnants at a
  word's edge ("8_", "|Xây") dropped.

Missing software is an :class:`~ingest.errors.IngestError` (code ``ocr_unavailable``) whose
message says what to install: ``apt-get install tesseract-ocr tesseract-ocr-vie``.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from tracuu.ingest import reading
from tracuu.ingest.errors import IngestError
from tracuu.ingest.vntext import collapse_spaces, nfc

__all__ = [
    "DPI",
    "PSM",
    "LANG",
    "OcrLine",
    "OcrPage",
    "ocr_status",
    "require_ocr",
    "render_page",
    "skew_angle",
    "deskew",
    "clean",
    "ocr_image",
    "ocr_pdf_pages",
    "lines_from_tsv",
    "lines_from_words",
    "find_grids",
    "wipe_rules",
    "MarkerFixer",
    "OcrCell",
    "OcrRow",
    "OcrTable",
]

DPI = 300
PSM = 4
LANG = "vie"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
TIMEOUT_S = 180  # one page; a hung tesseract must not hang an upload forever
MAX_SKEW = 5.0  # degrees searched either way
# A gap inside a line wider than both of these starts a new column: 1.5 text heights and 3.5 times
# the page's usual word gap (justified lines stretch their spaces, but not that far).
COLUMN_GAP_H = 1.5
COLUMN_GAP_SPACES = 3.5
# Characters a policy text never has at a word's edge: what table rules and specks are read as.
_JUNK = "_|¬~`“”‘’«»\"'"
NOISE_CONF = 50.0  # a word without letters or digits read with less confidence than this is a speck
MARK_CONF = 20.0  # below this, a word less than 0.6 text heights tall is a stray diacritic
SNAP_RATIO = 0.8  # similarity above which an OCR'd header cell is taken for a known column name


@dataclass(frozen=True)
class OcrLine:
    """One line of recognised text with its position (pixels of the cleaned page) and confidence."""

    text: str
    top: float
    left: float
    confidence: float  # mean word confidence, 0-100


@dataclass
class OcrCell:
    """One cell of a ruled table: its lines and what joins each line to the next ("\\n" or " ")."""

    lines: list[str]
    seps: list[str]
    col_span: int = 1
    confidence: float | None = None


@dataclass
class OcrRow:
    top: float  # pixels of the cleaned page
    cells: list[OcrCell]  # column order; a position covered by a cell from a row above is an empty cell


@dataclass
class OcrTable:
    edges: tuple[float, ...]  # column boundaries, in PDF points (72 per inch), left to right
    rows: list[OcrRow]


@dataclass
class OcrPage:
    lines: list[OcrLine]  # text outside tables, in reading order
    confidence: float  # mean word confidence of the page, 0-100 (0.0 when no word was read)
    skew: float  # degrees the scan was turned back by
    words: int = 0
    tables: list[OcrTable] = field(default_factory=list)


# --- availability ---------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _status(binary: str, lang: str) -> str | None:
    exe = shutil.which(binary)
    if exe is None:
        return "binary"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "binary"
    langs = {ln.strip() for ln in (out.stdout + "\n" + out.stderr).splitlines()}
    return None if lang in langs else "lang"


def _binary() -> str:
    """The Tesseract binary of the reading settings in force (``TRACUU_TESSERACT``, read by api.config)."""
    return reading.current().tesseract


def ocr_status() -> str | None:
    """None when OCR can run; "binary" when tesseract is missing; "lang" when its vie model is."""
    return _status(_binary(), LANG)


def require_ocr(name: str, pages: list[int]) -> None:
    """Raise the install hint when OCR cannot run for the scanned ``pages`` of file ``name``."""
    missing = ocr_status()
    if missing is None:
        return
    which_vi = "chương trình tesseract" if missing == "binary" else "dữ liệu tiếng Việt (vie) của tesseract"
    which_en = "the tesseract program" if missing == "binary" else "tesseract's Vietnamese (vie) language data"
    where = ", ".join(map(str, pages))
    raise IngestError(
        f"Tệp PDF '{name}' có trang không có lớp chữ (bản scan/ảnh: trang {where}); cần nhận dạng chữ (OCR) "
        f"nhưng máy chưa cài {which_vi}. Hãy cài: {INSTALL_HINT}",
        f"PDF file '{name}' has pages without a text layer (scanned: page {where}); they need OCR but "
        f"{which_en} is not installed. Install it with: {INSTALL_HINT}",
        code="ocr_unavailable",
    )


# --- image preparation ----------------------------------------------------------------------------


def render_page(page: Any, dpi: int | None = None):
    """A pypdfium2 page as a grayscale PIL image at ``dpi`` (default :data:`DPI`)."""
    return page.render(scale=(dpi or DPI) / 72, grayscale=True).to_pil().convert("L")


def _otsu(hist: list[int]) -> int:
    total = sum(hist)
    sum_all = sum(i * h for i, h in enumerate(hist))
    w0 = 0
    sum0 = 0.0
    best, best_t = -1.0, 127
    for t in range(256):
        w0 += hist[t]
        if w0 == 0:
            continue
        w1 = total - w0
        if w1 == 0:
            break
        sum0 += t * hist[t]
        m0 = sum0 / w0
        m1 = (sum_all - sum0) / w1
        between = w0 * w1 * (m0 - m1) ** 2
        if between > best:
            best, best_t = between, t
    return best_t


def clean(img):
    """Grayscale -> 3×3 median (specks) -> Otsu threshold: black text on white."""
    from PIL import ImageFilter

    gray = img.convert("L").filter(ImageFilter.MedianFilter(3))
    t = _otsu(gray.histogram())
    return gray.point(lambda v: 255 if v > t else 0, mode="L")


def _profile_score(small, angle: float) -> float:
    import numpy as np

    rotated = small.rotate(angle, resample=0, expand=False, fillcolor=0)
    rows = np.asarray(rotated, dtype=np.float64).sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


def skew_angle(img, max_angle: float = MAX_SKEW) -> float:
    """Degrees to rotate ``img`` (counter-clockwise, PIL's sense) to make its text lines level."""
    from PIL import ImageOps

    gray = img.convert("L")
    width = 900
    scale = width / max(1, gray.width)
    small = gray.resize((width, max(1, int(gray.height * scale))))
    t = _otsu(small.histogram())
    ink = ImageOps.invert(small.point(lambda v: 255 if v > t else 0, mode="L"))  # text white on black
    best = max((a / 2 for a in range(int(-2 * max_angle), int(2 * max_angle) + 1)), key=lambda a: _profile_score(ink, a))
    fine = [best + d / 20 for d in range(-10, 11)]
    return max(fine, key=lambda a: _profile_score(ink, a))


def deskew(img, angle: float | None = None):
    """``img`` rotated back by its skew angle (white fill); returns (image, angle)."""
    from PIL import Image

    angle = skew_angle(img) if angle is None else angle
    if abs(angle) < 0.05:
        return img, 0.0
    return img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255), angle


# --- tesseract --------------------------------------------------------------------------------------


@dataclass
class _Word:
    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width


def _parse_tsv(tsv: str) -> list[tuple[tuple[int, int, int], list[_Word]]]:
    """Tesseract TSV -> lines (block, par, line) in Tesseract's order, each with its words."""
    lines: dict[tuple[int, int, int], list[_Word]] = {}
    rows = tsv.splitlines()
    for row in rows[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = nfc(cols[11]).strip()
        if not text:
            continue
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
            word = _Word(text, float(cols[10]), int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9]))
        except ValueError:
            continue
        if word.conf < NOISE_CONF and not any(ch.isalnum() for ch in text):
            continue  # a speck read as "|", "_" or "."
        stripped = text.strip(_JUNK)
        if not stripped:
            continue  # a rule remnant: "_", "|", "¬"
        if stripped != text:
            word.text = stripped
        lines.setdefault(key, []).append(word)
    return list(lines.items())


@dataclass
class _Seg:
    words: list[_Word]

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.top + w.height for w in self.words)

    def line(self) -> OcrLine:
        text = collapse_spaces(" ".join(w.text for w in self.words)).strip()
        confs = [w.conf for w in self.words if w.conf >= 0]
        return OcrLine(text, float(self.top), float(self.left), statistics.fmean(confs) if confs else 0.0)


def _split(words: list[_Word], gap: float) -> list[_Seg]:
    words = sorted(words, key=lambda w: w.left)
    segs = [_Seg([words[0]])]
    for w in words[1:]:
        if w.left - segs[-1].right > gap:
            segs.append(_Seg([w]))
        else:
            segs[-1].words.append(w)
    return segs


def lines_from_tsv(tsv: str) -> list[OcrLine]:
    """Tesseract TSV -> lines in reading order, two-column runs read column by column."""
    return lines_from_words([words for _, words in _parse_tsv(tsv) if words])


def lines_from_words(raw: list[list[_Word]]) -> list[OcrLine]:
    """Tesseract's lines (lists of words) -> lines in reading order (see :func:`lines_from_tsv`)."""
    raw = [words for words in raw if words]
    if not raw:
        return []
    heights = [w.height for words in raw for w in words if len(w.text) > 1]
    h = statistics.median(heights) if heights else 20.0
    gaps = [b.left - a.right for words in raw for a, b in zip(sorted(words, key=lambda w: w.left), sorted(words, key=lambda w: w.left)[1:])]
    space = statistics.median(gaps) if gaps else 0.4 * h
    rows = [_split(words, max(COLUMN_GAP_H * h, COLUMN_GAP_SPACES * space)) for words in raw]
    rows.sort(key=lambda segs: min(s.top for s in segs))
    segs = [seg for row in rows for seg in row]
    lo, hi = min(x.left for x in segs), max(x.right for x in segs)
    mid = (lo + hi) / 2
    # L / R: keeps to the left / right half; X: crosses the middle or is centred (a page number)
    side = [
        "X" if abs((x.left + x.right) / 2 - mid) < 0.05 * (hi - lo) else "L" if x.right < mid else "R" if x.left > mid else "X"
        for x in segs
    ]
    out: list[OcrLine] = []
    i = 0
    while i < len(segs):
        if side[i] == "X":
            out.append(segs[i].line())
            i += 1
            continue
        j = i
        while j < len(segs) and side[j] != "X":
            j += 1
        run = list(range(i, j))
        if {side[k] for k in run} == {"L", "R"}:  # two columns side by side: left one first
            run = [k for k in run if side[k] == "L"] + [k for k in run if side[k] == "R"]
        out.extend(segs[k].line() for k in run)
        i = j
    return [ln for ln in out if any(ch.isalnum() for ch in ln.text)]


# --- ruled tables -----------------------------------------------------------------------------------
#
# A scanned appendix is a ruled table. Tesseract reads its cells as loose words and its rules as "|"
# and "_", so the rules are found first (long runs of ink), wiped from the image, and each word is put
# back into the cell its centre falls in. Merged cells are found from the rule segments that are
# missing: no vertical rule between two columns inside a row band = one cell spanning them; no
# horizontal rule between two bands in a column = one cell spanning the bands (the header's STT).

H_RULE_MIN = 1.0  # a horizontal rule is a run of ink at least this many inches long
RULE_FILL = 0.85  # share of a segment that must be ink for the rule to be there


@dataclass
class _Grid:
    ys: list[int]  # horizontal rules, top to bottom (pixels)
    xs: list[int]  # vertical rules, left to right
    vert: list[list[bool]]  # vert[band][k]: rule k present between bands' top and bottom
    horiz: list[list[bool]]  # horiz[k][col]: rule k present over column col

    def cells(self) -> list[tuple[int, int, int, int]]:
        """Merged cells as (band0, col0, band1, col1), inclusive, in row then column order."""
        nb, nc = len(self.ys) - 1, len(self.xs) - 1
        owner: dict[tuple[int, int], tuple[int, int]] = {}
        out: list[tuple[int, int, int, int]] = []
        for b in range(nb):
            for c in range(nc):
                if (b, c) in owner:
                    continue
                c1 = c
                while c1 + 1 < nc and not self.vert[b][c1 + 1]:
                    c1 += 1
                b1 = b
                while b1 + 1 < nb and not any(self.horiz[b1 + 1][k] for k in range(c, c1 + 1)):
                    b1 += 1
                for bb in range(b, b1 + 1):
                    for cc in range(c, c1 + 1):
                        owner[(bb, cc)] = (b, c)
                out.append((b, c, b1, c1))
        return out


def _runs(mask, min_len: int):
    """Per row of a boolean array: does it hold a run of at least ``min_len`` True, and where."""
    import numpy as np

    h, w = mask.shape
    if w <= min_len:
        return np.zeros(h, dtype=bool), np.zeros(h, dtype=int), np.zeros(h, dtype=int)
    cs = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=cs[:, 1:])
    full = (cs[:, min_len:] - cs[:, :-min_len]) == min_len
    has = full.any(axis=1)
    first = np.where(has, full.argmax(axis=1), 0)
    last = np.where(has, full.shape[1] - 1 - full[:, ::-1].argmax(axis=1) + min_len, 0)
    return has, first, last


def _group(positions: list[int], gap: int = 3) -> list[list[int]]:
    groups: list[list[int]] = []
    for p in positions:
        if groups and p - groups[-1][-1] <= gap:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def find_grids(ink, dpi: int | None = None) -> list[_Grid]:
    """Ruled tables of a page (``ink``: boolean array, True = black), top to bottom."""
    import numpy as np

    dpi = dpi or DPI
    has, first, last = _runs(ink, int(H_RULE_MIN * dpi))
    rules = []  # (y, x0, x1)
    for g in _group([int(y) for y in np.nonzero(has)[0]]):
        rules.append(((g[0] + g[-1]) // 2, int(min(first[y] for y in g)), int(max(last[y] for y in g))))
    grids: list[_Grid] = []
    i = 0
    while i < len(rules):
        y0, x0, x1 = rules[i]
        members = [rules[i]]
        j = i + 1
        while j < len(rules):
            y, a, b = rules[j]
            # the same table while its outer borders run down from the last rule to this one
            band = ink[members[-1][0] + 2 : y - 1]
            left = band[:, max(0, x0 - 3) : x0 + 4].any(axis=1).mean() if band.size else 0
            right = band[:, max(0, x1 - 4) : x1 + 3].any(axis=1).mean() if band.size else 0
            if left >= RULE_FILL and right >= RULE_FILL and a >= x0 - 10 and b <= x1 + 10:
                members.append(rules[j])
                j += 1
            else:
                break
        if len(members) >= 2:
            grids.append(_grid(ink, [m[0] for m in members], x0, x1))
        i = j
    return grids


def _grid(ink, ys: list[int], x0: int, x1: int) -> _Grid:
    import numpy as np

    found: list[int] = []
    per_band: list[list[int]] = []
    for top, bottom in zip(ys, ys[1:]):
        band = ink[top + 3 : bottom - 2, max(0, x0 - 3) : x1 + 4]
        if band.shape[0] < 3:
            per_band.append([])
            continue
        fill = band.mean(axis=0)
        cols = [int(c) + max(0, x0 - 3) for c in np.nonzero(fill >= RULE_FILL)[0]]
        xs_band = [(g[0] + g[-1]) // 2 for g in _group(cols)]
        per_band.append(xs_band)
        found.extend(xs_band)
    xs = [(g[0] + g[-1]) // 2 for g in _group(sorted(found), gap=8)]
    if not xs or xs[0] > x0 + 10:
        xs.insert(0, x0)
    if xs[-1] < x1 - 10:
        xs.append(x1)
    vert = [[any(abs(x - f) <= 8 for f in band) for x in xs] for band in per_band]
    horiz: list[list[bool]] = []
    for y in ys:
        strip = ink[max(0, y - 3) : y + 4].any(axis=0)
        horiz.append([bool(strip[a + 6 : b - 5].mean() >= RULE_FILL) if b - a > 12 else True for a, b in zip(xs, xs[1:])])
    return _Grid(ys=list(ys), xs=xs, vert=vert, horiz=horiz)


def wipe_rules(img, grids: list[_Grid], width: int = 4):
    """A copy of the (cleaned, black-on-white) image with the grids' rules painted white."""
    from PIL import ImageDraw

    out = img.copy()
    draw = ImageDraw.Draw(out)
    for g in grids:  # only the segments that are there: a spanning cell's text crosses the others
        for k, y in enumerate(g.ys):
            for col, (a, b) in enumerate(zip(g.xs, g.xs[1:])):
                if g.horiz[k][col]:
                    draw.rectangle([a - width, y - width, b + width, y + width], fill=255)
        for band, (top, bottom) in enumerate(zip(g.ys, g.ys[1:])):
            for k, x in enumerate(g.xs):
                if g.vert[band][k]:
                    draw.rectangle([x - width, top - width, x + width, bottom + width], fill=255)
    return out


def _cell_lines(words: list[_Word], h: float) -> list[list[_Word]]:
    """Words of one cell grouped into lines, top to bottom, each left to right."""
    lines: list[list[_Word]] = []
    for w in sorted(words, key=lambda w: w.top + w.height / 2):
        cy = w.top + w.height / 2
        if lines:
            last = lines[-1]
            ly = statistics.fmean(x.top + x.height / 2 for x in last)
            if abs(cy - ly) <= 0.5 * h:
                last.append(w)
                continue
        lines.append([w])
    return [sorted(ln, key=lambda w: w.left) for ln in lines]


def _table(grid: _Grid, words: list[_Word], h: float, space: float, dpi: int) -> OcrTable:
    """Words into the cells of one grid; rows in order, cells in column order with spans."""
    import bisect

    cells = grid.cells()
    where: dict[tuple[int, int], int] = {}
    for n, (b0, c0, b1, c1) in enumerate(cells):
        for b in range(b0, b1 + 1):
            for c in range(c0, c1 + 1):
                where[(b, c)] = n
    content: dict[int, list[_Word]] = {n: [] for n in range(len(cells))}
    for w in words:
        cx, cy = w.left + w.width / 2, w.top + w.height / 2
        b = bisect.bisect_right(grid.ys, cy) - 1
        c = bisect.bisect_right(grid.xs, cx) - 1
        if (b, c) in where:
            content[where[(b, c)]].append(w)
    lines_of = {n: _cell_lines(ws, h) for n, ws in content.items()}
    pitches = [
        (b[0].top + b[0].height / 2) - (a[0].top + a[0].height / 2)
        for lines in lines_of.values() for a, b in zip(lines, lines[1:])
    ]
    pitch = statistics.median(pitches) if pitches else 1.6 * h
    pads: dict[int, float] = {}
    for n, (_b0, c0, _b1, _c1) in enumerate(cells):
        for ln in lines_of[n]:
            pads[c0] = min(pads.get(c0, 1e9), ln[0].left - grid.xs[c0])
    rows: list[OcrRow] = []
    nb, nc = len(grid.ys) - 1, len(grid.xs) - 1
    for b in range(nb):
        out: list[OcrCell] = []
        c = 0
        any_text = False
        while c < nc:
            n = where[(b, c)]
            b0, c0, b1, c1 = cells[n]
            if b0 != b:  # covered by a cell that starts in a row above
                out.append(OcrCell([], [], 1))
                c += 1
                continue
            lines = lines_of[n]
            texts = [collapse_spaces(" ".join(w.text for w in ln)).strip() for ln in lines]
            any_text = any_text or any(texts)
            usable = (grid.xs[c1 + 1] - grid.xs[c0]) - 2 * max(0.0, pads.get(c0, 0.0))
            seps = [_cell_sep(a, bb, pitch, h, space, usable, grid.xs[c0] + max(0.0, pads.get(c0, 0.0))) for a, bb in zip(lines, lines[1:])]
            confs = [w.conf for ln in lines for w in ln if w.conf >= 0]
            out.append(OcrCell(texts, seps, c1 - c0 + 1, statistics.fmean(confs) if confs else None))
            c = c1 + 1
        if any_text:
            rows.append(OcrRow(float(grid.ys[b]), out))
    return OcrTable(edges=tuple(x * 72.0 / dpi for x in grid.xs), rows=rows)


def _cell_sep(prev: list[_Word], nxt: list[_Word], pitch: float, h: float, space: float, usable: float, inner_left: float) -> str:
    """"\\n" when the author broke the line (paragraph gap, the next word would have fitted, or a
    list item ending in ";" before a capital), else " " (a wrap). As the text-layer loader judges."""
    gap = (nxt[0].top + nxt[0].height / 2) - (prev[0].top + prev[0].height / 2)
    if gap - pitch > 0.35 * h:
        return "\n"
    first = nxt[0].text
    starts_lower = first[:1].islower()
    listed = prev[-1].text.rstrip().endswith(";") and first[:1].isupper()
    fits = (prev[-1].left + prev[-1].width - inner_left) + space + nxt[0].width <= usable - 0.2 * h
    return "\n" if (fits and not starts_lower) or listed else " "


_LETTERS = tuple("a b c d đ e g h i k l m n o p q r s t u v x y".split())
_POINT_RE = re.compile(r"^(?P<m>\S{1,2})\)(?=\s)")
# glyphs Tesseract reads instead of a point letter, by the letter expected next
_LOOKALIKES = {"i": {"1", "l", "I", "|", "í", "ì", "!", "j", "ï"}, "đ": {"d", "ð", "ơ"}}


class MarkerFixer:
    """Put back list markers Tesseract confuses, from the marker that must come next.

    Point letters: "h)" is followed by "i)", never "1)"; a second "d)" with no "a)" between is "đ)".
    Roman numerals: "II." right after "II." is "III." (an I lost), "Il."/"1I." are "II." when II
    comes next. Only at the start of a line, where a marker stands; anything else is left alone.
    """

    def __init__(self) -> None:
        self.last: str | None = None
        self.roman = 0

    def __call__(self, text: str) -> str:
        m = _ROMAN_MARK_RE.match(text)
        if m:
            return self._roman(text, m)
        m = _POINT_RE.match(text)
        if not m:
            return text
        mark = m.group("m")
        expected = None
        if self.last in _LETTERS and _LETTERS.index(self.last) + 1 < len(_LETTERS):
            expected = _LETTERS[_LETTERS.index(self.last) + 1]
        if mark not in _LETTERS and expected in _LOOKALIKES and mark in _LOOKALIKES[expected]:
            mark = expected
        elif mark == "d" and self.last == "d":
            mark = "đ"
        if mark in _LETTERS:
            self.last = mark
            return mark + text[m.end("m"):]
        return text

    def _roman(self, text: str, m: re.Match[str]) -> str:
        written = m.group("r")
        read = written.translate(_ROMAN_LOOKALIKE)
        value = _roman_value(read)
        want = self.roman + 1
        expected = _ROMANS[want] if want < len(_ROMANS) else None
        if value is None and expected is None:
            return text
        if expected is not None and (value is None or value == self.roman) and _one_i_apart(read, expected):
            read, value = expected, want
        if value is None:
            return text
        self.roman = value
        self.last = None  # points restart under a new part
        return read + text[m.end("r"):]


_ROMANS = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")
_ROMAN_MARK_RE = re.compile(r"^(?P<r>(?=[IVXl1|]*[IVX])[IVXl1|]{1,5})\.(?=\s)")  # "1." is a number
_ROMAN_LOOKALIKE = str.maketrans({"l": "I", "1": "I", "|": "I"})


def _roman_value(r: str) -> int | None:
    return _ROMANS.index(r) if r in _ROMANS[1:] else None


def _one_i_apart(a: str, b: str) -> bool:
    """Same numeral but for one "I" lost or gained ("II" / "III", "V" / "VI")."""
    return a == b or (a.replace("I", "", 1) == b or b.replace("I", "", 1) == a) or (
        len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 0
    )


def _run_tesseract(image_path: Path, psm: int) -> str:
    cmd = [_binary(), str(image_path), "stdout", "-l", LANG, "--psm", str(psm), "-c", "preserve_interword_spaces=0", "tsv"]
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", "1")  # one page at a time; threads only add contention here
    try:
        res = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, env=env)
    except subprocess.TimeoutExpired:
        raise IngestError(
            f"Nhận dạng chữ (OCR) quá thời gian ({TIMEOUT_S} giây một trang).",
            f"OCR timed out ({TIMEOUT_S} s for one page).",
            code="ocr_failed",
        ) from None
    except OSError as err:
        raise IngestError(
            f"Không chạy được tesseract ({err}). Hãy cài: {INSTALL_HINT}",
            f"Cannot run tesseract ({err}). Install it with: {INSTALL_HINT}",
            code="ocr_unavailable",
        ) from None
    if res.returncode != 0:
        detail = res.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {res.returncode}"]
        raise IngestError(
            f"Nhận dạng chữ (OCR) thất bại: {detail[0]}",
            f"OCR failed: {detail[0]}",
            code="ocr_failed",
        )
    return res.stdout.decode("utf-8", "replace")


def ocr_image(img, psm: int | None = None, *, prepare: bool = True, fixer: MarkerFixer | None = None) -> OcrPage:
    """OCR one page image: deskew and clean it (unless ``prepare`` is False), then Tesseract.

    Ruled tables are found on the cleaned image and their rules wiped before Tesseract reads it;
    words inside a table become its cells (:class:`OcrTable`), the others the page's lines.
    ``fixer`` carries the point-letter sequence from page to page (see :class:`MarkerFixer`)."""
    import numpy as np

    psm = psm or PSM
    angle = 0.0
    if prepare:
        img, angle = deskew(img.convert("L"))
        img = clean(img)
    grids = find_grids(np.asarray(img.convert("L")) < 128) if prepare else []
    if grids:
        img = wipe_rules(img, grids)
    with tempfile.TemporaryDirectory(prefix="tracuu-ocr-") as tmp:
        path = Path(tmp) / "page.png"
        img.save(path, dpi=(DPI, DPI))
        tsv = _run_tesseract(path, psm)
    raw = [ws for _, ws in _parse_tsv(tsv)]
    heights = [w.height for ws in raw for w in ws if len(w.text) > 1]
    h = statistics.median(heights) if heights else 20.0
    # a diacritic read as a word of its own ("QÓ" over "Bắt"): tiny and with no confidence at all
    raw = [[w for w in ws if not (w.conf < MARK_CONF and w.height < 0.6 * h)] for ws in raw]
    words = [w for ws in raw for w in ws if w.conf >= 0]
    conf = statistics.fmean(w.conf for w in words) if words else 0.0
    gaps = [b.left - a.right for ws in raw for a, b in zip(sorted(ws, key=lambda w: w.left), sorted(ws, key=lambda w: w.left)[1:])]
    space = statistics.median(gaps) if gaps else 0.4 * h
    tables: list[OcrTable] = []
    if grids:
        def inside(w: _Word, g: _Grid) -> bool:
            cx, cy = w.left + w.width / 2, w.top + w.height / 2
            return g.xs[0] <= cx <= g.xs[-1] and g.ys[0] <= cy <= g.ys[-1]

        for g in grids:
            tables.append(_table(g, [w for ws in raw for w in ws if inside(w, g)], h, space, DPI))
        raw = [[w for w in ws if not any(inside(w, g) for g in grids)] for ws in raw]
    fixer = fixer or MarkerFixer()
    lines = [replace(ln, text=fixer(ln.text)) for ln in lines_from_words(raw)]
    return OcrPage(lines=lines, confidence=round(conf, 2), skew=round(angle, 2), words=len(words), tables=tables)


def ocr_pdf_pages(data: bytes, pages: list[int], *, dpi: int | None = None, psm: int | None = None) -> dict[int, OcrPage]:
    """OCR the given 1-based ``pages`` of a PDF (bytes): {page: OcrPage} (defaults: :data:`DPI`, :data:`PSM`)."""
    import pypdfium2 as pdfium

    dpi = dpi or DPI
    psm = psm or PSM
    out: dict[int, OcrPage] = {}
    fixer = MarkerFixer()
    doc = pdfium.PdfDocument(data)
    try:
        for p in pages:
            page = doc[p - 1]
            try:
                img = render_page(page, dpi)
            finally:
                page.close()
            out[p] = ocr_image(img, psm, fixer=fixer)
    finally:
        doc.close()
    _unify_headers([t for p in sorted(out) for t in out[p].tables])
    groups = MarkerFixer()  # the appendix's group rows number I., II., III. ... of their own
    for p in sorted(out):
        for table in out[p].tables:
            for row in table.rows:
                if row.cells and row.cells[0].lines:
                    row.cells[0].lines[0] = groups(row.cells[0].lines[0])
    return out


@lru_cache(maxsize=1)
def _column_words() -> tuple[str, ...]:
    """Column names a task table uses (agencies.toml [columns] and the usual sub-columns)."""
    import tomllib

    names = {"STT", "TT", "Số TT", "Bắt đầu", "Hoàn thành", "Ghi chú", "Kinh phí", "Thời gian"}
    try:
        data = tomllib.loads((Path(__file__).resolve().parent.parent / "data" / "agencies.toml").read_text("utf-8"))
        for values in data.get("columns", {}).values():
            names.update(values)
    except (OSError, ValueError):
        pass
    return tuple(sorted(names))


def _snap(text: str) -> str:
    """A header cell read with an OCR slip ("Bát đầu", "Sản phấm") -> the column name it must be."""
    import difflib

    if not text or text in _column_words():
        return text
    best = max(_column_words(), key=lambda n: difflib.SequenceMatcher(None, n.lower(), text.lower()).ratio())
    return best if difflib.SequenceMatcher(None, best.lower(), text.lower()).ratio() >= SNAP_RATIO else text


def _header_rows(table: OcrTable) -> list[OcrRow]:
    """The rows at the top of a table that name its columns: "STT ..." and the rows under it whose
    first cell is empty (sub-columns), before the first numbered or group row."""
    rows: list[OcrRow] = []
    for row in table.rows:
        first = " ".join(row.cells[0].lines).strip() if row.cells else ""
        if not rows:
            if first.upper() not in ("STT", "TT", "SỐ TT"):
                break
        elif first or len(row.cells) < 2:
            break
        rows.append(row)
    return rows


def _unify_headers(tables: list[OcrTable]) -> None:
    """Header cells snapped to the usual column names; a header repeated on a later page is given
    the first reading, cell for cell (the text-layer loader recognises a repeat by equal text)."""
    known: list[list[OcrCell]] = []
    for table in tables:
        heads = _header_rows(table)
        for row in heads:
            for cell in row.cells:
                if len(cell.lines) == 1:
                    cell.lines = [_snap(cell.lines[0])]
                elif cell.lines:
                    joined = " ".join(cell.lines)
                    snapped = _snap(joined)
                    if snapped != joined:
                        cell.lines, cell.seps = [snapped], []
        if not known:
            known = [row.cells for row in heads]
            continue
        for n, row in enumerate(heads[: len(known)]):
            if len(row.cells) == len(known[n]) and all(_similar(a, b) for a, b in zip(row.cells, known[n])):
                row.cells = [OcrCell(list(k.lines), list(k.seps), k.col_span, c.confidence) for c, k in zip(row.cells, known[n])]


def _similar(a: OcrCell, b: OcrCell) -> bool:
    import difflib

    x, y = " ".join(a.lines), " ".join(b.lines)
    return a.col_span == b.col_span and (x == y or difflib.SequenceMatcher(None, x, y).ratio() >= SNAP_RATIO)
