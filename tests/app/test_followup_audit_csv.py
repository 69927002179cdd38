import csv
import io

import pytest
from django.urls import reverse

from matchday.audits.services import audit_record

pytestmark = pytest.mark.django_db


def rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_partner_exports_the_filtered_audit_log_as_csv(client, partner, candidate):
    profile = candidate.candidate_profile
    audit_record(actor=candidate, action="intro.decline", target=profile, reason="=HYPERLINK()")
    audit_record(actor=None, action="matchday.release", target=profile, data={"intros": 2})
    client.force_login(partner)
    response = client.get(reverse("audits:export_csv") + "?action=intro.")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *body = rows(response)
    assert header[:3] == ["created_at", "actor", "action"]
    assert [(r[1], r[2], r[7]) for r in body] == [
        (candidate.email, "intro.decline", "'=HYPERLINK()")
    ]
    everything = rows(client.get(reverse("audits:export_csv")))
    assert [everything[1][1], everything[1][2], everything[1][8]] == [
        "system",
        "matchday.release",
        '{"intros": 2}',
    ]


@pytest.mark.parametrize("who", ["candidate", "company_member"])
def test_only_partners_export_the_audit_log(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("audits:export_csv")).status_code == 403


def test_every_audit_csv_column_is_neutralised_against_formula_injection(client, partner):
    from matchday.accounts.models import User

    evil = User.objects.create_user(
        email="=cmd|' /C calc'!A0@evil.example",
        password=None,
        full_name="@SUM(1+1)",
        persona=User.Persona.CANDIDATE,
    )
    audit_record(actor=evil, action="+intro.decline", target=evil, reason="-2+3", data={"a": 1})
    client.force_login(partner)
    _, row = rows(client.get(reverse("audits:export_csv") + "?action=%2Bintro"))
    assert row[1:4] == ["'=cmd|' /c calc'!a0@evil.example", "'+intro.decline", "accounts.user"]
    assert row[7] == "'-2+3"
    assert [cell for cell in row if cell and cell[0] in "=+-@\t\r"] == []


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (12, "12"),
        (-12, "'-12"),
    ],
)
def test_safe_cell_prefixes_exactly_the_values_a_spreadsheet_would_evaluate(value, cell):
    from matchday.core.csvexport import safe_cell

    assert safe_cell(value) == cell
