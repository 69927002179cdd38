"""Talent partners' private notes on a candidate's goals: partners only, audited, shown on the
review page and in search, never on a company's or the candidate's pages, bounded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.core.permissions import NOT_A_PARTNER
from matchday.followup import services as followup
from matchday.talent import services
from matchday.talent.models import PartnerNote
from tests import factories
from tests.api.helpers import api_as
from tests.followup_factories import RELEASE_AT, interested_proposal

pytestmark = pytest.mark.django_db

SECRET = "Wants to move from infrastructure into technical product management (QZNOTE)."


@pytest.fixture
def accepted():
    """A released, accepted intro whose candidate has a partner's note."""
    proposal = interested_proposal()
    [intro] = followup.matchday_release(matchday=proposal.matchday, now=RELEASE_AT)
    followup.intro_accept(intro=intro, by=intro.candidate.user, now=RELEASE_AT)
    partner = factories.PartnerFactory()
    services.partner_note_add(profile=intro.candidate, by=partner, body=SECRET, topic="direction")
    return intro


def test_a_partner_adds_a_dated_note_and_it_is_audited_without_its_words(partner):
    profile = factories.CandidateProfileFactory(active=True)
    note = services.partner_note_add(profile=profile, by=partner, body=SECRET, now=RELEASE_AT)
    assert (note.topic, note.body, note.author, note.created_at) == (
        "goals",
        SECRET,
        partner,
        RELEASE_AT,
    )
    entry = AuditEntry.objects.get(action="partner_note.add")
    assert (entry.actor, entry.subject_user, entry.target_id) == (
        partner,
        profile.user,
        str(note.pk),
    )
    assert entry.data == {"candidate": profile.pk, "topic": "goals"}
    assert "QZNOTE" not in f"{entry.target_label} {entry.reason} {entry.data}"


def test_editing_and_deleting_a_note_are_audited(partner):
    profile = factories.CandidateProfileFactory(active=True)
    note = services.partner_note_add(profile=profile, by=partner, body="First call.")
    other = factories.PartnerFactory()
    services.partner_note_update(note=note, by=other, body="Second call.", topic="constraints")
    note.refresh_from_db()
    assert (note.body, note.topic, note.author) == ("Second call.", "constraints", partner)
    services.partner_note_delete(note=note, by=other)
    assert not PartnerNote.objects.exists()
    actions = list(
        AuditEntry.objects.filter(target_type="talent.partnernote")
        .order_by("pk")
        .values_list("action", "actor", "data")
    )
    assert actions == [
        ("partner_note.add", partner.pk, {"candidate": profile.pk, "topic": "goals"}),
        (
            "partner_note.update",
            other.pk,
            {"candidate": profile.pk, "topic": "constraints", "fields": ["body", "topic"]},
        ),
        ("partner_note.delete", other.pk, {"candidate": profile.pk, "topic": "constraints"}),
    ]


@pytest.mark.parametrize("persona", ["candidate", "company_member"])
def test_only_partners_write_or_read_notes(request, persona, partner):
    user = request.getfixturevalue(persona)
    profile = factories.CandidateProfileFactory(active=True)
    note = services.partner_note_add(profile=profile, by=partner, body=SECRET)
    with pytest.raises(PermissionDenied, match=NOT_A_PARTNER):
        services.partner_note_add(profile=profile, by=user, body="Mine")
    with pytest.raises(PermissionDenied, match=NOT_A_PARTNER):
        services.partner_note_update(note=note, by=user, body="Mine")
    with pytest.raises(PermissionDenied, match=NOT_A_PARTNER):
        services.partner_note_delete(note=note, by=user)
    api = api_as(user)
    assert api.get(f"/candidates/{profile.pk}/notes").status_code == 403
    assert api.post(f"/candidates/{profile.pk}/notes", {"body": "x"}).status_code == 403
    assert api.patch(f"/partner-notes/{note.pk}", {"body": "x"}).status_code == 403
    assert api.delete(f"/partner-notes/{note.pk}").status_code == 403
    assert PartnerNote.objects.get().body == SECRET


def test_partners_use_the_notes_api(partner):
    profile = factories.CandidateProfileFactory(active=True)
    api = api_as(partner)
    created = api.post(f"/candidates/{profile.pk}/notes", {"topic": "direction", "body": SECRET})
    assert created.status_code == 201
    note_id = created.json()["id"]
    listed = api.get(f"/candidates/{profile.pk}/notes").json()
    assert (listed["total"], listed["items"][0]["body"]) == (1, SECRET)
    patched = api.patch(f"/partner-notes/{note_id}", {"body": "Now keen on research."})
    assert patched.json()["body"] == "Now keen on research."
    assert api.delete(f"/partner-notes/{note_id}").status_code == 204
    assert api.get(f"/candidates/{profile.pk}/notes").json()["total"] == 0
    too_long = api.post(f"/candidates/{profile.pk}/notes", {"body": "x" * 4001})
    assert too_long.status_code == 422
    assert api.get("/candidates/999999/notes").status_code == 404


def test_a_note_never_reaches_the_company_or_the_candidates_pages(client, accepted):
    candidate = accepted.candidate.user
    member = factories.CompanyMemberFactory(company=accepted.role.company)
    client.force_login(candidate)
    for url in (
        reverse("talent:profile"),
        reverse("followup:my_matchday"),
        reverse("followup:controls"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "QZNOTE" not in response.content.decode(), url
    for path in ("/me/profile", "/intros", f"/intros/{accepted.pk}/prep"):
        assert "QZNOTE" not in api_as(candidate).get(path).content.decode(), path
    client.force_login(member)
    for url in (
        reverse("followup:pipeline"),
        reverse("followup:pipeline_intro", args=[accepted.pk]),
        reverse("matchdays:shortlists"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "QZNOTE" not in response.content.decode(), url
    for path in ("/intros", f"/intros/{accepted.pk}", f"/intros/{accepted.pk}/steps"):
        assert "QZNOTE" not in api_as(member).get(path).content.decode(), path
    assert (
        client.get(reverse("talent:candidate_detail", args=[accepted.candidate_id])).status_code
        == 403
    )


def test_notes_show_beside_the_candidate_on_review_and_proposal_pages(client, partner, accepted):
    client.force_login(partner)
    md = accepted.matchday
    page = client.get(
        reverse("matchdays:review", args=[md.pk]), {"candidate": accepted.candidate_id}
    ).content.decode()
    assert SECRET in page and "Career direction" in page
    page = client.get(reverse("matchdays:proposal", args=[accepted.proposal_id])).content.decode()
    assert SECRET in page
    page = client.get(reverse("talent:candidate_detail", args=[accepted.candidate_id]))
    assert SECRET in page.content.decode()


def test_search_shows_the_latest_note_and_finds_candidates_by_note_words(client, partner, accepted):
    other = factories.CandidateProfileFactory(active=True)
    services.partner_note_add(profile=other, by=partner, body="Relocating to Lisbon in May.")
    client.force_login(partner)
    response = client.get(reverse("talent:candidate_search"), {"note": "product management"})
    assert [p.pk for p in response.context["page"]] == [accepted.candidate_id]
    row = response.context["page"][0]
    assert (row.latest_note, row.note_count) == (SECRET, 1)
    assert "technical product management" in response.content.decode()


def test_a_partner_adds_a_note_from_the_review_page_and_returns_there(client, partner, accepted):
    client.force_login(partner)
    back = (
        reverse("matchdays:review", args=[accepted.matchday_id])
        + f"?candidate={accepted.candidate_id}"
    )
    response = client.post(
        reverse("talent:note_add", args=[accepted.candidate_id]),
        {"topic": "constraints", "body": "Cannot travel before June.", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert PartnerNote.objects.filter(body="Cannot travel before June.").exists()
    offsite = client.post(
        reverse("talent:note_add", args=[accepted.candidate_id]),
        {"topic": "goals", "body": "Another.", "next": "https://evil.example/"},
    )
    assert offsite["Location"].startswith(
        reverse("talent:candidate_detail", args=[accepted.candidate_id])
    )


def test_note_text_is_bounded_and_required(partner):
    profile = factories.CandidateProfileFactory(active=True)
    services.partner_note_add(profile=profile, by=partner, body="x" * 4000)
    with pytest.raises(ValidationError) as exc:
        services.partner_note_add(profile=profile, by=partner, body="x" * 4001)
    assert exc.value.message_dict == {
        "body": ["Ensure this value has at most 4000 characters (it has 4001)."]
    }
    with pytest.raises(ValidationError) as exc:
        services.partner_note_add(profile=profile, by=partner, body=" \r\n ")
    assert exc.value.message_dict == {"body": [services.NOTE_NEEDS_BODY]}
    with pytest.raises(ValidationError):
        services.partner_note_add(profile=profile, by=partner, body="ok", topic="gossip")


def test_a_candidate_holds_a_bounded_number_of_notes(partner, monkeypatch):
    monkeypatch.setattr(services, "MAX_PARTNER_NOTES", 2)
    profile = factories.CandidateProfileFactory(active=True)
    for i in range(2):
        services.partner_note_add(profile=profile, by=partner, body=f"Note {i}")
    with pytest.raises(ValidationError) as exc:
        services.partner_note_add(profile=profile, by=partner, body="One more")
    assert exc.value.messages == [services.TOO_MANY_NOTES]
    assert PartnerNote.objects.count() == 2


def test_no_note_about_a_deleted_account(partner):
    from matchday.talent import rights

    profile = factories.CandidateProfileFactory(active=True)
    rights.candidate_account_delete(user=profile.user, by=profile.user)
    with pytest.raises(ValidationError) as exc:
        services.partner_note_add(profile=profile, by=partner, body="Still here?")
    assert exc.value.messages == [services.NOTE_ON_ERASED]


def test_each_review_row_shows_the_candidates_latest_note(client, partner):
    from matchday.matchdays.models import Proposal

    proposal = interested_proposal(status=Proposal.Status.PENDING)
    services.partner_note_add(
        profile=proposal.candidate, by=partner, body="Older note.", now=RELEASE_AT
    )
    services.partner_note_add(profile=proposal.candidate, by=partner, body=SECRET)
    client.force_login(partner)
    page = client.get(reverse("matchdays:review", args=[proposal.matchday_id])).content.decode()
    assert f"Note: {SECRET}" in page and "Older note." not in page
    row = client.post(
        reverse("matchdays:approve", args=[proposal.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'data-testid="row-partner-note"' in row and "Approved" in row


def test_an_invalid_edit_keeps_the_note_and_says_why(client, partner):
    profile = factories.CandidateProfileFactory(active=True)
    note = services.partner_note_add(profile=profile, by=partner, body=SECRET)
    client.force_login(partner)
    response = client.post(
        reverse("talent:note_edit", args=[note.pk]), {"topic": "goals", "body": ""}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Note: This field is required."]
    note.refresh_from_db()
    assert note.body == SECRET
