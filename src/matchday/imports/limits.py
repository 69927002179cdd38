"""Every limit on an uploaded résumé or JSON Resume, in one place.

Each field can be overridden by the setting ``MATCHDAY_<FIELD IN CAPITALS>`` (read when
:func:`current` is called, never at import time). The parsing sandbox receives the limits
as plain data, so the child process that parses never needs Django.

The structural caps (bytes, pages, objects, stream bytes, paragraphs, values, keywords)
are checked before the step they protect; the process limits (CPU seconds, memory, wall
clock) are the backstop for anything the structural caps miss.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    # Any résumé file.
    resume_max_bytes: int = 5 * MB
    resume_max_chars: int = 100_000  # extracted text beyond this is cut (with a warning)
    # PDF.
    resume_max_pages: int = 20
    pdf_max_objects: int = 20_000
    # Decoded bytes over every stream of the file; image data and embedded font programs,
    # which text extraction never decodes, count at their stored size.
    pdf_max_stream_bytes: int = 32 * MB
    # Decoded page content (pages and the forms they draw): pypdf reads it at 1–2 MB/s.
    pdf_max_content_bytes: int = 2 * MB
    # DOCX.
    docx_max_entries: int = 200
    docx_max_uncompressed: int = 25 * MB
    docx_max_ratio: int = 100
    docx_max_xml_bytes: int = 8 * MB
    docx_max_paragraphs: int = 5_000  # paragraphs plus table cells
    # JSON Resume.
    json_max_bytes: int = 1 * MB
    json_max_depth: int = 20
    json_max_values: int = 20_000
    json_max_keywords: int = 500
    # The parsing process.
    import_cpu_seconds: int = 4
    import_memory_mb: int = 512  # address space, the Python interpreter included
    import_wall_seconds: int = 20

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def setting_name(field: str) -> str:
    return f"MATCHDAY_{field.upper()}"


def current(**overrides: Any) -> ImportLimits:
    """The limits in force: defaults, then settings (when Django is configured: scripts
    such as ``bench/quality_real.py`` call the importers without it), then ``overrides``."""
    from django.conf import settings

    if not settings.configured:
        return ImportLimits(**overrides)
    values = {
        f.name: int(getattr(settings, setting_name(f.name), f.default))
        for f in dataclasses.fields(ImportLimits)
    }
    return ImportLimits(**(values | overrides))
