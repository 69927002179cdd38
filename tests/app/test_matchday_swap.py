"""The swap picker: the run's next-best candidates for a role and roles for a candidate,
scored again now, picked with one click, within the caps K and M; clear errors for ids
that do not exist."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.matchdays import services
from matchday.matchdays.forms import NO_SUCH_CANDIDATE, NO_SUCH_ROLE
from matchday.matchdays.models import Proposal
from tests.market import build_market, create_matchday, run_curation

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(db, django_capture_on_commit_callbacks):
    """K = M = 1: each candidate and role holds one proposal; the run keeps alternates.

    Proposed: Z2 -> A1, Z8 -> A2, Z1 -> B1. Alternates for A1: Z1 (at K), Z3, Z0.
    """
    market = build_market()
    md = create_matchday(market, candidate_cap=1, role_cap=1)
    run_curation(market, md, django_capture_on_commit_callbacks)
    return market, md


def _person(market, n: int):
    return next(p.profile for p in market.people if p.full_name.startswith(f"Zebulon{n} "))


def _proposal(md, role):
    return md.proposals.get(role=role, status__in=["pending", "approved"])


def test_swap_never_pushes_a_candidate_past_k(tight):
    market, md = tight
    z1 = _person(market, 1)
    assert md.proposals.filter(candidate=z1, status="pending").count() == 1  # already at K
    with pytest.raises(ValidationError) as exc:
        services.proposal_swap(
            proposal=_proposal(md, market.role_a1), by=market.partner, candidate=z1, reason="x"
        )
    assert exc.value.message_dict == {
        "candidate": [services.SWAP_CANDIDATE_AT_CAP.format(n=1, k=1)]
    }
    assert md.proposals.filter(candidate=z1).count() == 1


def test_swap_never_pushes_a_role_past_m(tight):
    market, md = tight
    z2_a1 = _proposal(md, market.role_a1)
    with pytest.raises(ValidationError) as exc:
        services.proposal_swap(proposal=z2_a1, by=market.partner, role=market.role_b1, reason="x")
    assert exc.value.message_dict == {"role": [services.SWAP_ROLE_AT_CAP.format(n=1, m=1)]}


def test_swapping_the_role_keeps_the_candidate_and_frees_the_old_role(tight):
    market, md = tight
    services.proposal_reject(
        proposal=_proposal(md, market.role_b1), by=market.partner, reason="Not available"
    )
    old = _proposal(md, market.role_a1)
    new = services.proposal_swap(
        proposal=old, by=market.partner, role=market.role_b1, reason="Better fit"
    )
    old.refresh_from_db()
    assert (new.candidate_id, new.role_id, new.status, new.source) == (
        old.candidate_id,
        market.role_b1.pk,
        "approved",
        "swap",
    )
    assert (old.status, new.replaces_id) == ("swapped_out", old.pk)
    entry = AuditEntry.objects.get(action="proposal.swap", target_id=str(new.pk))
    assert entry.data["swapped"] == "role" and entry.reason == "Better fit"


def test_swap_refuses_a_candidate_who_does_not_take_part(tight):
    market, md = tight
    with pytest.raises(ValidationError) as exc:
        services.proposal_swap(
            proposal=_proposal(md, market.role_a1),
            by=market.partner,
            candidate=market.paused,
            reason="x",
        )
    assert exc.value.message_dict == {"candidate": [services.SWAP_CANDIDATE_INACTIVE]}


def test_swap_takes_either_a_candidate_or_a_role(tight):
    market, md = tight
    with pytest.raises(ValidationError) as exc:
        services.proposal_swap(
            proposal=_proposal(md, market.role_a1), by=market.partner, reason="x"
        )
    assert exc.value.messages == [services.SWAP_ONE_SIDE]


# -- the picker page ---------------------------------------------------------------------


def test_picker_lists_the_runs_next_best_with_scores_now_and_capacity(client, tight):
    market, md = tight
    p = _proposal(md, market.role_a1)
    client.force_login(market.partner)
    response = client.get(reverse("matchdays:proposal", args=[p.pk]))
    picker = response.context["picker"]
    assert response.status_code == 200
    by_name = {o.candidate.user.full_name: o for o in picker.candidates}
    assert set(by_name) == {
        "Zebulon1 Quillfeather1",
        "Zebulon3 Quillfeather3",
        "Zebulon0 Quillfeather0",
    }
    z1, z3 = by_name["Zebulon1 Quillfeather1"], by_name["Zebulon3 Quillfeather3"]
    assert (z1.used, z1.cap, z1.remaining) == (1, 1, 0)
    assert z1.blocked == "No capacity left (1 of K = 1 in use)."
    assert (z3.used, z3.remaining, z3.blocked) == (0, 1, "")
    assert z3.score.eligible and z3.run_score == pytest.approx(z3.score.score, abs=1e-6)
    assert z3.sentences[0].startswith("Score ")
    html = response.content.decode()
    assert f'name="candidate" value="{z3.candidate.pk}" class="outline">Swap in' in html
    assert f'name="candidate" value="{z1.candidate.pk}" class="outline" disabled>' in html
    assert [o.role.pk for o in picker.roles] == [market.role_b1.pk]


def test_one_click_in_the_picker_swaps_and_goes_back_to_the_table(client, tight):
    market, md = tight
    p = _proposal(md, market.role_a1)
    z3 = _person(market, 3)
    back = reverse("matchdays:review", args=[md.pk]) + "?status=pending"
    client.force_login(market.partner)
    response = client.post(
        reverse("matchdays:swap", args=[p.pk]),
        {"candidate": z3.pk, "reason": "The proposed candidate is not available", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    new = md.proposals.get(candidate=z3, role=market.role_a1)
    assert (new.status, new.replaces_id) == ("approved", p.pk)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"candidate": 999999, "reason": "x"}, NO_SUCH_CANDIDATE.format(pk=999999)),
        ({"role": 999999, "reason": "x"}, NO_SUCH_ROLE.format(pk=999999)),
        ({"candidate": 10**20, "reason": "x"}, "Ensure this value is less than or equal to"),
        ({"reason": "x"}, services.SWAP_ONE_SIDE),
    ],
)
def test_made_up_ids_get_a_clear_error_on_the_picker_page(client, tight, data, message):
    market, md = tight
    p = _proposal(md, market.role_a1)
    client.force_login(market.partner)
    response = client.post(reverse("matchdays:swap", args=[p.pk]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert response.context["picker"] is not None
    assert md.proposals.filter(source="swap").count() == 0


def test_picker_finds_any_candidate_by_name_and_scores_them(client, tight):
    market, md = tight
    p = _proposal(md, market.role_a1)
    client.force_login(market.partner)
    response = client.get(reverse("matchdays:proposal", args=[p.pk]) + "?q=zebulon8")
    [found] = response.context["picker"].found
    assert found.candidate.pk == _person(market, 8).pk
    assert found.run_score is None and found.score is not None


def test_picker_says_why_a_candidate_who_hid_the_company_cannot_be_picked(client, tight):
    market, md = tight
    p = _proposal(md, market.role_a1)
    client.force_login(market.partner)
    response = client.get(reverse("matchdays:proposal", args=[p.pk]) + "?q=zebulon10")
    [found] = response.context["picker"].found
    assert found.blocked == "This candidate hid the company."


def test_picker_is_for_partners_only(client, tight):
    market, md = tight
    client.force_login(market.member_a)
    p = _proposal(md, market.role_a1)
    assert client.get(reverse("matchdays:proposal", args=[p.pk])).status_code == 403
    assert (
        client.post(reverse("matchdays:swap", args=[p.pk]), {"candidate": 1, "reason": "x"})
    ).status_code == 403
    assert Proposal.objects.filter(source="swap").count() == 0
