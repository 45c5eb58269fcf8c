"""The monthly 帮扶情况 report as a Word document (python-docx): data in, .docx bytes out."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

FONT = "宋体"  # what county offices' templates use; Word substitutes where it is missing


def docx_bytes(title: str, subtitle: str, sections: Sequence[tuple[str, str]]) -> bytes:
    """A title, a subtitle line, then each section's heading and its paragraphs."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    heading = doc.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name, text in sections:
        doc.add_heading(name, level=1)
        for line in text.splitlines():
            if line.strip():
                doc.add_paragraph(line.strip())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
