"""A candidate's data rights: the export holds everything about them and nothing about
anyone else; deletion leaves no personal field anywhere in the database, keeps aggregate
records, and companies see "Deleted candidate"."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils import timezone

from matchday.api.models import ApiKey
from matchday.audits.models import AuditEntry
from matchday.followup.models import Intro, Offer, PipelineStep, ResponseRecord
from matchday.matchdays import services as matchday_services
from matchday.matchdays.models import Interest, MatchDay, Proposal
from matchday.notifications.models import Message
from matchday.notifications.services import about_key
from matchday.talent import rights, services
from matchday.talent.models import (
    CandidateProfile,
    Demographics,
    Education,
    Experience,
    PartnerNote,
)
from tests import factories

NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.q@example.org"
# In every other personal string. Five letters: the scan also reads encrypted second-factor
# secrets, whose random base64 held a three-letter mark about once in a hundred runs.
MARK = "ZQXJW"
NEEDLES = (MARK, "Zephyrine", "Quillfeather", EMAIL)


def _seed_candidate(*, name=NAME, email=EMAIL, mark=MARK):
    """A candidate with a distinctive string in every personal field, a whole Match Day
    history, messages, audit entries, an API key and a failed login."""
    from axes.models import AccessAttempt

    now = timezone.now()
    user = factories.UserFactory(full_name=name, email=email)
    profile = factories.CandidateProfileFactory(
        user=user,
        headline=f"HEADLINE-{mark}",
        summary=f"SUMMARY-{mark}",
        city=f"CITY-{mark}",
        timezone="Europe/Berlin",
        acceptable_cities=[f"ACITY-{mark}"],
    )
    for skill in ("python", "pytorch", "kubernetes"):
        factories.CandidateSkillFactory(candidate=profile, skill_id=skill, evidence=f"EV-{mark}")
    for i in range(2):
        factories.AchievementFactory(
            candidate=profile,
            title=f"ACH-{mark}-{i}",
            problem=f"PROB-{mark}",
            constraints=f"CONS-{mark}",
            options=f"OPT-{mark}",
            decision=f"DEC-{mark}",
            result=f"RES-{mark}",
        )
    factories.LinkFactory(candidate=profile, title=f"LINK-{mark}", url=f"https://{mark}.example/x")
    Experience.objects.create(
        candidate=profile,
        employer=f"EMPLOYER-{mark}",
        title=f"TITLE-{mark}",
        description=f"DESC-{mark}",
    )
    Education.objects.create(
        candidate=profile, school=f"SCHOOL-{mark}", degree=f"DEG-{mark}", field=f"FIELD-{mark}"
    )
    Demographics.objects.create(candidate=profile, sex="female", race_ethnicity="asian")
    services.profile_update(profile=profile, by=user, data={"summary": f"SUMMARY-{mark}!"})
    services.candidate_submit(profile=profile, by=user)
    partner = factories.PartnerFactory()
    services.candidate_approve(profile=profile, by=partner, reason=f"VETTING-{mark}")
    services.partner_note_add(profile=profile, by=partner, body=f"GOALS-{mark}", topic="direction")

    for action in ("redact", "keep"):
        matchday_services.blind_term_add(
            candidate=profile, by=partner, term=f"BLIND-{mark}-{action}", action=action
        )

    role = factories.RoleFactory(open=True)
    member = factories.CompanyMemberFactory(company=role.company)
    md = MatchDay.objects.create(
        name="November",
        release_at=now,
        interest_deadline=now - timedelta(days=1),
        status=MatchDay.Status.RELEASED,
        released_at=now,
    )
    base = dict(
        matchday=md,
        candidate=profile,
        score=0.8,
        role_fit=0.8,
        candidate_fit=0.8,
        engine_version="1",
        input_hash="sha256:x",
    )
    accepted = Proposal.objects.create(
        **base,
        role=role,
        status="approved",
        sentences=[f"Matched on EV-{mark}"],
        explanation={"evidence": f"EV-{mark}"},
        review_reason=f"REVIEW-{mark}",
    )
    passed = Proposal.objects.create(
        **base,
        role=factories.RoleFactory(open=True, company=role.company),
        status="rejected",
        review_reason=f"REJECT-{mark}",
    )
    Interest.objects.create(
        proposal=accepted,
        decision="interested",
        offered_salary=110000,
        note=f"NOTE-{mark}",
        decided_by=member,
        decided_at=now,
    )
    Interest.objects.create(
        proposal=passed, decision="passed", pass_reason=f"PASS-{mark}", decided_at=now
    )
    intro = Intro.objects.create(
        matchday=md,
        proposal=accepted,
        candidate=profile,
        role=role,
        offered_salary=110000,
        released_at=now,
        status="accepted",
        decided_at=now,
        decline_reason=f"DECL-{mark}",
    )
    step = PipelineStep.objects.create(
        intro=intro,
        position=0,
        kind="screen",
        name="Screen",
        owner=member,
        due_at=now + timedelta(days=5),
        location=f"LOC-{mark}",
        notes=f"NOTES-{mark}",
    )
    ResponseRecord.objects.create(
        company=role.company, intro=intro, step=step, opened_at=now, due_at=now, responded_at=now
    )
    Offer.objects.create(
        intro=intro,
        step=step,
        amount=120000,
        currency="EUR",
        start_date=now.date() + timedelta(days=30),
        expires_at=now + timedelta(days=7),
        made_by=member,
        made_at=now,
        status="declined",
        notes=f"OFFERNOTES-{mark}",
        outside_band_reason=f"BAND-{mark}",
        decline_reason=f"OFFERDECL-{mark}",
    )
    Message.objects.create(
        recipient=user,
        to_email=email,
        kind="digest",
        subject=f"Hi {name}",
        body=f"MSG-{mark}",
        about="matchdays.matchday:1",
    )
    Message.objects.create(
        recipient=member,
        to_email=member.email,
        kind="intro_accepted",
        subject=f"{name} accepted",
        body=f"{name} ({email}) accepted your intro.",
        about=about_key(intro, "accepted"),
    )
    ApiKey.objects.create(
        user=user,
        name=f"KEY-{mark}",
        prefix=f"k{mark}",
        key_hash=hashlib.sha256(mark.encode()).hexdigest(),
        created_at=now,
    )
    AccessAttempt.objects.create(
        username=email,
        ip_address="127.0.0.1",
        user_agent="pytest",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=1,
        attempt_time=now,
    )
    return user, profile, intro, member


def _text_values(needles) -> list[str]:
    """Every text and JSON value of every row of every model that contains a needle."""
    hits = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            or f.get_internal_type() in {"CharField", "TextField", "JSONField"}
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list("pk", *fields):
            for field, value in zip(["pk", *fields], row, strict=True):
                text = value if isinstance(value, str) else json.dumps(value, default=str)
                for needle in needles:
                    if needle.lower() in text.lower():
                        hits.append(f"{model._meta.label}.{field} (pk {row[0]}): {text[:80]}")
    return hits


@pytest.mark.django_db
def test_seed_puts_the_needles_in_many_places():
    _seed_candidate()
    assert len(_text_values(NEEDLES)) > 25  # the scan below would see any that survived


@pytest.mark.django_db
def test_deletion_leaves_no_personal_field_in_any_table():
    user, _profile, _intro, _member = _seed_candidate()
    _other_user, *_ = _seed_candidate(name="Other Person", email="other@example.org", mark="OTH")
    rights.candidate_account_delete(user=user, by=user)
    assert _text_values(NEEDLES) == []
    # The other candidate is untouched.
    assert len(_text_values(["OTH", "other@example.org"])) > 25


@pytest.mark.django_db
def test_deletion_keeps_aggregate_records_without_identity():
    user, profile, intro, _member = _seed_candidate()
    entries_before = AuditEntry.objects.count()
    rights.candidate_account_delete(user=user, by=user)
    user.refresh_from_db()
    assert (user.email, user.full_name, user.is_active) == (
        f"deleted-{user.pk}@invalid",
        "",
        False,
    )
    assert not user.has_usable_password()
    profile.refresh_from_db()
    assert (profile.headline, profile.summary, profile.city) == ("", "", "")
    assert profile.status == CandidateProfile.Status.PAUSED
    for related in ("skills", "achievements", "links", "experiences", "education"):
        assert getattr(profile, related).count() == 0, related
    assert not Demographics.objects.filter(candidate=profile).exists()
    assert not PartnerNote.objects.filter(candidate=profile).exists()
    assert AuditEntry.objects.get(action="partner_note.add").data == {
        "candidate": profile.pk,
        "topic": "direction",
    }
    assert Proposal.objects.filter(candidate=profile).count() == 2
    assert Interest.objects.filter(proposal__candidate=profile).count() == 2
    assert Intro.objects.filter(candidate=profile).count() == 1
    assert PipelineStep.objects.filter(intro=intro).count() == 1
    assert ResponseRecord.objects.filter(intro=intro).count() == 1
    assert not Message.objects.filter(recipient=user).exists()
    assert not ApiKey.objects.filter(user=user).exists()
    # Every audit entry stays, plus the erasure itself; labels no longer name them.
    assert AuditEntry.objects.count() == entries_before + 1
    approve = AuditEntry.objects.get(action="candidate.vet.approve")
    assert approve.target_label == "Deleted candidate (Active)"
    assert approve.reason == rights.ERASED
    assert AuditEntry.objects.get(action="candidate.submit").actor_label == user.email
    erase = AuditEntry.objects.get(action="candidate.erase")
    assert (erase.actor_label, erase.target_id) == ("system", str(profile.pk))


@pytest.mark.django_db
def test_company_pipeline_shows_deleted_candidate(client):
    user, _profile, _intro, member = _seed_candidate()
    rights.candidate_account_delete(user=user, by=user)
    client.force_login(member)
    message = Message.objects.get(recipient=member, kind="intro_accepted")
    assert message.subject == "Deleted candidate accepted"
    assert message.body == f"Deleted candidate (deleted-{user.pk}@invalid) accepted your intro."
    page = client.get(reverse("followup:pipeline")).content.decode()
    assert "Deleted candidate" in page
    assert NAME not in page


@pytest.mark.django_db
def test_export_holds_every_section_about_them():
    user, _profile, _intro, _member = _seed_candidate()
    _seed_candidate(name="Other Person", email="other@example.org", mark="OTH")
    data = json.loads(json.dumps(rights.candidate_data_export(user=user, by=user), default=str))
    assert data["account"]["email"] == EMAIL
    assert data["profile"]["headline"] == f"HEADLINE-{MARK}"
    assert data["profile"]["acceptable_countries"] == ["DE", "NL"]
    assert data["vetting"]["reason"] == "VETTING-ZQXJW"
    assert len(data["skills"]) == 3 and data["skills"][0]["evidence"] == "EV-ZQXJW"
    assert [a["title"] for a in data["achievements"]] == ["ACH-ZQXJW-0", "ACH-ZQXJW-1"]
    assert data["links"][0]["title"] == "LINK-ZQXJW"
    assert data["experience"][0]["employer"] == "EMPLOYER-ZQXJW"
    assert data["education"][0]["school"] == "SCHOOL-ZQXJW"
    assert data["demographics"]["race_ethnicity"] == "asian"
    assert [(n["topic"], n["body"], n["by"]) for n in data["partner_notes"]] == [
        ("direction", "GOALS-ZQXJW", "a talent partner")
    ]
    decisions = {p["review"]["reason"]: p["company_decision"] for p in data["proposals"]}
    assert decisions["REVIEW-ZQXJW"]["offered_salary"] == 110000
    assert decisions["REJECT-ZQXJW"]["pass_reason"] == "PASS-ZQXJW"
    assert data["intros"][0]["pipeline"][0]["notes"] == "NOTES-ZQXJW"
    assert data["intros"][0]["offers"][0]["decline_reason"] == "OFFERDECL-ZQXJW"
    assert {e["action"] for e in data["audit"]} >= {
        "profile.update",
        "candidate.submit",
        "candidate.vet.approve",
    }
    assert "MSG-ZQXJW" in [m["body"] for m in data["messages"]]
    assert "candidate_vetted" in [i["event"] for i in data["inbox"]]
    assert data["api_keys"][0]["name"] == "KEY-ZQXJW"
    text = json.dumps(data)
    assert "OTH" not in text and "other@example.org" not in text
    # Staff are not named: the approving partner's email is not in the export.
    assert "user" not in {e["by"] for e in data["audit"]}
    assert all(
        e["by"] in {"you", "system", "Matchday staff or a company member"} for e in data["audit"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [MatchDay.Status.REVIEW, MatchDay.Status.INTEREST, MatchDay.Status.CURATING]
)
def test_export_withholds_company_decisions_until_release(status):
    """During the interest window the candidate must not learn which company was interested,
    at what salary, or why another passed: the export withholds every decision until release."""
    user, profile, _intro, _member = _seed_candidate()
    MatchDay.objects.filter(proposals__candidate=profile).update(status=status, released_at=None)
    data = rights.candidate_data_export(user=user, by=user)
    assert [(p["company_decision"], p["company_decision_withheld"]) for p in data["proposals"]] == [
        (None, True),
        (None, True),
    ]
    text = json.dumps(data, default=str)
    for secret in ("NOTE-ZQXJW", "PASS-ZQXJW", "passed", "interested"):
        assert secret not in text
    MatchDay.objects.filter(proposals__candidate=profile).update(status=MatchDay.Status.RELEASED)
    data = rights.candidate_data_export(user=user, by=user)
    assert [p["company_decision"]["decision"] for p in data["proposals"]] == [
        "interested",
        "passed",
    ]


@pytest.mark.django_db
def test_nobody_else_can_export_or_delete_a_candidate(partner):
    user, *_ = _seed_candidate()
    other = factories.CandidateProfileFactory().user
    for by in (partner, other):
        with pytest.raises(PermissionDenied):
            rights.candidate_data_export(user=user, by=by)
        with pytest.raises(PermissionDenied):
            rights.candidate_account_delete(user=user, by=by)
    user.refresh_from_db()
    assert user.email == EMAIL


@pytest.mark.django_db
def test_download_page_serves_the_export_as_an_attachment(client):
    user, *_ = _seed_candidate()
    client.force_login(user)
    response = client.get(reverse("imports:my_data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="matchday-my-data-')
    assert json.loads(response.content)["profile"]["headline"] == f"HEADLINE-{MARK}"


@pytest.mark.django_db
def test_delete_needs_the_confirmation_phrase_then_signs_out(client):
    user, *_ = _seed_candidate()
    client.force_login(user)
    url = reverse("imports:account_delete")
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 422
    assert "Type &quot;delete my account&quot; to confirm." in response.content.decode()
    user.refresh_from_db()
    assert user.is_active
    response = client.post(url, {"confirm": "Delete my account"})
    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    assert client.get(reverse("talent:profile")).status_code == 302  # signed out
    login = client.post(reverse("accounts:login"), {"login": EMAIL, "password": factories.PASSWORD})
    assert login.status_code != 302  # the old credentials no longer sign in
