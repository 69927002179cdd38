"""Résumé files (PDF, DOCX) built in memory for the import tests."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from bench import hostile_files

from matchday.imports.parsers import ResumeFileError, extract_text

RESUME_LINES = [
    "Ada Lovelace",
    "Senior ML Engineer",
    "Experience",
    "ML Engineer at Acme AI, Jan 2020 - Present",
    "- Cut p95 latency of PyTorch serving by 60% with int8 quantisation",
]


def make_pdf(lines: list[str] = RESUME_LINES, *, pages: int = 1) -> bytes:
    """A minimal valid PDF: ``pages`` pages, each showing ``lines`` in Helvetica."""
    return hostile_files.pdf([hostile_files.text_ops(lines)] * pages, compress=False)


def make_docx(paragraphs: list[str] = RESUME_LINES) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        if text.startswith("- "):
            document.add_paragraph(text[2:], style="List Bullet")
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, *, replace: dict[str, bytes] | None = None, add: dict | None = None):
    """A copy of the zip ``data`` with some parts replaced and some added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, replace.get(info.filename, src.read(info.filename)))
        for name, body in add.items():
            dst.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _refused(name: str, data: bytes) -> str:
    with pytest.raises(ResumeFileError) as info:
        extract_text(filename=name, data=data)
    return str(info.value)
