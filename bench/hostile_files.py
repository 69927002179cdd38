"""Hostile résumé and JSON Resume files: each refused or parsed within 2 s CPU and 256 MB.

    .venv/bin/python bench/hostile_files.py            # every file, a table
    .venv/bin/python bench/hostile_files.py --only pdf  # files whose name contains "pdf"
    .venv/bin/python bench/hostile_files.py --write DIR # also write the files to DIR

Every file is generated here (deterministically; nothing is downloaded) and handed to the
import sandbox exactly as an upload is (``matchday.imports.sandbox.run``, default
``ImportLimits``). The figures are measured in the process that parses: the child's user +
system CPU seconds and its peak resident set size, both from ``wait4`` (so they include
the child's start: Python, pypdf/python-docx/jsonschema imports and the taxonomy, which
the ``baseline`` row — a minimal valid résumé — shows on its own). The ratio column is
CPU seconds over the baseline's, like for like (both sides are whole child processes).

``CATALOGUE`` lists each file (name, job, upload name, bytes factory, expected outcome); the
tests (``tests/app/test_imports_hostile.py``) run the same files and assert each outcome's
exact message. The goal: every file refused or parsed in under 2 s CPU and 256 MB peak.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from matchday.imports import jsonresume, parsers, sandbox  # noqa: E402
from matchday.imports.limits import MB, ImportLimits  # noqa: E402

GOAL_CPU_S = 2.0
GOAL_PEAK_MB = 256.0

RESUME_LINES = [
    "Ada Lovelace",
    "Senior ML Engineer",
    "Experience",
    "ML Engineer at Acme AI, Jan 2020 - Present",
    "- Cut p95 latency of PyTorch serving by 60% with int8 quantisation",
    "Education",
    "MSc in Mathematics, University of London, 2015",
]

# -- PDF ----------------------------------------------------------------------------------


def pdf(
    pages: list[bytes],
    *,
    compress: bool = True,
    extra: list[bytes] | None = None,
    resources: bytes = b"/Font << /F1 3 0 R >>",
) -> bytes:
    """A PDF whose pages show the given content streams (FlateDecode when ``compress``);
    ``extra`` objects follow the pages (numbered from 4 + 2 * len(pages))."""
    streams = [
        _stream(zlib.compress(content, 9), b"/Filter /FlateDecode")
        if compress
        else _stream(content)
        for content in pages
    ]
    return _pdf_of_streams(streams, extra=extra or [], resources=resources)


def _stream(body: bytes, filters: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(body), filters) + body + b"\nendstream"


def _pdf_of_streams(streams: list[bytes], *, extra: list[bytes], resources: bytes) -> bytes:
    """Catalog, page tree and a Helvetica font (objects 1-3), then a page and its content
    stream per entry of ``streams``, then ``extra``."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    page_ids = [4 + 2 * i for i in range(len(streams))]
    kids = " ".join(f"{p} 0 R" for p in page_ids).encode()
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(streams)))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for pid, stream in zip(page_ids, streams, strict=True):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << %s >> >>" % (pid + 1, resources)
        )
        objects.append(stream)
    return _pdf_from_objects(objects + extra)


def text_ops(lines: list[str]) -> bytes:
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops += [f"({escaped}) Tj", "T*"]
    return "\n".join([*ops, "ET"]).encode("latin-1")


def deflate_repeated(unit: bytes, total: int) -> bytes:
    """``unit`` repeated to ``total`` bytes, deflated without holding the whole in memory."""
    comp = zlib.compressobj(9)
    chunk = unit * (MB // len(unit))
    parts, done = [], 0
    while done < total:
        piece = chunk[: total - done]
        parts.append(comp.compress(piece))
        done += len(piece)
    parts.append(comp.flush())
    return b"".join(parts)


def pdf_flate_bomb(pages: int = 20, per_page: int = 70 * 1000 * 1000) -> bytes:
    """The reported file: every page's content a 70 MB FlateDecode stream of font operators."""
    stream = _stream(deflate_repeated(b"/F1 12 Tf\n", per_page), b"/Filter /FlateDecode")
    return _pdf_of_streams([stream] * pages, extra=[], resources=b"/Font << /F1 3 0 R >>")


def _pdf_from_objects(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def pdf_single_gigabyte_stream() -> bytes:
    body = deflate_repeated(b"\0", 1024 * MB)
    return _pdf_one_page_stream(b"/Filter /FlateDecode", body)


def _pdf_one_page_stream(filters: bytes, body: bytes) -> bytes:
    return _pdf_of_streams([_stream(body, filters)], extra=[], resources=b"")


def pdf_run_length_bomb() -> bytes:
    """RunLengthDecode: each 2-byte run (257 - 129 = 128 copies) expands 64x: 4 MB -> 256 MB."""
    return _pdf_one_page_stream(b"/Filter /RunLengthDecode", b"\x81 " * (2 * MB) + b"\x80")


def pdf_nested_flate_bomb() -> bytes:
    """Two FlateDecode layers: 1 GB of zeros deflated twice, a few KB on disk."""
    body = zlib.compress(deflate_repeated(b"\0", 1024 * MB), 9)
    return _pdf_one_page_stream(b"/Filter [/FlateDecode /FlateDecode]", body)


def pdf_text_heavy(pages: int, bytes_per_page: int) -> bytes:
    line = "Built distributed training for PyTorch models on Kubernetes, cut cost by 40%"
    per_page = text_ops([line] * (bytes_per_page // (len(line) + 8)))
    return pdf([per_page] * pages)


def pdf_many_objects(count: int = 60_000) -> bytes:
    return pdf([text_ops(RESUME_LINES)], extra=[b"<< /N %d >>" % i for i in range(count)])


def pdf_many_pages(count: int = 5_000) -> bytes:
    return pdf([text_ops(["page"])] * count)


def pdf_big_image() -> bytes:
    """A 60 MB FlateDecode image (never decoded for text) next to a real page."""
    image = deflate_repeated(b"\x80\x40\x20", 60 * MB)
    xobject = (
        b"<< /Type /XObject /Subtype /Image /Width 5000 /Height 4000 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length %d /Filter /FlateDecode >>\nstream\n"
        % len(image)
        + image
        + b"\nendstream"
    )
    return pdf(
        [text_ops(RESUME_LINES) + b"\nq 100 0 0 80 50 50 cm /Im1 Do Q"],
        extra=[xobject],
        resources=b"/Font << /F1 3 0 R >> /XObject << /Im1 6 0 R >>",
    )


def pdf_unused_stream(size: int = 31 * MB) -> bytes:
    """A stream just under the stream cap that nothing draws: decoded once, then unused."""
    body = deflate_repeated(b"junk ", size)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    return pdf([text_ops(RESUME_LINES)], extra=[stream])


def pdf_self_drawing_form() -> bytes:
    """A form XObject that draws itself (and a page that draws it)."""
    form_body = b"q /Fm1 Do Q"
    form = (
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject "
        b"<< /Fm1 6 0 R >> >> /Length %d >>\nstream\n" % len(form_body) + form_body + b"\nendstream"
    )
    return pdf(
        [text_ops(RESUME_LINES) + b"\n/Fm1 Do"],
        extra=[form],
        resources=b"/Font << /F1 3 0 R >> /XObject << /Fm1 6 0 R >>",
    )


def pdf_deep_arrays(depth: int = 200_000) -> bytes:
    return pdf([b"[" * depth + b"]" * depth + b"\n" + text_ops(RESUME_LINES)])


def pdf_broken_xref() -> bytes:
    """No usable xref: pypdf rebuilds it by scanning 5 MB of object headers."""
    body = b"".join(b"%d 0 obj\n<< /N %d >>\nendobj\n" % (i, i) for i in range(1, 180_000))
    return b"%PDF-1.4\n" + body[: 5 * MB - 100] + b"\nstartxref\n999999999\n%%EOF\n"


def pdf_encrypted() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf([text_ops(RESUME_LINES)]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- DOCX ---------------------------------------------------------------------------------

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx(body: bytes, *, prefix: bytes = b"w", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx whose document body is ``body`` (elements with prefix ``prefix``)."""
    ns = parsers.WORD_NS.encode()
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<%s:document xmlns:%s="%s"><%s:body>'
        % (prefix, prefix, ns, prefix)
        + body
        + b"</%s:body></%s:document>" % (prefix, prefix)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def paragraphs(lines: list[str], prefix: bytes = b"w") -> bytes:
    p = prefix
    return b"".join(
        b"<%s:p><%s:r><%s:t>%s</%s:t></%s:r></%s:p>" % (p, p, p, line.encode(), p, p, p)
        for line in lines
    )


def docx_600k_paragraphs() -> bytes:
    return docx(paragraphs(RESUME_LINES) + b"<w:p/>" * 600_000)


def docx_600k_text_paragraphs() -> bytes:
    """As reported: 600,000 short paragraphs of text, about 1.7 MB zipped."""
    return docx(paragraphs([f"item {i:x}" for i in range(600_000)]))


def docx_100k_text_paragraphs() -> bytes:
    """Under the XML cap, over the paragraph cap."""
    return docx(paragraphs([f"item {i:x}" for i in range(100_000)]))


def docx_other_prefix_paragraphs() -> bytes:
    return docx(paragraphs(RESUME_LINES, b"x") + b"<x:p/>" * 20_000, prefix=b"x")


def docx_long_paragraphs() -> bytes:
    """Just under the paragraph and XML caps: 4,900 paragraphs of 1,500 characters."""
    rng = random.Random(9)
    vocabulary = [f"{w}{n}" for w in ("kube", "torch", "cost", "gpu", "infra") for n in range(200)]
    lines = [" ".join(rng.choices(vocabulary, k=250))[:1500] for _ in range(4_900)]
    return docx(paragraphs(RESUME_LINES + lines))


def docx_table_cells() -> bytes:
    cell = b"<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>"
    return docx(paragraphs(RESUME_LINES) + b"<w:tbl><w:tr>" + cell * 20_000 + b"</w:tr></w:tbl>")


def docx_zip_bomb() -> bytes:
    """A 1 GB part of zeros; the zip declares its size honestly."""
    out = io.BytesIO(docx(paragraphs(RESUME_LINES)))
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("word/media/bomb.bin", "w", force_zip64=True) as part,
    ):
        chunk = b"\0" * (16 * MB)
        for _ in range(64):
            part.write(chunk)
    return out.getvalue()


def docx_lying_sizes() -> bytes:
    """document.xml's headers declare 100 bytes; its deflated data holds 30 MB."""
    real = docx(paragraphs(RESUME_LINES) + b"<w:p/>" * (5 * MB))
    data = bytearray(real)
    # Patch the declared uncompressed size (local header and central directory) to 100.
    with zipfile.ZipFile(io.BytesIO(real)) as zf:
        info = zf.getinfo("word/document.xml")
    size = info.file_size.to_bytes(4, "little")
    start = 0
    while (at := data.find(size, start)) != -1:
        data[at : at + 4] = (100).to_bytes(4, "little")
        start = at + 4
    return bytes(data)


def docx_billion_laughs() -> bytes:
    lol = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    ns = parsers.WORD_NS.encode()
    document = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [' + lol + b']><w:document xmlns:w="%s">'
        b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>" % ns
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", document)
    return out.getvalue()


def docx_many_entries() -> bytes:
    return docx(
        paragraphs(RESUME_LINES), extra={f"customXml/i{i}.xml": b"<a/>" for i in range(5000)}
    )


def docx_deep_xml() -> bytes:
    return docx(b"<w:p>" * 50_000 + b"</w:p>" * 50_000)


def docx_nested_zip() -> bytes:
    inner = docx_zip_bomb()
    return docx(paragraphs(RESUME_LINES), extra={"word/embeddings/inner.zip": inner})


# -- text -----------------------------------------------------------------------------------


def text_em_spaces(size: int = 60_000) -> bytes:
    """The reported file: a résumé whose spaces are runs of U+2003 (em space)."""
    lines = [
        "Ada Lovelace",
        "Experience",
        "Senior ML Engineer at Acme AI, Jan 2020 – Present",
        "• Cut GPU cost by 40% across 300 nodes",
        "Education",
        "MSc in Mathematics | University of London | 2015",
    ]
    unit = "\n".join(line.replace(" ", "\u2003" * 40) for line in lines) + "\n"
    text = (unit * (size // len(unit.encode()) + 1)).encode()[:size]
    return text.decode("utf-8", "ignore").encode()


def text_one_line(size: int = 5 * MB - 1) -> bytes:
    return (b"Python Kubernetes 40% " * (size // 22 + 1))[:size]


def text_invalid_utf8() -> bytes:
    return "\n".join(RESUME_LINES).encode() + b"\n\xff\xfe\xc3\x28 caf\xe9 \xed\xa0\x80"


def text_nul_bytes() -> bytes:
    return b"Ada\x00Lovelace\x00" * 1000


def text_control_characters() -> bytes:
    return b"Ada Lovelace\x07\x08\x1b[31m" * 5000


def text_html_pdf_polyglot() -> bytes:
    """Text that is also an HTML page with a script and carries a PDF inside."""
    return (
        b"<html><script>alert(1)</script>\n"
        + "\n".join(RESUME_LINES).encode()
        + b"\n"
        + pdf([text_ops(["hidden"])], compress=False)
    )


def pdf_zip_polyglot() -> bytes:
    """A valid PDF with a valid .docx appended (zip readers find the end directory)."""
    return pdf([text_ops(RESUME_LINES)]) + docx(paragraphs(RESUME_LINES))


# -- JSON Resume ----------------------------------------------------------------------------


def json_keywords(count: int = 90_000) -> bytes:
    """The reported file: about 1 MB, 90,000 unknown skill keywords."""
    words = [f"k{i:05x}" for i in range(count)]
    return json.dumps({"skills": [{"name": "Everything", "keywords": words}]}).encode()


def json_nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def json_nested_object(depth: int) -> bytes:
    return b'{"meta": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}"


def json_huge_string() -> bytes:
    return json.dumps({"basics": {"summary": "x" * (MB - 100)}}).encode()


def json_many_values() -> bytes:
    return json.dumps({"meta": {"junk": [0] * 300_000}}).encode()


def json_many_work_entries() -> bytes:
    return json.dumps({"work": [{"name": "A"}] * 60_000}).encode()


def json_just_under() -> bytes:
    """Just under the value and size caps: 800 work entries with long highlights."""
    work = [
        {
            "name": f"Co {i}",
            "position": "Engineer",
            "startDate": "2020-01-01",
            "highlights": [f"Cut cost by {i % 90}% on {'x' * 150}" for _ in range(5)],
        }
        for i in range(800)
    ]
    return json.dumps({"basics": {"name": "A"}, "work": work}).encode()


def json_invalid_utf8() -> bytes:
    return b'{"basics": {"name": "\xff\xfe"}}'


def json_too_large() -> bytes:
    return json.dumps({"basics": {"summary": "x" * (2 * MB)}}).encode()


def json_duplicate_keys() -> bytes:
    return b'{"basics": {"name": "A"' + b', "name": "B"' * 80_000 + b"}}"


def json_long_number() -> bytes:
    return b'{"meta": {"n": ' + b"9" * 900_000 + b"}}"


# -- the catalogue --------------------------------------------------------------------------

L = ImportLimits()
PARSED = "parsed"


@dataclass(frozen=True)
class Hostile:
    name: str
    job: str  # "resume" | "jsonresume"
    upload_name: str  # the uploaded file's name ("" for JSON Resume)
    factory: Callable[[], bytes]
    expected: str  # PARSED, or the start of the refusal message


CATALOGUE = [
    Hostile(
        "baseline-minimal-resume.txt",
        "resume",
        "cv.txt",
        lambda: "\n".join(RESUME_LINES).encode(),
        PARSED,
    ),
    Hostile("text-60kb-u2003.txt", "resume", "cv.txt", text_em_spaces, PARSED),
    Hostile("text-5mb-one-line.txt", "resume", "cv.txt", text_one_line, PARSED),
    Hostile("text-invalid-utf8.txt", "resume", "cv.txt", text_invalid_utf8, PARSED),
    Hostile("text-nul-bytes.txt", "resume", "cv.txt", text_nul_bytes, parsers.NOT_TEXT),
    Hostile(
        "text-control-characters.txt", "resume", "cv.txt", text_control_characters, parsers.NOT_TEXT
    ),
    Hostile(
        "text-over-size.txt",
        "resume",
        "cv.txt",
        lambda: b"a" * (L.resume_max_bytes + 1),
        parsers.TOO_LARGE.format(size=L.resume_max_bytes + 1, limit=L.resume_max_bytes),
    ),
    Hostile("polyglot-html-script-pdf.txt", "resume", "cv.txt", text_html_pdf_polyglot, PARSED),
    Hostile("polyglot-pdf-zip.pdf", "resume", "cv.pdf", pdf_zip_polyglot, PARSED),
    Hostile(
        "polyglot-pdf-zip-as.docx",
        "resume",
        "cv.docx",
        pdf_zip_polyglot,
        parsers.CONTENT_MISMATCH.format(kind="Word (.docx)", ext=".docx"),
    ),
    Hostile(
        "pdf-20-pages-70mb-flate-each.pdf",
        "resume",
        "cv.pdf",
        pdf_flate_bomb,
        parsers.PDF_STREAMS_TOO_LARGE.format(limit="32 MB"),
    ),
    Hostile(
        "pdf-1gb-flate-stream.pdf",
        "resume",
        "cv.pdf",
        pdf_single_gigabyte_stream,
        parsers.PDF_STREAMS_TOO_LARGE.format(limit="32 MB"),
    ),
    Hostile(
        "pdf-double-flate-1gb.pdf",
        "resume",
        "cv.pdf",
        pdf_nested_flate_bomb,
        parsers.PDF_STREAMS_TOO_LARGE.format(limit="32 MB"),
    ),
    Hostile(
        "pdf-run-length-256mb.pdf",
        "resume",
        "cv.pdf",
        pdf_run_length_bomb,
        parsers.PDF_STREAMS_TOO_LARGE.format(limit="32 MB"),
    ),
    Hostile(
        "pdf-20-pages-150kb-text-each.pdf",
        "resume",
        "cv.pdf",
        lambda: pdf_text_heavy(20, 150_000),
        parsers.PDF_CONTENT_TOO_LARGE.format(limit="2 MB"),
    ),
    Hostile(
        "pdf-1-page-1.9mb-text.pdf",
        "resume",
        "cv.pdf",
        lambda: pdf_text_heavy(1, 1_900_000),
        PARSED,
    ),
    Hostile(
        "pdf-60k-objects.pdf",
        "resume",
        "cv.pdf",
        pdf_many_objects,
        parsers.PDF_TOO_MANY_OBJECTS.format(count=60_005, limit=L.pdf_max_objects),
    ),
    Hostile(
        "pdf-5000-pages.pdf",
        "resume",
        "cv.pdf",
        pdf_many_pages,
        parsers.TOO_MANY_PAGES.format(pages=5000, limit=L.resume_max_pages),
    ),
    Hostile("pdf-60mb-image.pdf", "resume", "cv.pdf", pdf_big_image, PARSED),
    Hostile("pdf-31mb-unused-stream.pdf", "resume", "cv.pdf", pdf_unused_stream, PARSED),
    Hostile(
        "pdf-20-pages-95kb-text-each.pdf",
        "resume",
        "cv.pdf",
        lambda: pdf_text_heavy(20, 95_000),
        PARSED,
    ),
    Hostile("pdf-self-drawing-form.pdf", "resume", "cv.pdf", pdf_self_drawing_form, PARSED),
    Hostile(
        "pdf-200k-nested-arrays.pdf", "resume", "cv.pdf", pdf_deep_arrays, parsers.MALFORMED_PDF
    ),
    Hostile(
        "pdf-broken-xref-180k-objects.pdf",
        "resume",
        "cv.pdf",
        pdf_broken_xref,
        parsers.PDF_TOO_MANY_OBJECTS.format(count=151_805, limit=L.pdf_max_objects),
    ),
    Hostile("pdf-encrypted.pdf", "resume", "cv.pdf", pdf_encrypted, parsers.ENCRYPTED_PDF),
    Hostile(
        "docx-600k-paragraphs.docx",
        "resume",
        "cv.docx",
        docx_600k_text_paragraphs,
        parsers.DOCX_XML_TOO_LARGE.format(limit="8 MB"),
    ),
    Hostile(
        "docx-100k-paragraphs.docx",
        "resume",
        "cv.docx",
        docx_100k_text_paragraphs,
        parsers.DOCX_TOO_MANY_PARAGRAPHS.format(limit=L.docx_max_paragraphs),
    ),
    Hostile(
        "docx-600k-empty-paragraphs.docx",
        "resume",
        "cv.docx",
        docx_600k_paragraphs,
        parsers.ZIP_RATIO,
    ),
    Hostile(
        "docx-paragraphs-other-prefix.docx",
        "resume",
        "cv.docx",
        docx_other_prefix_paragraphs,
        parsers.DOCX_TOO_MANY_PARAGRAPHS.format(limit=L.docx_max_paragraphs),
    ),
    Hostile("docx-4900-long-paragraphs.docx", "resume", "cv.docx", docx_long_paragraphs, PARSED),
    Hostile(
        "docx-20k-table-cells.docx",
        "resume",
        "cv.docx",
        docx_table_cells,
        parsers.DOCX_TOO_MANY_PARAGRAPHS.format(limit=L.docx_max_paragraphs),
    ),
    Hostile(
        "docx-1gb-zip-bomb.docx",
        "resume",
        "cv.docx",
        docx_zip_bomb,
        parsers.ZIP_TOO_LARGE.format(limit=L.docx_max_uncompressed),
    ),
    Hostile("docx-lying-sizes.docx", "resume", "cv.docx", docx_lying_sizes, parsers.MALFORMED_DOCX),
    Hostile(
        "docx-billion-laughs.docx", "resume", "cv.docx", docx_billion_laughs, parsers.XML_ENTITIES
    ),
    Hostile(
        "docx-5000-parts.docx",
        "resume",
        "cv.docx",
        docx_many_entries,
        parsers.ZIP_TOO_MANY_ENTRIES.format(count=5003, limit=L.docx_max_entries),
    ),
    Hostile(
        "docx-50k-deep-elements.docx", "resume", "cv.docx", docx_deep_xml, parsers.MALFORMED_DOCX
    ),
    Hostile("docx-nested-zip-bomb.docx", "resume", "cv.docx", docx_nested_zip, PARSED),
    Hostile(
        "json-90k-unknown-keywords.json",
        "jsonresume",
        "",
        json_keywords,
        jsonresume.TOO_MANY_VALUES.format(limit=L.json_max_values),
    ),
    Hostile(
        "json-5k-unknown-keywords.json",
        "jsonresume",
        "",
        lambda: json_keywords(5_000),
        jsonresume.TOO_MANY_KEYWORDS.format(count=5_001, limit=L.json_max_keywords),
    ),
    Hostile(
        "json-nested-500k.json",
        "jsonresume",
        "",
        lambda: json_nested(500_000),
        jsonresume.TOO_DEEP.format(limit=L.json_max_depth),
    ),
    Hostile(
        "json-nested-objects-100.json",
        "jsonresume",
        "",
        lambda: json_nested_object(100),
        jsonresume.TOO_DEEP.format(limit=L.json_max_depth),
    ),
    Hostile("json-1mb-string.json", "jsonresume", "", json_huge_string, PARSED),
    Hostile(
        "json-300k-values.json",
        "jsonresume",
        "",
        json_many_values,
        jsonresume.TOO_MANY_VALUES.format(limit=L.json_max_values),
    ),
    Hostile(
        "json-60k-work-entries.json",
        "jsonresume",
        "",
        json_many_work_entries,
        jsonresume.TOO_MANY_VALUES.format(limit=L.json_max_values),
    ),
    Hostile("json-800-work-entries.json", "jsonresume", "", json_just_under, PARSED),
    Hostile("json-80k-duplicate-keys.json", "jsonresume", "", json_duplicate_keys, PARSED),
    Hostile(
        "json-900k-digit-number.json",
        "jsonresume",
        "",
        json_long_number,
        "The file is not valid JSON:",
    ),
    Hostile(
        "json-invalid-utf8.json", "jsonresume", "", json_invalid_utf8, "The file is not valid JSON:"
    ),
    Hostile(
        "json-over-size.json",
        "jsonresume",
        "",
        json_too_large,
        jsonresume.TOO_LARGE.format(size=len(json_too_large()), limit=L.json_max_bytes),
    ),
]
FILES = {h.name: h for h in CATALOGUE}


def outcome_matches(outcome: sandbox.Outcome, expected: str) -> bool:
    if expected == PARSED:
        return outcome.error is None
    return outcome.error is not None and outcome.error.startswith(expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="run files whose name contains this")
    parser.add_argument("--write", type=Path, help="also write the generated files here")
    args = parser.parse_args()
    limits = ImportLimits()
    rows = []
    baseline = None
    print(f"load: {os.getloadavg()[0]:.2f} (1-min average)")
    print(f"{'file':36s} {'bytes':>10s} {'CPU s':>6s} {'ratio':>6s} {'peak MB':>8s}  outcome")
    for h in CATALOGUE:
        name, job, upload, expected = h.name, h.job, h.upload_name, h.expected
        if args.only not in name and not name.startswith("baseline"):
            continue
        data = h.factory()
        if args.write:
            args.write.mkdir(parents=True, exist_ok=True)
            (args.write / name).write_bytes(data)
        started = time.perf_counter()
        out = sandbox.run(job, data=data, filename=upload or name, limits=limits)
        wall = time.perf_counter() - started
        baseline = baseline or out.cpu_seconds
        ok = outcome_matches(out, expected)
        within = out.cpu_seconds < GOAL_CPU_S and out.peak_mb < GOAL_PEAK_MB
        shown = "parsed" if out.error is None else f"refused: {out.error}"
        flag = "" if ok and within else "  <-- " + ("UNEXPECTED" if not ok else "OVER GOAL")
        print(
            f"{name:36s} {len(data):10,d} {out.cpu_seconds:6.2f} {out.cpu_seconds / baseline:6.1f}"
            f" {out.peak_mb:8.0f}  {shown[:110]}{flag}  ({wall:.1f} s wall)"
        )
        rows.append(ok and within)
    print(
        f"{sum(rows)}/{len(rows)} files as expected within {GOAL_CPU_S} s CPU and {GOAL_PEAK_MB:.0f} MB"
    )
    sys.exit(0 if all(rows) else 1)


if __name__ == "__main__":
    main()
