"""A partner sees a candidate's blind text as companies will, with redactions marked, and
corrects it per candidate (a term to hide, a false positive to show); the corrections are
audited and applied to the company's shortlist."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.core.permissions import NOT_A_PARTNER
from matchday.matchdays import selectors, services
from matchday.matchdays.models import BlindTerm
from matchday.matchdays.redaction import MAX_TERMS, REDACTED
from tests import factories
from tests.market import (
    BEFORE_DEADLINE,
    open_interest_window,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(django_capture_on_commit_callbacks):
    market, md = open_interest_window(django_capture_on_commit_callbacks)
    p = md.proposals.filter(role=market.role_a1).order_by("pk").first()
    achievement = p.candidate.achievements.first()
    head = p.candidate.experiences.first().employer.split()[0]  # "Hooli3" of "Hooli3 Dynamics"
    achievement.result = f"Shipped Project Falcon; p99 latency 40 ms on {head} Cloud."
    achievement.save()
    return market, p


def _card(market, p):
    _, cards = selectors.shortlist(user=market.member_a, role_id=p.role_id, now=BEFORE_DEADLINE)
    return next(c for c in cards if c.proposal_id == p.pk)


def test_partner_terms_apply_to_the_companys_blind_card(window):
    market, p = window
    head = p.candidate.experiences.first().employer.split()[0]
    assert _card(market, p).achievements[0]["result"] == (
        f"Shipped Project Falcon; p99 latency 40 ms on {REDACTED} Cloud."
    )
    services.blind_term_add(
        candidate=p.candidate, by=market.partner, term="project  falcon", action="redact"
    )
    services.blind_term_add(candidate=p.candidate, by=market.partner, term=head, action="keep")
    assert _card(market, p).achievements[0]["result"] == (
        f"Shipped {REDACTED}; p99 latency 40 ms on {head} Cloud."
    )
    # Showing the head word alone does not show the whole employer name.
    assert _card(market, p).achievements[0]["title"] == f"Scaled training at {REDACTED}"
    entries = AuditEntry.objects.filter(action__startswith="blind_term.").order_by("pk")
    assert [(e.action, e.data, e.subject_user_id) for e in entries] == [
        ("blind_term.redact", {"term": "project falcon"}, p.candidate.user_id),
        ("blind_term.keep", {"term": head}, p.candidate.user_id),
    ]


def test_removing_a_term_restores_the_redactors_view_and_is_audited(window):
    market, p = window
    row = services.blind_term_add(
        candidate=p.candidate, by=market.partner, term="Project Falcon", action="redact"
    )
    services.blind_term_remove(blind_term=row, by=market.partner)
    assert "Project Falcon" in _card(market, p).achievements[0]["result"]
    entry = AuditEntry.objects.get(action="blind_term.remove")
    assert entry.data == {"term": "Project Falcon", "was": "redact"}


@pytest.mark.parametrize(
    ("term", "errors"),
    [
        ("  ", {"term": [services.BLIND_TERM_EMPTY]}),
        ("--", {"term": [services.BLIND_TERM_EMPTY]}),
        ("x" * 121, {"term": [services.BLIND_TERM_TOO_LONG.format(limit=120)]}),
    ],
)
def test_blind_terms_are_validated(window, term, errors):
    market, p = window
    with pytest.raises(ValidationError) as exc:
        services.blind_term_add(
            candidate=p.candidate, by=market.partner, term=term, action="redact"
        )
    assert exc.value.message_dict == errors


def test_duplicate_and_too_many_terms_are_refused(window):
    market, p = window
    services.blind_term_add(
        candidate=p.candidate, by=market.partner, term="Falcon", action="redact"
    )
    with pytest.raises(ValidationError) as exc:
        services.blind_term_add(
            candidate=p.candidate, by=market.partner, term="FALCON", action="redact"
        )
    assert exc.value.message_dict == {"term": [services.BLIND_TERM_EXISTS.format(term="FALCON")]}
    BlindTerm.objects.bulk_create(
        BlindTerm(candidate=p.candidate, action="redact", term=f"t{i}", created_at=BEFORE_DEADLINE)
        for i in range(MAX_TERMS - 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.blind_term_add(
            candidate=p.candidate, by=market.partner, term="one more", action="keep"
        )
    assert exc.value.messages == [services.BLIND_TERM_TOO_MANY.format(limit=MAX_TERMS)]


def test_only_partners_correct_blind_text(window):
    market, p = window
    with pytest.raises(PermissionDenied, match=NOT_A_PARTNER):
        services.blind_term_add(
            candidate=p.candidate, by=market.member_a, term="x", action="redact"
        )


def test_preview_page_marks_what_companies_will_not_see(client, window):
    market, p = window
    client.force_login(market.partner)
    detail = client.get(reverse("matchdays:proposal", args=[p.pk])).content.decode()
    url = reverse("matchdays:blind_preview", args=[p.candidate_id]) + f"?proposal={p.pk}"
    for html in (detail, client.get(url).content.decode()):
        assert '<section class="blind-preview"' in html
        assert '<mark class="redacted" data-kind="employer"' in html
        assert "hidden from companies (email): </span>" in html
        assert "p99 latency 40 ms on" in html
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith("<section") and "<html" not in partial


def test_partner_adds_and_removes_a_term_from_the_page(client, window):
    market, p = window
    client.force_login(market.partner)
    url = reverse("matchdays:blind_preview", args=[p.candidate_id])
    response = client.post(
        reverse("matchdays:blind_term_add", args=[p.candidate_id]),
        {"term": "Project Falcon", "action": "redact", "next": url},
        follow=True,
    )
    html = response.content.decode()
    assert "“Project Falcon” will be redacted in this candidate&#x27;s blind text." in html
    assert 'data-kind="custom"' in html
    row = BlindTerm.objects.get(candidate=p.candidate)
    response = client.post(reverse("matchdays:blind_term_remove", args=[row.pk]), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert not BlindTerm.objects.exists()


def test_company_members_and_candidates_cannot_open_the_preview(client, window):
    market, p = window
    for user in (market.member_a, p.candidate.user):
        client.force_login(user)
        url = reverse("matchdays:blind_preview", args=[p.candidate_id])
        assert client.get(url).status_code == 403
        add = reverse("matchdays:blind_term_add", args=[p.candidate_id])
        assert client.post(add, {"term": "x", "action": "keep"}).status_code == 403
    assert not BlindTerm.objects.exists()


def test_review_table_and_detail_flag_a_pair_the_candidate_hid(client, window):
    market, p = window
    p.candidate.hidden_companies.add(p.role.company)
    client.force_login(market.partner)
    table = client.get(reverse("matchdays:review", args=[p.matchday_id])).content.decode()
    assert f"hidden by the candidate from {p.role.company.name}" in table
    detail = client.get(reverse("matchdays:proposal", args=[p.pk])).content.decode()
    assert f"The candidate has hidden {p.role.company.name}" in detail


def test_partner_unknown_candidate_is_404(client):
    client.force_login(factories.PartnerFactory())
    assert client.get(reverse("matchdays:blind_preview", args=[999999])).status_code == 404
