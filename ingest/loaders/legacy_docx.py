"""Word runs typed in TCVN3 (.VnTime) or VNI (VNI-Times) fonts, rewritten as Unicode before reading.

Why in the XML, before the docx loader walks it: the font is a property of the run, so only
here do we know which characters are legacy bytes ("¸" in a .VnTime run is "á"; in a Times New
Roman run it is a cedilla). Converting each run in place keeps paragraphs, tables and page
marks exactly as the loader reads them, and every offset afterwards is into the Unicode text.

A run's font is its own ``w:rFonts``, else its character style's, else its paragraph style's
(following ``basedOn``), else the document default. Theme fonts never name a legacy font.
"""

from __future__ import annotations

import re
from typing import Any

from tracuu.ingest.legacy import TCVN3, decode_run, font_encoding, score

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _font_of(rpr: Any) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(_w("rFonts"))
    if fonts is None:
        return None
    return fonts.get(_w("ascii")) or fonts.get(_w("hAnsi")) or fonts.get(_w("cs"))


class _StyleFonts:
    """The font each style sets, following basedOn; and the document default."""

    def __init__(self, styles_el: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.default: str | None = None
        if styles_el is None:
            return
        for st in styles_el.iter(_w("style")):
            sid = st.get(_w("styleId"))
            if sid:
                self.by_id[sid] = st
        defaults = styles_el.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        self.default = _font_of(defaults)

    def font(self, style_id: str | None, depth: int = 0) -> str | None:
        st = self.by_id.get(style_id or "")
        if st is None or depth > 20:
            return None
        own = _font_of(st.find(_w("rPr")))
        if own:
            return own
        based = st.find(_w("basedOn"))
        return self.font(based.get(_w("val")), depth + 1) if based is not None else None


def _val(el: Any, path: str) -> str | None:
    found = el.find(path)
    return found.get(_w("val")) if found is not None else None


_VIETNAMESE_UNICODE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")


def _already_unicode(run: Any) -> bool:
    """A run whose font (often inherited from a style) is .VnTime but whose text is already Unicode
    Vietnamese ("ế", "ạ", "đ" are beyond what an 8-bit font can hold): converting it would break it."""
    return any(_VIETNAMESE_UNICODE.search(t.text or "") for t in run.iter(_w("t")))


def _soft_hyphens_as_text(run: Any) -> None:
    """TCVN3 writes "ư" as byte 0xAD, the soft hyphen; Word and LibreOffice may store it as
    <w:softHyphen/> (a .doc always comes back that way). In a TCVN3 run it is a letter: make it text."""
    for el in list(run.iter(_w("softHyphen"))):
        t = el.makeelement(_w("t"), {})
        t.text = "\u00ad"
        el.getparent().replace(el, t)


def convert_legacy_runs(body: Any, styles_el: Any) -> set[str]:
    """Rewrite the text of every legacy-font run under ``body`` as Unicode; return the encodings met.

    Runs are grouped by font (encoding, capitals or not). A group is converted only when its text
    reads better converted than as it is (more common Vietnamese syllables), so a document already
    converted to Unicode whose styles still name .VnTime is left alone, however short its runs.
    """
    styles = _StyleFonts(styles_el)
    groups: dict[tuple[str, bool], list[Any]] = {}
    for p in body.iter(_w("p")):
        p_font = styles.font(_val(p, f"{_w('pPr')}/{_w('pStyle')}")) or styles.font("Normal") or styles.default
        for r in p.iter(_w("r")):
            rpr = r.find(_w("rPr"))
            font = _font_of(rpr)
            if font is None and rpr is not None:
                font = styles.font(_val(rpr, _w("rStyle")))
            enc = font_encoding(font or p_font)
            if enc is not None:
                groups.setdefault(enc, []).append(r)
    met: set[str] = set()
    for (encoding, upper), runs in groups.items():
        if any(_already_unicode(r) for r in runs):
            continue
        text = " ".join(t.text or "" for r in runs for t in r.iter(_w("t")))
        if score(decode_run(text, encoding, upper)) < score(text) or not text.strip():
            continue
        for r in runs:
            if encoding == TCVN3:
                _soft_hyphens_as_text(r)
            for t in r.iter(_w("t")):
                if t.text:
                    t.text = decode_run(t.text, encoding, upper)
        met.add(encoding)
    return met


__all__ = ["convert_legacy_runs"]
