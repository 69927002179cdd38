"""Partner oversight: every intro and pipeline with filters, and acting on an escalation
(nudge the owner, reassign to another member, close with a reason), reached from the
escalation message itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.core.site import absolute_url
from matchday.followup import services
from matchday.followup.models import Intro, PipelineStep, ResponseRecord
from matchday.notifications.models import Message
from tests import factories
from tests.followup_factories import company_member_of, released_intro
from tests.reminder_times import ACCEPTED_AT, DUE, ESCALATE

pytestmark = pytest.mark.django_db


@pytest.fixture
def escalated(db):
    """An accepted intro whose screen the owner let lapse, escalated to the partner."""
    intro = released_intro()
    owner = company_member_of(intro, full_name="Olga Owner")
    other = company_member_of(intro, full_name="Mo Member")
    partner = factories.PartnerFactory(full_name="Pat Partner")
    services.intro_accept(intro=intro, by=intro.candidate.user, now=ACCEPTED_AT)
    services.send_reminders(now=DUE)
    services.send_reminders(now=ESCALATE)
    step = intro.steps.get()
    assert step.escalated_at == ESCALATE
    return intro, step, owner, other, partner


def test_the_escalation_names_the_candidate_and_links_to_where_the_partner_acts(escalated):
    intro, _step, _owner, _other, partner = escalated
    message = Message.objects.get(kind="escalation", recipient=partner)
    name, email = intro.candidate.user.full_name, intro.candidate.user.email
    assert f"Candidate: {name} ({email})\n" in message.body
    assert f"Role: Senior ML Engineer at {intro.role.company.name}, {intro.matchday.name}" in (
        message.body
    )
    assert "intro " + str(intro.pk) not in message.body
    link = absolute_url(reverse("followup:oversight_intro", args=[intro.pk]))
    assert f"\n\n{link}\n" in message.body


def test_the_escalation_link_opens_for_the_partner(client, escalated):
    intro, _step, _owner, _other, partner = escalated
    client.force_login(partner)
    response = client.get(reverse("followup:oversight_intro", args=[intro.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert intro.candidate.user.full_name in html
    assert 'id="nudge-form"' in html and 'id="reassign-form"' in html and 'id="close-form"' in html
    assert [m.kind for m in response.context["view"].messages] == [
        "intro_accepted",
        "intro_accepted",
        "reminder",
        "escalation",
    ]


def test_a_partner_following_a_company_pipeline_link_is_sent_to_oversight(client, escalated):
    intro, _step, _owner, _other, partner = escalated
    client.force_login(partner)
    response = client.get(reverse("followup:pipeline_intro", args=[intro.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:oversight_intro", args=[intro.pk])


# -- the list ------------------------------------------------------------------------------


def test_oversight_lists_every_intro_and_filters_by_company_matchday_and_overdue(
    client, escalated, django_assert_num_queries
):
    intro, _step, _owner, _other, partner = escalated
    quiet = released_intro()  # another company, another Match Day, not accepted
    client.force_login(partner)
    url = reverse("followup:oversight")
    # session + user, filter choices (2), count, page, steps with owners, unread inbox count
    with django_assert_num_queries(8):
        everything = client.get(url)
    assert {i.pk for i in everything.context["page"]} == {intro.pk, quiet.pk}
    cases = {
        f"company={intro.role.company_id}": {intro.pk},
        f"matchday={quiet.matchday_id}": {quiet.pk},
        "overdue=on": {intro.pk},
        "escalated=on": {intro.pk},
        "status=released": {quiet.pk},
    }
    for query, expected in cases.items():
        response = client.get(f"{url}?{query}")
        assert {i.pk for i in response.context["page"]} == expected, query
    html = everything.content.decode()
    assert "overdue</span>" in html and "escalated</span>" in html


@pytest.mark.parametrize("query", ["company=99999999999999999999", "matchday=-1", "status=x"])
def test_oversight_filters_out_of_range_are_a_400(client, partner, query):
    client.force_login(partner)
    assert client.get(reverse("followup:oversight") + f"?{query}").status_code == 400


def test_oversight_is_for_partners_only(client, escalated):
    intro, _step, owner, _other, _partner = escalated
    client.force_login(owner)
    assert client.get(reverse("followup:oversight")).status_code == 403
    assert client.get(reverse("followup:oversight_intro", args=[intro.pk])).status_code == 403


# -- nudge, reassign, close ------------------------------------------------------------------


def test_nudge_asks_the_owner_to_act_now_with_the_partners_note(escalated):
    intro, step, owner, _other, partner = escalated
    later = ESCALATE + timedelta(hours=2)
    services.step_nudge(step=step, by=partner, note="The candidate asked twice.", now=later)
    nudge = Message.objects.get(subject__startswith="A talent partner asks")
    assert nudge.recipient == owner
    assert "Their note: The candidate asked twice." in nudge.body
    link = absolute_url(reverse("followup:pipeline_intro", args=[intro.pk]))
    assert f"\n\n{link}\n" in nudge.body
    entry = AuditEntry.objects.get(action="step.nudge")
    assert (entry.actor, entry.reason, entry.data) == (
        partner,
        "The candidate asked twice.",
        {"recipients": [owner.pk]},
    )


def test_reassign_gives_the_step_to_another_member_who_is_told(escalated):
    _intro, step, owner, other, partner = escalated
    services.step_reassign(step=step, by=partner, owner=other, now=ESCALATE)
    step.refresh_from_db()
    assert step.owner == other
    told = Message.objects.get(recipient=other, subject__startswith="You now own")
    assert "schedule the screen" in told.body
    entry = AuditEntry.objects.get(action="step.reassign")
    assert entry.data == {"from": owner.pk, "to": other.pk}


def test_reassign_refuses_someone_outside_the_company_and_the_current_owner(escalated):
    _intro, step, owner, _other, partner = escalated
    stranger = factories.CompanyMemberFactory()
    with pytest.raises(ValidationError) as exc:
        services.step_reassign(step=step, by=partner, owner=stranger)
    assert list(exc.value.message_dict) == ["owner"]
    with pytest.raises(ValidationError) as exc:
        services.step_reassign(step=step, by=partner, owner=owner)
    assert exc.value.message_dict == {
        "owner": [services.STEP_OWNER_UNCHANGED.format(name="Olga Owner")]
    }


def test_partner_closes_with_a_reason_both_sides_read_and_the_miss_stays(escalated):
    intro, step, _owner, _other, partner = escalated
    services.intro_close_by_partner(
        intro=intro, by=partner, reason="The company stopped answering.", now=ESCALATE
    )
    intro.refresh_from_db()
    step.refresh_from_db()
    assert (intro.status, intro.close_reason) == ("closed", "The company stopped answering.")
    assert step.status == PipelineStep.Status.CANCELLED
    record = ResponseRecord.objects.get(step=step)
    assert (record.missed, record.responded_at) == (True, None)
    to_candidate = Message.objects.get(recipient=intro.candidate.user, about__endswith=":closed")
    assert "The reason: The company stopped answering." in to_candidate.body
    assert Message.objects.filter(about__endswith=":closed_by_partner").count() == 2
    assert AuditEntry.objects.get(action="intro.close_by_partner").actor == partner


def test_only_partners_act_on_escalations(escalated):
    intro, step, owner, other, _partner = escalated
    with pytest.raises(PermissionDenied):
        services.step_nudge(step=step, by=owner)
    with pytest.raises(PermissionDenied):
        services.step_reassign(step=step, by=owner, owner=other)
    with pytest.raises(PermissionDenied):
        services.intro_close_by_partner(intro=intro, by=owner, reason="x")


def test_acting_on_a_closed_pipeline_is_refused(escalated):
    intro, step, _owner, other, partner = escalated
    services.intro_close_by_partner(intro=intro, by=partner, reason="Done.")
    with pytest.raises(ValidationError) as exc:
        services.step_reassign(step=step, by=partner, owner=other)
    assert exc.value.messages == [services.NOT_IN_PIPELINE.format(status="closed")]


def test_pages_act_and_come_back_with_a_message(client, escalated):
    intro, step, _owner, other, partner = escalated
    client.force_login(partner)
    page = reverse("followup:oversight_intro", args=[intro.pk])
    r = client.post(reverse("followup:oversight_nudge", args=[step.pk]), {"note": ""})
    assert (r.status_code, r["Location"]) == (302, page)
    r = client.post(reverse("followup:oversight_reassign", args=[step.pk]), {"owner": other.pk})
    assert (r.status_code, r["Location"]) == (302, page)
    refused = client.post(reverse("followup:oversight_close", args=[intro.pk]), {"reason": ""})
    assert refused.status_code == 422
    assert Intro.objects.get(pk=intro.pk).status == "accepted"
    r = client.post(reverse("followup:oversight_close", args=[intro.pk]), {"reason": "Lapsed."})
    assert r.status_code == 302
    assert Intro.objects.get(pk=intro.pk).status == "closed"
