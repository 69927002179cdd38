"""Résumé files: real PDF, DOCX and text read to text; every hostile file refused with its
message, before any parser is at risk. Every file is generated here."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from matchday.imports import parsers
from matchday.imports.parsers import extract_text
from tests.resume_files import (
    RESUME_LINES,
    _refused,
    make_docx,
    make_pdf,
    rezip,
)


def test_generated_pdf_is_read_by_pypdf_itself():
    assert "Acme AI" in PdfReader(io.BytesIO(make_pdf())).pages[0].extract_text()


@pytest.mark.parametrize(
    ("name", "factory", "kind"),
    [
        ("cv.pdf", make_pdf, "pdf"),
        ("cv.docx", make_docx, "docx"),
        ("cv.txt", lambda: "\n".join(RESUME_LINES).encode(), "text"),
    ],
)
def test_each_supported_format_yields_the_resume_text(name, factory, kind):
    result = extract_text(filename=name, data=factory())
    assert result.kind == kind
    assert "ML Engineer at Acme AI" in result.text
    assert "60%" in result.text
    assert not result.truncated


def test_docx_list_paragraphs_keep_a_bullet():
    text = extract_text(filename="cv.docx", data=make_docx()).text
    assert "• Cut p95 latency" in text


def test_latin1_text_file_is_decoded():
    data = "Zoë Müller\nIngénieure ML".encode("latin-1")
    assert extract_text(filename="cv.txt", data=data).text == "Zoë Müller\nIngénieure ML"


def test_extracted_text_is_capped(settings):
    settings.MATCHDAY_RESUME_MAX_CHARS = 50
    result = extract_text(filename="cv.txt", data=("word " * 100).encode())
    assert result.truncated
    assert len(result.text) == 50


def test_oversized_file_is_refused_before_reading(settings):
    settings.MATCHDAY_RESUME_MAX_BYTES = 1000
    message = _refused("cv.txt", b"a" * 1001)
    assert message == "The file is 1001 bytes; the limit is 1000 bytes."


def test_encrypted_pdf_is_refused():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert _refused("cv.pdf", out.getvalue()) == parsers.ENCRYPTED_PDF


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R",  # truncated mid-object
        b"%PDF-1.7\n" + b"\x00\xff garbage " * 50,  # a header and nothing else
        make_pdf()[:120],  # the start of a real file
    ],
    ids=["truncated-object", "garbage-body", "cut-short"],
)
def test_malformed_or_truncated_pdf_is_refused(data):
    assert _refused("cv.pdf", data) == parsers.MALFORMED_PDF


def test_pdf_over_the_page_cap_is_refused(settings):
    settings.MATCHDAY_RESUME_MAX_PAGES = 3
    message = _refused("cv.pdf", make_pdf(["page"], pages=4))
    assert message == "The PDF has 4 pages; résumés of at most 3 pages are accepted."


def test_docx_zip_bomb_is_refused_by_its_declared_size(settings):
    settings.MATCHDAY_DOCX_MAX_UNCOMPRESSED = 5 * 1024 * 1024
    bomb = rezip(make_docx(), add={"word/media/bomb.bin": b"\0" * (6 * 1024 * 1024)})
    assert len(bomb) < 100_000  # highly compressible: tiny on the wire
    message = _refused("cv.docx", bomb)
    assert message == parsers.ZIP_TOO_LARGE.format(limit=5 * 1024 * 1024)


def test_docx_with_a_suspicious_compression_ratio_is_refused():
    # 2 MB of zeros: under the size cap, but compressed about 1000:1.
    bomb = rezip(make_docx(), add={"word/media/zeros.bin": b"\0" * (2 * 1024 * 1024)})
    assert _refused("cv.docx", bomb) == parsers.ZIP_RATIO


def test_docx_with_too_many_entries_is_refused(settings):
    settings.MATCHDAY_DOCX_MAX_ENTRIES = 50
    many = rezip(make_docx(), add={f"customXml/item{i}.xml": b"<a/>" for i in range(60)})
    message = _refused("cv.docx", many)
    assert message.startswith("The Word file contains ") and "at most 50" in message


@pytest.mark.parametrize(
    "declaration",
    [
        b'<!DOCTYPE w [<!ENTITY lol "lol">]>',
        b'<!DOCTYPE w SYSTEM "file:///etc/passwd">',
        b'<!ENTITY xxe SYSTEM "http://example.com/">',
    ],
    ids=["billion-laughs-style", "external-doctype", "external-entity"],
)
def test_docx_declaring_xml_entities_is_refused_before_parsing(declaration):
    original = make_docx()
    with zipfile.ZipFile(io.BytesIO(original)) as zf:
        xml = zf.read("word/document.xml")
    head, _, rest = xml.partition(b"?>")
    hostile = rezip(original, replace={"word/document.xml": head + b"?>" + declaration + rest})
    assert _refused("cv.docx", hostile) == parsers.XML_ENTITIES


def test_zip_without_word_parts_is_refused_as_malformed():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    assert _refused("cv.docx", out.getvalue()) == parsers.MALFORMED_DOCX


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "cv.pdf",
            b"Just some text, not a PDF",
            parsers.CONTENT_MISMATCH.format(kind="PDF", ext=".pdf"),
        ),
        (
            "cv.docx",
            b"%PDF-1.4 pretending",
            parsers.CONTENT_MISMATCH.format(kind="Word (.docx)", ext=".docx"),
        ),
        ("cv.pdf", make_docx(), parsers.CONTENT_MISMATCH.format(kind="PDF", ext=".pdf")),
        ("cv.txt", make_pdf(), parsers.CONTENT_MISMATCH.format(kind="plain text", ext=".txt")),
        ("cv.txt", b"MZ\x90\x00\x03\x00\x00\x00binary", parsers.NOT_TEXT),
        (
            "cv.docx",
            b"PK\x03\x04 not really a zip",
            parsers.CONTENT_MISMATCH.format(kind="Word (.docx)", ext=".docx"),
        ),
        ("cv.exe", b"anything", parsers.UNSUPPORTED_TYPE),
    ],
    ids=[
        "text-as-pdf",
        "pdf-as-docx",
        "docx-as-pdf",
        "pdf-as-txt",
        "binary-as-txt",
        "fake-zip",
        "unsupported-extension",
    ],
)
def test_content_not_matching_its_extension_is_refused(name, data, message):
    assert _refused(name, data) == message


def test_empty_file_and_textless_pdf_are_refused():
    assert _refused("cv.txt", b"") == parsers.EMPTY_FILE
    assert _refused("cv.pdf", make_pdf([])) == parsers.NO_TEXT
