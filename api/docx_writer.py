"""Word documents laid out as Vietnamese administrative writing expects, with python-docx.

Why one small module: the report basket and the agency brief both hand officials a .docx they
will paste into or print, so both follow the same house style (Nghị định 30/2020/NĐ-CP habits):
Times New Roman 13-14 pt, A4 with 2-3 cm margins, justified paragraphs. python-docx has no
footnote API, so :func:`add_footnote` writes the footnotes part itself (the OOXML shape Word
and LibreOffice both read).
"""

from __future__ import annotations

import copy
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
BODY_PT = 13
TITLE_PT = 14
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_XML = (
    f'<w:footnotes xmlns:w="{_W}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def new_document() -> Document:
    """An empty A4 document in Times New Roman 13 pt, margins 2 cm top/bottom, 3 cm left, 2 cm right."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(6)
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
    return doc


def heading(doc: Document, text: str, size: int = TITLE_PT, center: bool = True, upper: bool = False):
    p = doc.add_paragraph()
    run = p.add_run(text.upper() if upper else text)
    run.bold = True
    run.font.size = Pt(size)
    run.font.name = FONT
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def paragraph(doc: Document, text: str = "", italic: bool = False, bold: bool = False, justify: bool = True, indent: bool = False):
    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        run.italic = italic
        run.bold = bold
        run.font.name = FONT
    if justify:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    return p


def _footnotes_part(doc: Document) -> Part:
    main = doc.part
    for rel in main.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            return rel.target_part
    part = Part(PackURI("/word/footnotes.xml"), _FOOTNOTES_CT, _FOOTNOTES_XML.encode("utf-8"), main.package)
    main.relate_to(part, RT.FOOTNOTES)
    return part


def add_footnote(doc: Document, paragraph_, text: str) -> int:
    """Append a footnote reference to ``paragraph_`` whose note reads ``text``; returns its number."""
    part = _footnotes_part(doc)
    root = parse_xml(part.blob)
    number = max([int(n.get(qn("w:id"))) for n in root.findall(qn("w:footnote"))] + [0]) + 1
    note = parse_xml(
        f'<w:footnote xmlns:w="{_W}" w:id="{number}"><w:p>'
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
    )
    run = note.find(qn("w:p")).findall(qn("w:r"))[-1]
    run.find(qn("w:t")).text = " " + text
    rpr = parse_xml(f'<w:rPr xmlns:w="{_W}"><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/><w:sz w:val="22"/></w:rPr>')
    run.insert(0, rpr)
    root.append(note)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    ref = paragraph_.add_run()
    rpr_ref = ref._element.get_or_add_rPr()
    rpr_ref.append(copy.deepcopy(parse_xml(f'<w:vertAlign xmlns:w="{_W}" w:val="superscript"/>')))
    ref._element.append(parse_xml(f'<w:footnoteReference xmlns:w="{_W}" w:id="{number}"/>'))
    return number


def footnote_texts(doc: Document) -> dict[int, str]:
    """Footnote number -> its text (what a reader of the exported file sees); for tests and checks."""
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            root = parse_xml(rel.target_part.blob)
            out = {}
            for note in root.findall(qn("w:footnote")):
                n = int(note.get(qn("w:id")))
                if n > 0:
                    out[n] = "".join(t.text or "" for t in note.iter(qn("w:t"))).strip()
            return out
    return {}


def to_bytes(doc: Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


__all__ = ["DOCX_TYPE", "new_document", "heading", "paragraph", "add_footnote", "footnote_texts", "to_bytes"]
