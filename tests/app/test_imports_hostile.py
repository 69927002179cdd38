"""Hostile files, through the parsing sandbox exactly as an upload goes: each family refused
with its exact message naming the limit, a test per limit, the reported files within the
goal (2 s CPU, 256 MB, measured in the child), and the process limits (CPU, memory, wall
clock, a crashing reader) each with their own message. The files are the benchmark's
(``bench/hostile_files.py``), scaled down where the family does not depend on size."""

from __future__ import annotations

import dataclasses
import json
import sys

import pytest
from bench import hostile_files as hf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchday.imports import jsonresume, parsers, sandbox
from matchday.imports.limits import MB, ImportLimits
from matchday.imports.parsers import ResumeFileError, extract_text
from matchday.imports.views import SESSION_KEY
from tests import factories

DEFAULT = ImportLimits()


def _refusal(job: str, data: bytes, filename: str = "", **limits) -> str | None:
    return sandbox.run(job, data=data, filename=filename, limits=ImportLimits(**limits)).error


# -- the reported files, full size, within the goal -------------------------------------------

REPORTED = [
    ("pdf-20-pages-70mb-flate-each.pdf", parsers.PDF_STREAMS_TOO_LARGE.format(limit="32 MB")),
    ("docx-600k-paragraphs.docx", parsers.DOCX_XML_TOO_LARGE.format(limit="8 MB")),
    ("json-90k-unknown-keywords.json", jsonresume.TOO_MANY_VALUES.format(limit=20_000)),
    ("text-60kb-u2003.txt", None),
]


@pytest.mark.parametrize(("name", "message"), REPORTED, ids=[n for n, _ in REPORTED])
def test_reported_file_is_refused_or_parsed_within_two_cpu_seconds_and_256_mb(name, message):
    h = hf.FILES[name]
    outcome = sandbox.run(h.job, data=h.factory(), filename=h.upload_name, limits=DEFAULT)
    assert outcome.error == message
    assert outcome.cpu_seconds < 2.0
    assert outcome.peak_mb < 256


def test_u2003_resume_draft_is_read_through_the_sandbox():
    draft = sandbox.resume_draft(filename="cv.txt", data=hf.text_em_spaces(), limits=DEFAULT)
    assert draft["experiences"][0]["employer"] == "Acme AI"
    assert draft["experiences"][0]["title"] == "Senior ML Engineer"


# -- one family each, through the sandbox -----------------------------------------------------

FAMILIES = [
    pytest.param(
        "resume",
        "cv.pdf",
        lambda: hf.pdf_flate_bomb(pages=3, per_page=2 * MB),
        {"pdf_max_stream_bytes": MB},
        "The PDF's compressed data expands to more than 1 MB; résumés of at most that are accepted.",
        id="pdf-flate-bomb",
    ),
    pytest.param(
        "resume",
        "cv.pdf",
        hf.pdf_run_length_bomb,
        {},
        parsers.PDF_STREAMS_TOO_LARGE.format(limit="32 MB"),
        id="pdf-run-length-bomb",
    ),
    pytest.param(
        "resume",
        "cv.pdf",
        lambda: hf.pdf_text_heavy(3, 60_000),
        {"pdf_max_content_bytes": 100 * 1024},
        "The PDF's pages hold more than 100 KB of drawing instructions; résumés of at most "
        "that are accepted.",
        id="pdf-page-content",
    ),
    pytest.param(
        "resume",
        "cv.pdf",
        lambda: hf.pdf_many_objects(300),
        {"pdf_max_objects": 200},
        "The PDF holds 305 objects; résumés of at most 200 are accepted.",
        id="pdf-objects",
    ),
    pytest.param(
        "resume",
        "cv.pdf",
        hf.pdf_broken_xref,
        {},
        "The PDF holds 151805 objects; résumés of at most 20000 are accepted.",
        id="pdf-broken-xref",
    ),
    pytest.param(
        "resume",
        "cv.pdf",
        lambda: hf.pdf_many_pages(25),
        {},
        "The PDF has 25 pages; résumés of at most 20 pages are accepted.",
        id="pdf-pages",
    ),
    pytest.param(
        "resume",
        "cv.pdf",
        hf.pdf_deep_arrays,
        {},
        parsers.MALFORMED_PDF,
        id="pdf-nesting",
    ),
    pytest.param(
        "resume",
        "cv.pdf",
        hf.pdf_encrypted,
        {},
        parsers.ENCRYPTED_PDF,
        id="pdf-encrypted",
    ),
    pytest.param(
        "resume",
        "cv.docx",
        hf.docx_600k_paragraphs,
        {},
        parsers.ZIP_RATIO,
        id="docx-ratio",
    ),
    pytest.param(
        "resume",
        "cv.docx",
        lambda: hf.docx(hf.paragraphs([f"item {i:x}" for i in range(60_000)])),
        {"docx_max_xml_bytes": MB},
        "The Word file's document parts expand to more than 1 MB; résumés of at most that are "
        "accepted.",
        id="docx-xml-bytes",
    ),
    pytest.param(
        "resume",
        "cv.docx",
        hf.docx_other_prefix_paragraphs,
        {},
        "The Word file has more than 5000 paragraphs and table cells; résumés of at most 5000 "
        "are accepted.",
        id="docx-paragraphs-any-prefix",
    ),
    pytest.param(
        "resume",
        "cv.docx",
        hf.docx_table_cells,
        {"docx_max_paragraphs": 100},
        "The Word file has more than 100 paragraphs and table cells; résumés of at most 100 are "
        "accepted.",
        id="docx-table-cells",
    ),
    pytest.param(
        "resume",
        "cv.docx",
        hf.docx_billion_laughs,
        {},
        parsers.XML_ENTITIES,
        id="docx-billion-laughs",
    ),
    pytest.param(
        "resume",
        "cv.docx",
        hf.docx_deep_xml,
        {},
        parsers.MALFORMED_DOCX,
        id="docx-deep-xml",
    ),
    pytest.param(
        "resume",
        "cv.docx",
        hf.docx_lying_sizes,
        {},
        parsers.MALFORMED_DOCX,
        id="docx-lying",
    ),
    pytest.param(
        "resume",
        "cv.docx",
        hf.pdf_zip_polyglot,
        {},
        "The file's content is not a Word (.docx) file, although its name ends in .docx.",
        id="polyglot-pdf-zip",
    ),
    pytest.param(
        "resume",
        "cv.txt",
        hf.text_nul_bytes,
        {},
        parsers.NOT_TEXT,
        id="text-nul",
    ),
    pytest.param(
        "resume",
        "cv.txt",
        hf.text_control_characters,
        {},
        parsers.NOT_TEXT,
        id="text-controls",
    ),
    pytest.param(
        "jsonresume",
        "",
        lambda: hf.json_keywords(600),
        {},
        "The file lists 601 skill names and keywords; at most 500 are accepted.",
        id="json-keywords",
    ),
    pytest.param(
        "jsonresume",
        "",
        lambda: hf.json_nested(100_000),
        {},
        "The file nests values more than 20 levels deep; it was refused.",
        id="json-deep-arrays",
    ),
    pytest.param(
        "jsonresume",
        "",
        lambda: hf.json_nested_object(21),
        {},
        "The file nests values more than 20 levels deep; it was refused.",
        id="json-deep-objects",
    ),
    pytest.param(
        "jsonresume",
        "",
        hf.json_many_values,
        {},
        "The file holds more than 20000 values; JSON Resume files of at most 20000 are accepted.",
        id="json-values",
    ),
    pytest.param(
        "jsonresume",
        "",
        hf.json_invalid_utf8,
        {},
        "The file is not valid JSON: 'utf-8' codec can't decode byte 0xff in position 21: "
        "invalid start byte.",
        id="json-invalid-utf8",
    ),
    pytest.param(
        "jsonresume",
        "",
        hf.json_long_number,
        {},
        "The file is not valid JSON: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 900000 digits; use sys.set_int_max_str_digits() to increase "
        "the limit.",
        id="json-huge-number",
    ),
    pytest.param(
        "jsonresume",
        "",
        lambda: b"{" + b" " * 200 + b"}",
        {"json_max_bytes": 100},
        "The file is 202 bytes; JSON Resume files of at most 100 bytes are accepted.",
        id="json-bytes",
    ),
]


@pytest.mark.parametrize(("job", "filename", "factory", "limits", "message"), FAMILIES)
def test_hostile_family_is_refused_with_a_message_naming_the_limit(
    job, filename, factory, limits, message
):
    assert _refusal(job, factory(), filename, **limits) == message


@pytest.mark.parametrize(
    ("job", "filename", "factory"),
    [
        ("resume", "cv.pdf", hf.pdf_big_image),
        ("resume", "cv.pdf", hf.pdf_self_drawing_form),
        ("resume", "cv.pdf", hf.pdf_zip_polyglot),
        ("resume", "cv.txt", hf.text_html_pdf_polyglot),
        ("resume", "cv.txt", hf.text_invalid_utf8),
        ("jsonresume", "", hf.json_huge_string),
        ("jsonresume", "", hf.json_duplicate_keys),
    ],
    ids=[
        "pdf-60mb-image",
        "pdf-self-drawing-form",
        "pdf-zip-polyglot",
        "html-pdf-polyglot",
        "invalid-utf8-text",
        "json-1mb-string",
        "json-duplicate-keys",
    ],
)
def test_odd_but_harmless_file_is_parsed(job, filename, factory):
    outcome = sandbox.run(job, data=factory(), filename=filename, limits=DEFAULT)
    assert outcome.error is None
    assert isinstance(outcome.draft, dict)


def test_a_long_pdf_page_is_cut_at_the_character_cap_mid_page():
    limits = dataclasses.replace(DEFAULT, resume_max_chars=5_000)
    outcome = sandbox.run(
        "resume", data=hf.pdf_text_heavy(1, 60_000), filename="cv.pdf", limits=limits
    )
    assert outcome.error is None
    assert sandbox.TRUNCATED in outcome.draft["warnings"]


# -- a test per limit, in process ---------------------------------------------------------------


def _refused(name: str, data: bytes, **limits) -> str:
    with pytest.raises(ResumeFileError) as info:
        extract_text(filename=name, data=data, limits=ImportLimits(**limits))
    return str(info.value)


def test_limit_pdf_stream_bytes_counts_every_stream_not_only_pages():
    # Under the page-content cap, over the all-streams cap: the unused stream counts.
    message = _refused("cv.pdf", hf.pdf_unused_stream(3 * MB), pdf_max_stream_bytes=2 * MB)
    assert message == parsers.PDF_STREAMS_TOO_LARGE.format(limit="2 MB")


def test_limit_pdf_stream_bytes_counts_images_at_their_stored_size():
    text = extract_text(
        filename="cv.pdf", data=hf.pdf_big_image(), limits=ImportLimits(pdf_max_stream_bytes=MB)
    ).text
    assert "Acme AI" in text


def test_limit_pdf_content_bytes_counts_forms_drawn_by_pages():
    form = b"BT /F1 11 Tf 50 700 Td (" + b"x" * 3000 + b") Tj ET"
    data = hf.pdf(
        [hf.text_ops(["page"]) + b"\n/Fm1 Do"],
        extra=[
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length %d >>\nstream\n"
            % len(form)
            + form
            + b"\nendstream"
        ],
        resources=b"/Font << /F1 3 0 R >> /XObject << /Fm1 6 0 R >>",
    )
    message = _refused("cv.pdf", data, pdf_max_content_bytes=2000)
    assert message == parsers.PDF_CONTENT_TOO_LARGE.format(limit=parsers.human_size(2000))


def test_limit_pdf_objects_counts_object_headers_before_reading_the_xref():
    message = _refused("cv.pdf", hf.pdf_many_objects(50), pdf_max_objects=40)
    assert message == "The PDF holds 55 objects; résumés of at most 40 are accepted."


def test_limit_docx_xml_bytes():
    message = _refused("cv.docx", hf.docx(hf.paragraphs(["x"] * 3000)), docx_max_xml_bytes=50_000)
    assert message == parsers.DOCX_XML_TOO_LARGE.format(limit=parsers.human_size(50_000))


def test_limit_docx_paragraphs_counts_paragraphs_and_cells():
    data = hf.docx(
        hf.paragraphs(["a"] * 8) + b"<w:tbl><w:tr>" + b"<w:tc/>" * 3 + b"</w:tr></w:tbl>"
    )
    assert _refused("cv.docx", data, docx_max_paragraphs=10) == (
        parsers.DOCX_TOO_MANY_PARAGRAPHS.format(limit=10)
    )
    assert (
        "a"
        in extract_text(
            filename="cv.docx", data=data, limits=ImportLimits(docx_max_paragraphs=11)
        ).text
    )


def test_limit_resume_chars_truncates_and_says_so():
    result = extract_text(
        filename="cv.txt", data=b"word " * 100, limits=ImportLimits(resume_max_chars=50)
    )
    assert (len(result.text), result.truncated) == (50, True)


def test_limit_json_values():
    with pytest.raises(jsonresume.JsonResumeError) as info:
        jsonresume.loads(
            json.dumps({"meta": {"x": [1] * 10}}).encode(), ImportLimits(json_max_values=10)
        )
    assert str(info.value) == jsonresume.TOO_MANY_VALUES.format(limit=10)


def test_limit_json_depth():
    with pytest.raises(jsonresume.JsonResumeError) as info:
        jsonresume.loads(b'{"meta": {"a": {"b": 1}}}', ImportLimits(json_max_depth=3))
    assert str(info.value) == jsonresume.TOO_DEEP.format(limit=3)


def test_limit_json_keywords():
    with pytest.raises(jsonresume.JsonResumeError) as info:
        jsonresume.import_document(
            json.loads(hf.json_keywords(10)), ImportLimits(json_max_keywords=10)
        )
    assert str(info.value) == jsonresume.TOO_MANY_KEYWORDS.format(count=11, limit=10)


# -- the process limits -------------------------------------------------------------------------


def test_limit_cpu_seconds_stops_the_child():
    # A page of text operators pypdf needs several CPU seconds for, with the content caps
    # and the wall-time limit lifted so only the CPU limit can stop it (on a loaded machine
    # the child gets a small share of a core: its CPU seconds take many more wall seconds).
    lifted = {"pdf_max_content_bytes": 64 * MB, "resume_max_chars": 10**9}
    limits = ImportLimits(import_cpu_seconds=0, import_wall_seconds=240, **lifted)
    outcome = sandbox.run(
        "resume", data=hf.pdf_text_heavy(1, 6 * MB), filename="cv.pdf", limits=limits
    )
    assert outcome.error == sandbox.CPU_EXCEEDED.format(seconds=0)
    # The allowance counts from the end of the child's trusted start (its imports): the
    # limit is that start's CPU plus the allowance, rounded up to a whole second, and SIGKILL
    # follows a second later. The start is measured here by a file that needs no work.
    start = sandbox.run("resume", data=b"Ada", filename="cv.txt", limits=limits)
    assert start.error is None, start.error
    assert outcome.cpu_seconds < start.cpu_seconds + limits.import_cpu_seconds + 2.5


def test_limit_memory_makes_allocations_fail_in_the_child_only():
    # 4 MB of text decoded, normalised and copied: more than 24 MB above the interpreter.
    limits = ImportLimits(import_memory_mb=90, resume_max_chars=10**9)
    outcome = sandbox.run(
        "resume", data=hf.text_one_line(5 * MB - 1), filename="cv.txt", limits=limits
    )
    assert outcome.error == sandbox.MEMORY_EXCEEDED.format(mb=90)


def test_limit_wall_seconds_kills_the_child():
    outcome = sandbox.run(
        "resume", data=b"Ada", filename="cv.txt", limits=ImportLimits(import_wall_seconds=0)
    )
    assert outcome.error == sandbox.WALL_EXCEEDED.format(seconds=0)


def test_a_reader_that_dies_gives_a_clear_refusal(monkeypatch):
    monkeypatch.setattr(sys, "executable", "/bin/false")
    assert _refusal("resume", b"Ada", "cv.txt") == sandbox.CRASHED


def test_the_child_sees_none_of_the_web_process_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "do-not-leak")
    env = sandbox._child_env()
    assert "DJANGO_SECRET_KEY" not in env
    assert set(env) == {"PATH", "PYTHONPATH", "LANG", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"}


# -- through the upload pages: a refusal shows its message and nothing is kept --------------------


def test_upload_page_refuses_the_pdf_bomb_and_keeps_nothing(client, db):
    user = factories.CandidateProfileFactory(headline="").user
    client.force_login(user)
    bomb = SimpleUploadedFile("cv.pdf", hf.pdf_flate_bomb())
    response = client.post(reverse("imports:upload"), {"file": bomb})
    assert response.status_code == 422
    assert (
        "The PDF&#x27;s compressed data expands to more than 32 MB; résumés of at most that "
        "are accepted." in response.content.decode()
    )
    assert SESSION_KEY not in client.session
    user.candidate_profile.refresh_from_db()
    assert user.candidate_profile.headline == ""


def test_json_upload_over_the_byte_cap_is_refused_before_reading(client, db, settings):
    settings.MATCHDAY_JSON_MAX_BYTES = 100
    client.force_login(factories.CandidateProfileFactory().user)
    upload = SimpleUploadedFile("r.json", b"{" + b" " * 200 + b"}")
    response = client.post(reverse("imports:upload_json"), {"json_file": upload})
    assert response.status_code == 422
    assert (
        "The file is 202 bytes; JSON Resume files of at most 100 bytes are accepted."
        in response.content.decode()
    )
