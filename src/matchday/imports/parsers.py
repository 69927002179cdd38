"""Turn an uploaded résumé (PDF, DOCX or plain text) into plain text, refusing hostile files.

Every check runs before the step it protects, against :class:`~matchday.imports.limits.
ImportLimits`:

* any file: its size, and its magic bytes against the declared extension;
* PDF: encryption, the page count, the object count, then the decoded size of every stream
  (image data and embedded font programs, which text extraction never decodes, at their
  stored size) and of the page content pypdf would interpret — each stream is decoded at
  most up to what is left of the budget, so a 70 MB FlateDecode bomb costs the budget, not
  70 MB; text extraction stops once it has the character cap;
* DOCX: the zip directory (entry count, total uncompressed size, compression ratio, the
  size of the XML parts), no DOCTYPE or ENTITY declarations (so lxml never expands an
  entity), and a streaming count of paragraphs and table cells before python-docx builds
  its tree;
* text: binary content, then the character cap.

Each refusal is a ``ResumeFileError`` whose message names the limit. This module runs in
the parsing sandbox (``matchday.imports.sandbox``), which adds CPU, memory and wall-clock
limits around it; it does not need Django.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from matchday.imports import limits as import_limits
from matchday.imports.limits import MB, ImportLimits
from matchday.imports.resume import normalise_text

TOO_LARGE = "The file is {size} bytes; the limit is {limit} bytes."
EMPTY_FILE = "The file is empty."
UNSUPPORTED_TYPE = "Upload a PDF (.pdf), Word (.docx) or plain text (.txt) file."
CONTENT_MISMATCH = "The file's content is not a {kind} file, although its name ends in {ext}."
ENCRYPTED_PDF = "The PDF is password-protected; upload an unprotected copy."
MALFORMED_PDF = "The PDF could not be read (it is damaged or truncated)."
TOO_MANY_PAGES = "The PDF has {pages} pages; résumés of at most {limit} pages are accepted."
PDF_TOO_MANY_OBJECTS = "The PDF holds {count} objects; résumés of at most {limit} are accepted."
PDF_STREAMS_TOO_LARGE = (
    "The PDF's compressed data expands to more than {limit}; résumés of at most that are accepted."
)
PDF_CONTENT_TOO_LARGE = (
    "The PDF's pages hold more than {limit} of drawing instructions; résumés of at most that "
    "are accepted."
)
PDF_TOO_COMPLEX = "The PDF is too complex to read safely ({detail}); it was refused."
MALFORMED_DOCX = "The Word file could not be read (it is damaged or not a .docx file)."
ZIP_TOO_MANY_ENTRIES = "The Word file contains {count} parts; at most {limit} are accepted."
ZIP_TOO_LARGE = "The Word file expands to more than {limit} bytes; it was refused."
ZIP_RATIO = "The Word file is compressed suspiciously well (a zip bomb?); it was refused."
DOCX_XML_TOO_LARGE = (
    "The Word file's document parts expand to more than {limit}; résumés of at most that are "
    "accepted."
)
DOCX_TOO_MANY_PARAGRAPHS = (
    "The Word file has more than {limit} paragraphs and table cells; résumés of at most "
    "{limit} are accepted."
)
XML_ENTITIES = "The Word file declares XML entities or a DOCTYPE; it was refused."
NOT_TEXT = "The text file is not readable text (binary content or NUL bytes)."
NO_TEXT = "No text could be found in the file (a scanned image?). Paste your résumé as text."

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPES = "[Content_Types].xml"
DOCX_MAIN = "word/document.xml"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_DECLARATION_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# A ratio is only suspicious for entries big enough to matter.
_RATIO_MIN_BYTES = 1024 * 1024
# C0 and C1 control characters that never appear in text (tab, line breaks excluded).
_CONTROLS = dict.fromkeys([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)])
_OBJECT_HEADER_RE = re.compile(rb"\d{1,10}[ \t\r\n\f\0]{1,8}\d{1,5}[ \t\r\n\f\0]{1,8}obj\b")
_FONT_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")


class ResumeFileError(ValueError):
    """An uploaded file that was refused; ``str(error)`` is the message for the candidate."""


@dataclass(frozen=True)
class ExtractedText:
    kind: str  # "pdf" | "docx" | "text"
    text: str
    truncated: bool


def human_size(size: int) -> str:
    """``33554432`` -> ``"32 MB"``, ``1572864`` -> ``"1.5 MB"``, ``102400`` -> ``"100 KB"``."""
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size} bytes"


def _kind_for(filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kinds = {"pdf": "pdf", "docx": "docx", "txt": "text", "text": "text", "md": "text"}
    if ext not in kinds:
        raise ResumeFileError(UNSUPPORTED_TYPE)
    return kinds[ext]


def sniff(data: bytes) -> str:
    """What the bytes are, by their magic number: ``"pdf"``, ``"docx"``, ``"zip"``, ``"text"``
    or ``"binary"``."""
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
        return "docx" if CONTENT_TYPES in names else "zip"
    if b"\x00" in data:
        return "binary"
    return "text"


def extract_text(
    *, filename: str, data: bytes, limits: ImportLimits | None = None
) -> ExtractedText:
    """The text of an uploaded résumé, or ``ResumeFileError`` naming why it was refused.

    ``limits`` defaults to :func:`matchday.imports.limits.current` (the settings).
    """
    limits = limits or import_limits.current()
    if len(data) > limits.resume_max_bytes:
        raise ResumeFileError(TOO_LARGE.format(size=len(data), limit=limits.resume_max_bytes))
    if not data:
        raise ResumeFileError(EMPTY_FILE)
    kind = _kind_for(filename)
    found = sniff(data)
    ext = "." + filename.rsplit(".", 1)[-1].lower()
    truncated = False
    if kind == "text":
        if found in {"pdf", "docx", "zip", "binary"}:
            raise ResumeFileError(NOT_TEXT if found == "binary" else _mismatch("text", ext))
        text = _decode_text(data)
    elif found != kind:
        raise ResumeFileError(_mismatch(kind, ext))
    elif kind == "pdf":
        text, truncated = _pdf_text(data, limits)
    else:
        text = _docx_text(data, limits)
    text = normalise_text(text)
    if not text:
        raise ResumeFileError(NO_TEXT)
    if len(text) > limits.resume_max_chars:
        text, truncated = text[: limits.resume_max_chars], True
    return ExtractedText(kind=kind, text=text, truncated=truncated)


def _mismatch(kind: str, ext: str) -> str:
    names = {"pdf": "PDF", "docx": "Word (.docx)", "text": "plain text"}
    return CONTENT_MISMATCH.format(kind=names[kind], ext=ext)


def _decode_text(data: bytes) -> str:
    if b"\x00" in data:
        raise ResumeFileError(NOT_TEXT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    # Control characters other than whitespace mean this is not a text file.
    controls = len(text) - len(text.translate(_CONTROLS))
    if controls > max(8, len(text) // 100):
        raise ResumeFileError(NOT_TEXT)
    return text


# -- PDF ----------------------------------------------------------------------------------


def _pdf_caps(output: int) -> dict[str, int]:
    """pypdf's own per-stream limits (``pypdf.Configuration``), all at ``output`` bytes."""
    return {
        "maximum_declared_stream_length": output,
        "array_based_stream_maximum_output_length": output,
        "jbig2_maximum_output_length": output,
        "lzw_maximum_output_length": output,
        "run_length_maximum_output_length": output,
        "zlib_maximum_output_length": output,
        "brotli_maximum_output_length": output,
        "image_maximum_buffer_size": output,
        "stream_decoding_work_maximum_length": 4 * output,
        "stream_parsing_work_maximum_count": 1_000_000,
    }


def _pdf_text(data: bytes, limits: ImportLimits) -> tuple[str, bool]:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError

    broken = (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError)
    # Objects in the file itself (not inside object streams), counted before pypdf reads
    # the cross-reference table or rebuilds a broken one object by object.
    headers = len(_OBJECT_HEADER_RE.findall(data))
    if headers > limits.pdf_max_objects:
        raise ResumeFileError(
            PDF_TOO_MANY_OBJECTS.format(count=headers, limit=limits.pdf_max_objects)
        )
    with apply_configuration(**_pdf_caps(limits.pdf_max_stream_bytes)):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise ResumeFileError(ENCRYPTED_PDF)
            objects = sum(len(e) for e in reader.xref.values()) + len(reader.xref_objStm)
            if objects > limits.pdf_max_objects:
                raise ResumeFileError(
                    PDF_TOO_MANY_OBJECTS.format(count=objects, limit=limits.pdf_max_objects)
                )
            pages = len(reader.pages)
            if pages > limits.resume_max_pages:
                raise ResumeFileError(
                    TOO_MANY_PAGES.format(pages=pages, limit=limits.resume_max_pages)
                )
            if pages == 0:
                raise ResumeFileError(MALFORMED_PDF)
            _check_pdf_streams(reader, limits)
            return _pdf_page_text(reader, limits.resume_max_chars)
        except ResumeFileError:
            raise
        except LimitReachedError as exc:
            raise ResumeFileError(PDF_TOO_COMPLEX.format(detail=str(exc)[:120])) from None
        except (*broken, PyPdfError):
            raise ResumeFileError(MALFORMED_PDF) from None


def _pdf_objects(reader) -> Iterator[tuple[int, Any]]:
    from pypdf.generic import IndirectObject

    for generation, entries in reader.xref.items():
        for number in entries:
            yield number, reader.get_object(IndirectObject(number, generation, reader))
    for number in reader.xref_objStm:
        yield number, reader.get_object(IndirectObject(number, 0, reader))


def _check_pdf_streams(reader, limits: ImportLimits) -> None:
    """Refuse the PDF when its streams decode to more than ``pdf_max_stream_bytes`` in all, or
    its page content to more than ``pdf_max_content_bytes``. Each stream is decoded only up
    to the budget left, and pypdf keeps the decoded data for the text extraction."""
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError
    from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

    streams: dict[int, Any] = {}
    never_decoded: set[int] = set()
    for number, obj in _pdf_objects(reader):
        if isinstance(obj, StreamObject):
            streams[number] = obj
            if obj.get("/Subtype") == "/Image":
                never_decoded.add(number)
        elif isinstance(obj, DictionaryObject) and obj.get("/Type") == "/FontDescriptor":
            for key in _FONT_PROGRAMS:
                ref = obj.raw_get(key) if key in obj else None
                if isinstance(ref, IndirectObject):
                    never_decoded.add(ref.idnum)
    budget = limits.pdf_max_stream_bytes
    too_large = ResumeFileError(PDF_STREAMS_TOO_LARGE.format(limit=human_size(budget)))
    sizes: dict[int, int] = {}
    for number, stream in streams.items():
        if number in never_decoded:
            size = len(getattr(stream, "_data", b"") or b"")
        else:
            try:
                with apply_configuration(**_pdf_caps(budget + 1)):
                    size = len(stream.get_data())
            except LimitReachedError:
                raise too_large from None
        sizes[number] = size
        budget -= size
        if budget < 0:
            raise too_large
    content = sum(sizes.get(number, 0) for number in _content_streams(reader))
    if content > limits.pdf_max_content_bytes:
        raise ResumeFileError(
            PDF_CONTENT_TOO_LARGE.format(limit=human_size(limits.pdf_max_content_bytes))
        )


def _content_streams(reader) -> set[int]:
    """Object numbers of the streams text extraction interprets: every page's content and
    the form XObjects drawn from it, however deeply nested (each counted once)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    found: set[int] = set()
    resources: list[Any] = []
    for page in reader.pages:
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        if isinstance(contents, IndirectObject):
            target = contents.get_object()
            contents = target if isinstance(target, ArrayObject) else [contents]
        if isinstance(contents, list):  # ArrayObject is a list
            found.update(ref.idnum for ref in contents if isinstance(ref, IndirectObject))
        resources.append(page.get("/Resources"))
    while resources:
        res = resources.pop()
        xobjects = res.get("/XObject") if isinstance(res, DictionaryObject) else None
        if not isinstance(xobjects, DictionaryObject):
            continue
        for key in xobjects:
            ref = xobjects.raw_get(key)
            if not isinstance(ref, IndirectObject) or ref.idnum in found:
                continue
            form = ref.get_object()
            if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form":
                found.add(ref.idnum)
                resources.append(form.get("/Resources"))
    return found


class _Enough(Exception):
    """Raised from pypdf's text visitor once the character cap is reached."""


class _TextBudget:
    """pypdf's ``visitor_text``: keeps the current page's fragments and stops extraction
    (mid-page) once more than ``cap`` characters were seen."""

    def __init__(self, cap: int) -> None:
        self.left = cap
        self.fragments: list[str] = []

    def __call__(self, text: str, *_: Any) -> None:
        self.fragments.append(text)
        self.left -= len(text)
        if self.left < 0:
            raise _Enough


def _pdf_page_text(reader, char_cap: int) -> tuple[str, bool]:
    parts: list[str] = []
    budget = _TextBudget(char_cap)
    for page in reader.pages:
        budget.fragments = []
        try:
            parts.append(page.extract_text(visitor_text=budget) or "")
        except _Enough:
            parts.append("".join(budget.fragments))
            return "\n".join(parts), True
    return "\n".join(parts), False


# -- DOCX ---------------------------------------------------------------------------------


def check_docx_container(data: bytes, limits: ImportLimits | None = None) -> None:
    """Refuse a DOCX whose zip directory or XML could hurt the server, before parsing it."""
    limits = limits or import_limits.current()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ResumeFileError(MALFORMED_DOCX) from None
    with zf:
        infos = zf.infolist()
        max_entries = limits.docx_max_entries
        if len(infos) > max_entries:
            raise ResumeFileError(ZIP_TOO_MANY_ENTRIES.format(count=len(infos), limit=max_entries))
        max_total = limits.docx_max_uncompressed
        if sum(i.file_size for i in infos) > max_total:
            raise ResumeFileError(ZIP_TOO_LARGE.format(limit=max_total))
        for info in infos:
            if info.file_size >= _RATIO_MIN_BYTES and (
                info.file_size > limits.docx_max_ratio * max(info.compress_size, 1)
            ):
                raise ResumeFileError(ZIP_RATIO)
        names = {i.filename for i in infos}
        if CONTENT_TYPES not in names or DOCX_MAIN not in names:
            raise ResumeFileError(MALFORMED_DOCX)
        xml_parts = [i for i in infos if i.filename.endswith((".xml", ".rels"))]
        if sum(i.file_size for i in xml_parts) > limits.docx_max_xml_bytes:
            raise ResumeFileError(
                DOCX_XML_TOO_LARGE.format(limit=human_size(limits.docx_max_xml_bytes))
            )
        for info in xml_parts:
            # Read at most the declared size (+1 byte to catch lying headers).
            try:
                with zf.open(info) as part:
                    body = part.read(info.file_size + 1)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError):
                raise ResumeFileError(MALFORMED_DOCX) from None
            if len(body) > info.file_size:
                raise ResumeFileError(ZIP_TOO_LARGE.format(limit=max_total))
            if _DECLARATION_RE.search(body):
                raise ResumeFileError(XML_ENTITIES)
            if info.filename == DOCX_MAIN:
                _check_paragraph_count(body, limits.docx_max_paragraphs)


class _TooManyParagraphs(Exception):
    pass


class _ParagraphCounter:
    """An lxml parser target: counts paragraphs and table cells as the parser meets them,
    builds no tree, and stops the parse at the cap. Namespace-aware, so another prefix for
    the Word namespace counts too."""

    TAGS = frozenset({f"{{{WORD_NS}}}p", f"{{{WORD_NS}}}tc"})

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0

    def start(self, tag: str, attrib: Any) -> None:
        if tag in self.TAGS:
            self.count += 1
            if self.count > self.limit:
                raise _TooManyParagraphs

    def close(self) -> int:
        return self.count


def _check_paragraph_count(document_xml: bytes, limit: int) -> None:
    from lxml import etree

    parser = etree.XMLParser(
        target=_ParagraphCounter(limit), resolve_entities=False, no_network=True
    )
    try:
        etree.fromstring(document_xml, parser)
    except _TooManyParagraphs:
        raise ResumeFileError(DOCX_TOO_MANY_PARAGRAPHS.format(limit=limit)) from None
    except etree.XMLSyntaxError:
        raise ResumeFileError(MALFORMED_DOCX) from None


def _docx_text(data: bytes, limits: ImportLimits) -> str:
    check_docx_container(data, limits)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError):
        raise ResumeFileError(MALFORMED_DOCX) from None
    except Exception as exc:  # lxml's XMLSyntaxError and friends
        if exc.__class__.__module__.startswith("lxml"):
            raise ResumeFileError(MALFORMED_DOCX) from None
        raise
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text
        style = (paragraph.style.name or "") if paragraph.style is not None else ""
        if text and "List" in style:
            text = f"• {text}"
        lines.append(text)
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)
