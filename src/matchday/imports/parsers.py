"""Turn an uploaded résumé (PDF, DOCX or plain text) into plain text, refusing hostile files.

Every check runs before a parser sees the bytes: the size, the magic bytes against the
declared extension, and for DOCX the zip directory (entry count, total uncompressed size,
compression ratio) and the XML parts (no DOCTYPE or ENTITY declarations, so lxml never
expands an entity). PDFs are refused when encrypted, malformed or longer than the page cap;
every format's text is capped. Each refusal is a ``ResumeFileError`` with a message the
candidate can act on.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings

TOO_LARGE = "The file is {size} bytes; the limit is {limit} bytes."
EMPTY_FILE = "The file is empty."
UNSUPPORTED_TYPE = "Upload a PDF (.pdf), Word (.docx) or plain text (.txt) file."
CONTENT_MISMATCH = "The file's content is not a {kind} file, although its name ends in {ext}."
ENCRYPTED_PDF = "The PDF is password-protected; upload an unprotected copy."
MALFORMED_PDF = "The PDF could not be read (it is damaged or truncated)."
TOO_MANY_PAGES = "The PDF has {pages} pages; résumés of at most {limit} pages are accepted."
MALFORMED_DOCX = "The Word file could not be read (it is damaged or not a .docx file)."
ZIP_TOO_MANY_ENTRIES = "The Word file contains {count} parts; at most {limit} are accepted."
ZIP_TOO_LARGE = "The Word file expands to more than {limit} bytes; it was refused."
ZIP_RATIO = "The Word file is compressed suspiciously well (a zip bomb?); it was refused."
XML_ENTITIES = "The Word file declares XML entities or a DOCTYPE; it was refused."
NOT_TEXT = "The text file is not readable text (binary content or NUL bytes)."
NO_TEXT = "No text could be found in the file (a scanned image?). Paste your résumé as text."

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPES = "[Content_Types].xml"
DOCX_MAIN = "word/document.xml"

# Defaults; each can be overridden by a setting of the same name (read when called).
DEFAULTS = {
    "MATCHDAY_RESUME_MAX_BYTES": 5 * 1024 * 1024,
    "MATCHDAY_RESUME_MAX_PAGES": 20,
    "MATCHDAY_RESUME_MAX_CHARS": 100_000,
    "MATCHDAY_DOCX_MAX_ENTRIES": 200,
    "MATCHDAY_DOCX_MAX_UNCOMPRESSED": 25 * 1024 * 1024,
    "MATCHDAY_DOCX_MAX_RATIO": 100,
}
_DECLARATION_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# A ratio is only suspicious for entries big enough to matter.
_RATIO_MIN_BYTES = 1024 * 1024


class ResumeFileError(ValueError):
    """An uploaded file that was refused; ``str(error)`` is the message for the candidate."""


@dataclass(frozen=True)
class ExtractedText:
    kind: str  # "pdf" | "docx" | "text"
    text: str
    truncated: bool


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


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


def _cap(text: str) -> tuple[str, bool]:
    cap = limit("MATCHDAY_RESUME_MAX_CHARS")
    return (text[:cap], True) if len(text) > cap else (text, False)


def extract_text(*, filename: str, data: bytes) -> ExtractedText:
    """The text of an uploaded résumé, or ``ResumeFileError`` naming why it was refused."""
    size_limit = limit("MATCHDAY_RESUME_MAX_BYTES")
    if len(data) > size_limit:
        raise ResumeFileError(TOO_LARGE.format(size=len(data), limit=size_limit))
    if not data:
        raise ResumeFileError(EMPTY_FILE)
    kind = _kind_for(filename)
    found = sniff(data)
    ext = "." + filename.rsplit(".", 1)[-1].lower()
    if kind == "text":
        if found in {"pdf", "docx", "zip", "binary"}:
            raise ResumeFileError(NOT_TEXT if found == "binary" else _mismatch("text", ext))
        text = _decode_text(data)
    elif found != kind:
        raise ResumeFileError(_mismatch(kind, ext))
    elif kind == "pdf":
        text = _pdf_text(data)
    else:
        text = _docx_text(data)
    text = _normalise_whitespace(text)
    if not text.strip():
        raise ResumeFileError(NO_TEXT)
    capped, truncated = _cap(text)
    return ExtractedText(kind=kind, text=capped, truncated=truncated)


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
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise ResumeFileError(NOT_TEXT)
    return text


def _normalise_whitespace(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [re.sub(r"[ \t\f\v\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ResumeFileError(ENCRYPTED_PDF)
        pages = len(reader.pages)
    except ResumeFileError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise ResumeFileError(MALFORMED_PDF) from None
    page_limit = limit("MATCHDAY_RESUME_MAX_PAGES")
    if pages > page_limit:
        raise ResumeFileError(TOO_MANY_PAGES.format(pages=pages, limit=page_limit))
    if pages == 0:
        raise ResumeFileError(MALFORMED_PDF)
    char_cap = limit("MATCHDAY_RESUME_MAX_CHARS")
    parts: list[str] = []
    total = 0
    try:
        for page in reader.pages:
            part = page.extract_text() or ""
            parts.append(part)
            total += len(part)
            if total > char_cap:
                break
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise ResumeFileError(MALFORMED_PDF) from None
    return "\n".join(parts)


def check_docx_container(data: bytes) -> None:
    """Refuse a DOCX whose zip directory or XML could hurt the server, before parsing it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ResumeFileError(MALFORMED_DOCX) from None
    with zf:
        infos = zf.infolist()
        max_entries = limit("MATCHDAY_DOCX_MAX_ENTRIES")
        if len(infos) > max_entries:
            raise ResumeFileError(ZIP_TOO_MANY_ENTRIES.format(count=len(infos), limit=max_entries))
        max_total = limit("MATCHDAY_DOCX_MAX_UNCOMPRESSED")
        if sum(i.file_size for i in infos) > max_total:
            raise ResumeFileError(ZIP_TOO_LARGE.format(limit=max_total))
        max_ratio = limit("MATCHDAY_DOCX_MAX_RATIO")
        for info in infos:
            if info.file_size >= _RATIO_MIN_BYTES and (
                info.file_size > max_ratio * max(info.compress_size, 1)
            ):
                raise ResumeFileError(ZIP_RATIO)
        names = {i.filename for i in infos}
        if CONTENT_TYPES not in names or DOCX_MAIN not in names:
            raise ResumeFileError(MALFORMED_DOCX)
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
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


def _docx_text(data: bytes) -> str:
    check_docx_container(data)
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
