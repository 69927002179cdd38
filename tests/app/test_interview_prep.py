"""Interview preparation per step: templates, limits, who reads it and when (pages, API,
calendar invite, messages), and the company-only drafts."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from icalendar import Calendar

from matchday.companies import services
from matchday.companies.interview_templates import TEMPLATES, UNKNOWN_TEMPLATE
from matchday.companies.models import TOO_MANY_STEP_LINKS, InterviewStep
from matchday.core.fields import URL_NOT_PUBLIC
from matchday.core.permissions import NOT_YOUR_COMPANY
from matchday.followup import services as followup
from matchday.followup.ics import step_invite
from matchday.followup.models import PipelineStep
from matchday.followup.tasks import run_tick
from matchday.matchdays.models import MatchDay
from matchday.notifications.models import Message
from tests import factories
from tests.api.helpers import api_as
from tests.followup_factories import RELEASE_AT, interested_proposal

pytestmark = pytest.mark.django_db

PREP = "Bring the numbers from one incident you led."
OVERVIEW = "Three conversations over two weeks; ask us for any adjustment."
SLOT = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)
ROLE_DATA = {
    "title": "SRE", "level": "senior", "role_type": "infra-sre", "description": "Run it.",
    "location_policy": "remote", "pay_min": 100000, "pay_max": 130000, "pay_currency": "EUR",
}  # fmt: skip


@pytest.fixture
def role():
    role = factories.RoleFactory(open=True, interview_overview=OVERVIEW)
    factories.InterviewStepFactory(
        role=role,
        position=0,
        name="Incident scenario",
        format="cross-functional",
        interviewers="SRE and an engineering manager",
        assesses="Calm triage.",
        preparation=PREP,
        links=["https://sre.example.org/incident-guide"],
    )
    factories.InterviewStepFactory(
        role=role,
        position=1,
        name="System design",
        format="system-design",
        preparation="Revise SLOs and error budgets.",
    )
    return role


@pytest.fixture
def member(role):
    return factories.CompanyMemberFactory(company=role.company)


# --- templates -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_a_template_fills_a_new_roles_steps(key):
    member = factories.CompanyMemberFactory(company__vetted=True)
    role = services.role_create(
        company=member.company, by=member, data=ROLE_DATA, interview_template=key
    )
    expected = TEMPLATES[key]["steps"]
    steps = list(role.interview_steps.all())
    assert [(s.position, s.name, s.format, s.preparation) for s in steps] == [
        (i, t["name"], t["format"], t["preparation"]) for i, t in enumerate(expected)
    ]
    assert all(s.interviewers and s.assesses and s.preparation for s in steps)


def test_the_five_role_families_have_templates():
    assert [t["label"] for t in TEMPLATES.values()] == [
        "ML engineer",
        "Infrastructure / SRE",
        "Research engineer",
        "LLM engineer",
        "Technical product manager",
    ]


def test_an_unknown_template_is_refused_with_the_choices():
    member = factories.CompanyMemberFactory(company__vetted=True)
    with pytest.raises(ValidationError) as exc:
        services.role_create(
            company=member.company, by=member, data=ROLE_DATA, interview_template="chef"
        )
    assert exc.value.message_dict == {
        "interview_template": [UNKNOWN_TEMPLATE.format(key="chef", choices=", ".join(TEMPLATES))]
    }


def test_the_new_role_page_prefills_the_chosen_template(client):
    member = factories.CompanyMemberFactory(company__vetted=True)
    client.force_login(member)
    page = client.get(reverse("companies:role_new"), {"template": "tpm-pm"}).content.decode()
    for step in TEMPLATES["tpm-pm"]["steps"]:
        assert f'value="{step["name"]}"' in page
    assert 'name="steps-INITIAL_FORMS" value="4"' in page


def test_saving_edited_steps_keeps_their_identity_and_the_pipelines_link(role, member):
    first, second = role.interview_steps.all()
    services.role_update(
        role=role,
        by=member,
        data={},
        interview_steps=[
            {"id": second.pk, "name": "System design", "preparation": "New prep."},
            {"id": first.pk, "name": "Incident scenario", "preparation": PREP},
            {"name": "Meet the team"},
        ],
    )
    rows = list(role.interview_steps.values_list("pk", "position", "name", "preparation"))
    assert rows[:2] == [
        (second.pk, 0, "System design", "New prep."),
        (first.pk, 1, "Incident scenario", PREP),
    ]
    assert rows[2][1:] == (2, "Meet the team", "")


def test_a_step_of_another_role_cannot_be_claimed(role, member):
    other = factories.InterviewStepFactory(role=factories.RoleFactory(company=role.company))
    with pytest.raises(ValidationError) as exc:
        services.role_update(
            role=role, by=member, data={}, interview_steps=[{"id": other.pk, "name": "Mine"}]
        )
    assert exc.value.message_dict == {
        "interview_steps": [services.STEP_NOT_OF_ROLE.format(id=other.pk)]
    }
    assert InterviewStep.objects.get(pk=other.pk).role_id != role.pk


# --- limits and links ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://files.example.org/prep.pdf",
        "http://127.0.0.1:8000/admin/",
        "http://10.0.0.5/guide",
        "http://[::1]/guide",
        "http://localhost/guide",
        "http://wiki.corp/guide",
        "https://user:secret@example.org/guide",
        "https://example.org/" + "a" * 500,
    ],
)
def test_links_must_be_public_http_links(role, member, url):
    step = role.interview_steps.first()
    with pytest.raises(ValidationError) as exc:
        services.interview_step_update(step=step, by=member, data={"links": [url]})
    [message] = exc.value.message_dict["interview_steps"]
    assert message.endswith(URL_NOT_PUBLIC) or message.endswith("at most 500 characters.")


def test_at_most_five_links_per_step(role, member):
    step = role.interview_steps.first()
    links = [f"https://example.org/{i}" for i in range(6)]
    with pytest.raises(ValidationError) as exc:
        services.interview_step_update(step=step, by=member, data={"links": links})
    assert exc.value.message_dict["interview_steps"] == [
        f"Interview step 1 (Incident scenario): links: {TOO_MANY_STEP_LINKS}"
    ]


@pytest.mark.parametrize(
    ("field", "limit"), [("preparation", 4000), ("assesses", 1000), ("description", 2000)]
)
def test_prep_text_is_bounded(role, member, field, limit):
    step = role.interview_steps.first()
    services.interview_step_update(step=step, by=member, data={field: "x" * limit})
    with pytest.raises(ValidationError) as exc:
        services.interview_step_update(step=step, by=member, data={field: "x" * (limit + 1)})
    [message] = exc.value.message_dict["interview_steps"]
    assert f"at most {limit} characters (it has {limit + 1})" in message


def test_prep_text_is_sanitised(role, member):
    step = role.interview_steps.first()
    step = services.interview_step_update(
        step=step,
        by=member,
        data={"preparation": "Line one\r\nLine two\x07", "interviewers": "A\nB"},
    )
    assert (step.preparation, step.interviewers) == ("Line one\nLine two", "A B")


def test_the_role_editor_shows_a_bad_link_inline(client, role, member):
    client.force_login(member)
    page = client.get(reverse("companies:role_edit", args=[role.pk]))
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "allowed_countries": [],
            "accepted_levels": [],
            "allowed_timezones": "",
            "cities": "",
            "skills-TOTAL_FORMS": "0",
            "skills-INITIAL_FORMS": "0",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-0-name": "Incident scenario",
            "steps-0-ORDER": "1",
            "steps-0-links": "javascript:alert(1)",
        }
    )
    response = client.post(reverse("companies:role_edit", args=[role.pk]), data)
    assert response.status_code == 422
    assert response.context["steps"].forms[0].errors["links"] == [
        f"javascript:alert(1): {URL_NOT_PUBLIC}"
    ]


def test_every_step_edit_is_audited(role, member):
    from matchday.audits.models import AuditEntry

    step = role.interview_steps.first()
    services.interview_step_update(step=step, by=member, data={"preparation": "Updated."})
    entry = AuditEntry.objects.get(action="interview_step.update")
    assert (entry.actor, entry.target_id, entry.data) == (
        member,
        str(step.pk),
        {"role": role.pk, "fields": ["preparation"]},
    )


# --- who reads it, and when ----------------------------------------------------------------


def _my_matchday(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("followup:my_matchday")).content.decode()


def test_the_candidate_sees_every_steps_prep_only_from_release(client, role):
    proposal = interested_proposal(role=role)
    user = proposal.candidate.user
    assert PREP not in _my_matchday(client, user)
    assert api_as(user).get("/intros").json()["total"] == 0

    [intro] = followup.matchday_release(matchday=proposal.matchday, now=RELEASE_AT)
    page = _my_matchday(client, user)
    assert OVERVIEW in page
    assert PREP in page and "Revise SLOs and error budgets." in page
    assert "with SRE and an engineering manager" in page
    assert (
        'href="https://sre.example.org/incident-guide" rel="noopener noreferrer nofollow"' in page
    )
    body = api_as(user).get(f"/intros/{intro.pk}/prep").json()
    assert body["interview_overview"] == OVERVIEW
    assert [(s["name"], s["preparation"]) for s in body["steps"]] == [
        ("Incident scenario", PREP),
        ("System design", "Revise SLOs and error budgets."),
    ]


def test_another_candidate_cannot_read_the_intros_prep(role):
    proposal = interested_proposal(role=role)
    [intro] = followup.matchday_release(matchday=proposal.matchday, now=RELEASE_AT)
    other = factories.CandidateProfileFactory(active=True).user
    assert api_as(other).get(f"/intros/{intro.pk}/prep").status_code == 404


def test_the_company_previews_the_prep_as_candidates_read_it(client, role, member):
    client.force_login(member)
    page = client.get(reverse("companies:role_detail", args=[role.pk])).content.decode()
    assert "As candidates read it" in page
    assert PREP in page and OVERVIEW in page


def test_a_company_cannot_read_another_companys_prep_drafts(client, role):
    draft = factories.RoleFactory(interview_overview="Secret plan")
    step = factories.InterviewStepFactory(role=draft, preparation="Secret prep")
    outsider = factories.CompanyMemberFactory(company__vetted=True)
    client.force_login(outsider)
    for name in ("companies:role_detail", "companies:role_edit"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    api = api_as(outsider)
    assert api.get(f"/roles/{draft.pk}/interview-steps").status_code == 404
    assert api.get(f"/roles/{draft.pk}").status_code == 404
    patch = api.patch(f"/roles/{draft.pk}/interview-steps/{step.pk}", {"preparation": "Mine"})
    assert patch.status_code == 404
    assert InterviewStep.objects.get(pk=step.pk).preparation == "Secret prep"
    with pytest.raises(PermissionDenied, match=NOT_YOUR_COMPANY):
        services.interview_step_update(step=step, by=outsider, data={"preparation": "Mine"})


def test_api_permissions_on_interview_steps(role, member, partner, candidate):
    step = role.interview_steps.first()
    path = f"/roles/{role.pk}/interview-steps"
    assert api_as(member).get(path).json()[0]["preparation"] == PREP
    assert api_as(partner).get(path).status_code == 200
    assert api_as(candidate).get(path).status_code == 404
    assert api_as(partner).patch(f"{path}/{step.pk}", {"preparation": "x"}).status_code == 403
    response = api_as(member).patch(
        f"{path}/{step.pk}", {"preparation": "Bring a diagram.", "links": ["https://example.org/a"]}
    )
    assert response.status_code == 200
    assert (response.json()["preparation"], response.json()["links"]) == (
        "Bring a diagram.",
        ["https://example.org/a"],
    )
    bad = api_as(member).patch(f"{path}/{step.pk}", {"links": ["javascript:alert(1)"]})
    assert bad.status_code == 422
    assert api_as(member).get("/interview-templates").json()[1]["key"] == "infra-sre"


def test_the_api_creates_a_role_from_a_template(company_member):
    body = (
        api_as(company_member)
        .post("/roles", {**ROLE_DATA, "interview_template": "llm-engineer"})
        .json()
    )
    assert [s["name"] for s in body["interview_steps"]] == [
        s["name"] for s in TEMPLATES["llm-engineer"]["steps"]
    ]


# --- the scheduled step's invite and messages -----------------------------------------------


@pytest.fixture
def interview(role, member):
    """The accepted intro's first interview step (after the screen), scheduled at SLOT."""
    proposal = interested_proposal(role=role)
    [intro] = followup.matchday_release(matchday=proposal.matchday, now=RELEASE_AT)
    followup.intro_accept(intro=intro, by=intro.candidate.user, now=RELEASE_AT)
    screen = intro.steps.get()
    step = followup.step_complete(step=screen, by=member, now=RELEASE_AT + timedelta(hours=1))
    return followup.step_schedule(
        step=step, by=member, scheduled_at=SLOT, now=RELEASE_AT + timedelta(hours=2)
    )


def test_the_invite_carries_the_scheduled_steps_prep(interview):
    assert interview.interview_step.name == "Incident scenario"
    event = Calendar.from_ical(step_invite(interview)).walk("VEVENT")[0]
    description = str(event["description"])
    assert f"What to prepare: {PREP}" in description
    assert "Material: https://sre.example.org/incident-guide" in description
    assert f"About the interview process: {OVERVIEW}" in description
    assert "Revise SLOs" not in description  # the other step's prep is not this invite's


def test_the_scheduled_message_carries_the_prep(interview):
    message = Message.objects.get(
        recipient=interview.intro.candidate.user, about__contains=":scheduled:"
    )
    assert f"What to prepare: {PREP}" in message.body


def test_the_candidate_is_reminded_the_day_before_with_the_prep_once(interview):
    user = interview.intro.candidate.user
    assert followup.remind_candidates_upcoming(now=SLOT - timedelta(hours=25)) == 0
    assert followup.remind_candidates_upcoming(now=SLOT - timedelta(hours=20)) == 1
    assert followup.remind_candidates_upcoming(now=SLOT - timedelta(hours=19)) == 0
    message = Message.objects.get(recipient=user, about__contains=":upcoming:")
    assert message.kind == Message.Kind.REMINDER
    assert f"What to prepare: {PREP}" in message.body
    assert run_tick(now=SLOT - timedelta(hours=1))["candidates_reminded"] == 0


def test_the_candidate_downloads_the_invite_with_the_prep(client, interview):
    client.force_login(interview.intro.candidate.user)
    response = client.get(reverse("followup:candidate_invite", args=[interview.pk]))
    assert response.status_code == 200
    assert PREP.encode()[:30] in response.content.replace(b"\r\n ", b"")


def test_the_migration_links_existing_pipeline_steps_to_their_interview_step(interview):
    PipelineStep.objects.filter(pk=interview.pk).update(interview_step=None)
    module = importlib.import_module(
        "matchday.matchdays.migrations.0007_pipelinestep_interview_step"
    )
    # The migration's own view of the models (PipelineStep was still matchdays' then).
    at = MigrationExecutor(connection).loader.project_state(
        ("matchdays", "0007_pipelinestep_interview_step")
    )
    module.link_interview_steps(at.apps, None)
    interview.refresh_from_db()
    assert interview.interview_step == interview.intro.role.interview_steps.get(position=0)


def test_nothing_before_release_even_for_an_approved_proposal_in_the_interest_window(client, role):
    proposal = interested_proposal(role=role)
    assert proposal.matchday.status == MatchDay.Status.INTEREST
    page = _my_matchday(client, proposal.candidate.user)
    assert "How to prepare" not in page and OVERVIEW not in page
