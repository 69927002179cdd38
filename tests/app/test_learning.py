"""Weights learned from people's decisions: examples from stored rows, "propose new weights"
as a bounded, re-runnable background fit, the comparison, adoption as a new weights version
that the next curation run uses and records, and the replay of that run byte for byte."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from matchday.audits.models import AuditEntry
from matchday.engine.__main__ import main
from matchday.learning import selectors, services
from matchday.learning.models import WeightsFit
from matchday.matchdays import services as matchdays
from matchday.matchdays.models import Proposal, ScoringWeightsVersion
from matchday.matchdays.weights import current_scoring_weights, scoring_weights_adopt
from matchday.notifications.models import InboxItem
from matchday.talent.models import Demographics
from tests import factories
from tests.learning_history import decision_history
from tests.market import (
    BEFORE_DEADLINE,
    build_market,
    create_matchday,
    open_interest_window,
    run_curation,
)

pytestmark = pytest.mark.django_db


def _market_history(market, batches: int = 5):
    people = [p.profile for p in market.people] + [market.hider]
    roles = [market.role_a1, market.role_a2, market.role_b1]
    return decision_history(partner=market.partner, candidates=people, roles=roles, batches=batches)


def _propose(by, django_capture_on_commit_callbacks) -> WeightsFit:
    with django_capture_on_commit_callbacks(execute=True):
        fit = services.weights_fit_request(by=by)
    fit.refresh_from_db()
    return fit


def _stored(field) -> bytes:
    with field.open("rb") as fh:
        return gzip.decompress(fh.read())


def test_every_decision_is_a_labelled_example_with_the_explanations_components(
    django_capture_on_commit_callbacks,
):
    market, md = open_interest_window(django_capture_on_commit_callbacks)
    proposals = list(md.proposals.filter(role=market.role_a1).order_by("pk"))
    liked, passed = proposals[0], proposals[1]
    matchdays.interest_express(
        proposal=liked,
        by=market.member_a,
        offered_salary=liked.role.pay_min,
        now=BEFORE_DEADLINE,
    )
    matchdays.interest_pass(
        proposal=passed,
        by=market.member_a,
        reason="Needs more on-call experience.",
        now=BEFORE_DEADLINE,
    )
    found = selectors.decision_examples(user=market.partner)
    reviews = [e for e in found.examples if e.stage == "review"]
    interests = {(e.candidate_id, e.role_id): e for e in found.examples if e.stage == "interest"}
    assert len(reviews) == md.proposals.filter(status=Proposal.Status.APPROVED).count() > 0
    assert {e.label for e in reviews} == {1}
    assert interests[(str(liked.candidate_id), str(liked.role_id))].label == 1
    assert interests[(str(passed.candidate_id), str(passed.role_id))].label == 0
    assert found.per_stage == {"review": len(reviews), "interest": 2, "answer": 0, "hire": 0}
    example = interests[(str(liked.candidate_id), str(liked.role_id))]
    stored = {
        c["component"]: c["value"]
        for c in liked.explanation["contributions"]
        if c["side"] == "role"
    }
    assert dict(example.features) == stored
    assert example.ranking == f"interest:{md.pk}:role:{market.role_a1.pk}"


def test_a_rejection_and_a_swap_out_are_negative_examples(django_capture_on_commit_callbacks):
    market = build_market()
    md = create_matchday(market, candidate_cap=2, role_cap=3)
    run_curation(market, md, django_capture_on_commit_callbacks)
    first, second = md.proposals.order_by("pk")[:2]
    matchdays.proposal_reject(proposal=first, by=market.partner, reason="Thin evidence.")
    matchdays.proposal_approve(proposal=second, by=market.partner)
    labels = {
        (e.candidate_id, e.role_id): e.label
        for e in selectors.decision_examples(user=market.partner).examples
    }
    assert labels == {
        (str(first.candidate_id), str(first.role_id)): 0,
        (str(second.candidate_id), str(second.role_id)): 1,
    }


def test_propose_adopt_and_the_next_run_uses_and_records_the_new_weights(
    tmp_path, django_capture_on_commit_callbacks
):
    market = build_market()
    _market_history(market)  # 6 candidates x 3 roles x 5 weeks = 90 decisions
    fit = _propose(market.partner, django_capture_on_commit_callbacks)
    assert fit.status == WeightsFit.Status.SUCCEEDED, fit.error
    assert fit.examples == 90
    result = fit.result
    assert result["train"] + result["test"] == 90
    assert result["proposed"]["required_skills"] > result["current"]["required_skills"]
    assert result["proposed"]["text_similarity"] < result["current"]["text_similarity"]
    assert result["after"]["ndcg"] >= result["before"]["ndcg"]
    assert result["before"]["rankings"] >= 3  # at least the last week: one ranking per role
    assert result["adoptable"] is True
    # The requester is told the comparison is ready; nothing has changed yet.
    assert InboxItem.objects.filter(recipient=market.partner, event="weights_proposed").exists()
    assert current_scoring_weights()[0] == 0

    version = services.weights_fit_adopt(
        fit=fit, by=market.partner, reason="Partners value required skills more."
    )
    assert version.number == 1
    assert version.weights == {k: float(v) for k, v in result["proposed"].items()}
    entry = AuditEntry.objects.get(action="weights.adopt")
    assert entry.data["version"] == 1 and entry.data["previous_version"] == 0
    number, weights = current_scoring_weights()
    assert number == 1 and weights.required_skills == result["proposed"]["required_skills"]

    md = create_matchday(market, name="After learning")
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    doc = json.loads(_stored(run.engine_input))
    assert doc["weights_version"] == 1
    assert doc["weights"]["required_skills"] == result["proposed"]["required_skills"]
    assert run.stats["weights_version"] == 1
    output = _stored(run.engine_output)
    assert json.loads(output)["weights"]["text_similarity"] == result["proposed"]["text_similarity"]
    # The stored explanations carry the new weights' shares.
    p = md.proposals.filter(run=run).first()
    shares = {c["component"]: c["share"] for c in p.explanation["contributions"]}
    ratio = weights.required_skills / weights.experience
    assert shares["required_skills"] / shares["experience"] == pytest.approx(ratio, rel=1e-4)

    (tmp_path / "input.json").write_bytes(_stored(run.engine_input))
    out = tmp_path / "output.json"
    assert main(["curate", str(tmp_path / "input.json"), "-o", str(out)]) == 0
    assert out.read_bytes() == output


def test_a_run_before_any_adoption_records_the_default_weights_as_version_0(
    django_capture_on_commit_callbacks,
):
    market = build_market()
    md = create_matchday(market)
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    doc = json.loads(_stored(run.engine_input))
    assert doc["weights_version"] == 0
    assert doc["weights"]["required_skills"] == 0.55
    assert run.stats["weights_version"] == 0


def test_a_proposal_that_worsens_fairness_cannot_be_adopted(django_capture_on_commit_callbacks):
    partner = factories.PartnerFactory()
    candidates = [factories.CandidateProfileFactory(active=True) for _ in range(10)]
    for i, c in enumerate(candidates):
        Demographics.objects.create(candidate=c, sex="female" if i % 2 == 0 else "male")
    female = {c.pk for i, c in enumerate(candidates) if i % 2 == 0}
    roles = [factories.RoleFactory(open=True) for _ in range(3)]

    def values_for(c, rng):  # women here score high on text similarity, a bit lower on skills
        f = c.pk in female
        return {
            "required_skills": round((0.45 if f else 0.6) + rng.uniform(-0.03, 0.03), 6),
            "experience": 0.5,
            "seniority": 0.5,
            "text_similarity": round((0.9 if f else 0.1) + rng.uniform(-0.03, 0.03), 6),
        }

    decision_history(
        partner=partner,
        candidates=candidates,
        roles=roles,
        batches=3,
        values_for=values_for,
        approve=lambda values, c, rng: values["required_skills"] > 0.5,
    )
    fit = _propose(partner, django_capture_on_commit_callbacks)
    assert fit.status == WeightsFit.Status.SUCCEEDED, fit.error
    assert fit.result["fairness"]["passed"] is False
    assert "Female (sex)" in fit.result["fairness"]["worsened"]
    with pytest.raises(ValidationError) as exc:
        services.weights_fit_adopt(fit=fit, by=partner, reason="Looks better.")
    assert exc.value.messages == [
        services.FIT_UNFAIR.format(categories="Female (sex)", threshold=0.8)
    ]
    assert not ScoringWeightsVersion.objects.exists()


@pytest.mark.parametrize("persona", ["candidate", "company_member"])
def test_only_partners_propose_adopt_or_read_examples(persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.weights_fit_request(by=user)
    with pytest.raises(PermissionDenied):
        selectors.decision_examples(user=user)
    fit = WeightsFit.objects.create(created_at=timezone.now(), status="succeeded")
    with pytest.raises(PermissionDenied):
        services.weights_fit_adopt(fit=fit, by=user, reason="x")
    with pytest.raises(PermissionDenied):
        scoring_weights_adopt(weights={"required_skills": 1.0}, by=user, reason="x")
    assert not ScoringWeightsVersion.objects.exists()


@pytest.mark.parametrize("persona", ["candidate", "company_member"])
def test_the_weights_pages_are_forbidden_to_everyone_but_partners(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    fit = WeightsFit.objects.create(created_at=timezone.now())
    assert client.get(reverse("learning:list")).status_code == 403
    assert client.get(reverse("learning:fit", args=[fit.pk])).status_code == 403
    assert client.post(reverse("learning:propose")).status_code == 403
    assert client.post(reverse("learning:adopt", args=[fit.pk]), {"reason": "x"}).status_code == 403
    assert WeightsFit.objects.count() == 1


def test_the_examples_are_capped_at_the_most_recent(settings, partner):
    settings.LEARNING_MAX_EXAMPLES = 10
    candidates = [factories.CandidateProfileFactory(active=True) for _ in range(4)]
    roles = [factories.RoleFactory(open=True) for _ in range(3)]
    made = decision_history(partner=partner, candidates=candidates, roles=roles, batches=2)
    found = selectors.decision_examples(user=partner)
    assert len(found.examples) == 10 and found.capped and found.limit == 10
    newest = sorted(made, key=lambda p: p.reviewed_at)[-10:]
    assert [e.at for e in found.examples] == [p.reviewed_at.isoformat() for p in newest]


def test_too_few_decisions_fail_the_fit_with_a_reason(partner, django_capture_on_commit_callbacks):
    candidates = [factories.CandidateProfileFactory(active=True) for _ in range(2)]
    decision_history(
        partner=partner, candidates=candidates, roles=[factories.RoleFactory(open=True)]
    )
    fit = _propose(partner, django_capture_on_commit_callbacks)
    assert fit.status == WeightsFit.Status.FAILED
    assert fit.error.startswith("Too few decisions to learn from: ")
    assert InboxItem.objects.filter(recipient=partner, event="weights_fit_failed").exists()


def test_a_fit_lost_with_its_worker_is_rerun_and_a_live_one_is_left_alone(partner):
    candidates = [factories.CandidateProfileFactory(active=True) for _ in range(6)]
    roles = [factories.RoleFactory(open=True) for _ in range(3)]
    decision_history(partner=partner, candidates=candidates, roles=roles, batches=5)
    now = timezone.now()
    live = WeightsFit.objects.create(
        requested_by=partner, created_at=now, status="running", started_at=now
    )
    assert services.weights_fit_execute(fit_id=live.pk).status == WeightsFit.Status.RUNNING
    with pytest.raises(ValidationError):
        services.weights_fit_request(by=partner)  # one at a time
    live.started_at = now - services.FIT_LEASE - timedelta(seconds=1)
    live.save()
    done = services.weights_fit_execute(fit_id=live.pk)
    assert done.status == WeightsFit.Status.SUCCEEDED and done.examples == 90
    # run again (a duplicate task): nothing is redone
    again = services.weights_fit_execute(fit_id=live.pk)
    assert again.finished_at == done.finished_at


def test_a_proposal_compared_with_weights_no_longer_in_use_cannot_be_adopted(
    partner, django_capture_on_commit_callbacks
):
    candidates = [factories.CandidateProfileFactory(active=True) for _ in range(6)]
    roles = [factories.RoleFactory(open=True) for _ in range(3)]
    decision_history(partner=partner, candidates=candidates, roles=roles, batches=5)
    fit = _propose(partner, django_capture_on_commit_callbacks)
    scoring_weights_adopt(weights={"text_similarity": 0.3}, by=partner, reason="Manual.")
    with pytest.raises(ValidationError) as exc:
        services.weights_fit_adopt(fit=fit, by=partner, reason="Better ranking.")
    assert exc.value.messages == [services.FIT_STALE.format(current=1, base=0)]
    assert ScoringWeightsVersion.objects.count() == 1


def test_adoption_needs_a_reason_and_happens_once(partner, django_capture_on_commit_callbacks):
    candidates = [factories.CandidateProfileFactory(active=True) for _ in range(6)]
    roles = [factories.RoleFactory(open=True) for _ in range(3)]
    decision_history(partner=partner, candidates=candidates, roles=roles, batches=5)
    fit = _propose(partner, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.weights_fit_adopt(fit=fit, by=partner, reason="  ")
    services.weights_fit_adopt(fit=fit, by=partner, reason="Better ranking.")
    with pytest.raises(ValidationError) as exc:
        services.weights_fit_adopt(fit=fit, by=partner, reason="Again.")
    assert exc.value.messages == [services.FIT_ALREADY_ADOPTED.format(number=1)]


def test_the_comparison_page_shows_both_weightings_and_adopts(
    client, partner, django_capture_on_commit_callbacks
):
    candidates = [factories.CandidateProfileFactory(active=True) for _ in range(6)]
    roles = [factories.RoleFactory(open=True) for _ in range(3)]
    decision_history(partner=partner, candidates=candidates, roles=roles, batches=5)
    client.force_login(partner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning:propose"))
    fit = WeightsFit.objects.get()
    assert response.status_code == 302 and response["Location"] == fit.get_absolute_url()
    page = client.get(fit.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ready to compare" in text and 'id="weights-comparison"' in text
    assert f"{fit.result['proposed']['required_skills']:.4f}" in text
    response = client.post(reverse("learning:adopt", args=[fit.pk]), {"reason": "Better."})
    assert response.status_code == 302
    assert ScoringWeightsVersion.objects.get().number == 1
    listing = client.get(reverse("learning:list")).content.decode()
    assert "In use: version 1" in listing


def test_a_swap_scores_with_the_adopted_weights(django_capture_on_commit_callbacks):
    from tests.market import make_person

    market = build_market()
    md = create_matchday(market, candidate_cap=2, role_cap=2)
    run_curation(market, md, django_capture_on_commit_callbacks)
    scoring_weights_adopt(
        weights={"required_skills": 0.9, "text_similarity": 0.05}, by=market.partner,
        reason="Skills first.",
    )  # fmt: skip
    old = md.proposals.filter(role=market.role_b1, status="pending").order_by("score").first()
    newcomer = make_person(20, skills={"pytorch": 5, "python": 5}).profile
    new = matchdays.proposal_swap(
        proposal=old, by=market.partner, candidate=newcomer, reason="Stronger PyTorch evidence."
    )
    shares = {c["component"]: c["share"] for c in new.explanation["contributions"]}
    assert shares["required_skills"] / shares["text_similarity"] == pytest.approx(18, rel=1e-4)


def test_candidates_answers_and_outcomes_are_examples_too(partner):
    from matchday.followup import services as followup
    from matchday.followup.models import Intro, PipelineStep
    from tests.followup_factories import RELEASE_AT, company_member_of, released_intro

    accepted, declined, closed, hired = (released_intro() for _ in range(4))
    after = RELEASE_AT + timedelta(hours=3)
    for intro in (accepted, closed, hired):
        followup.intro_accept(intro=intro, by=intro.candidate.user, now=after)
    followup.intro_decline(intro=declined, by=declined.candidate.user, reason="", now=after)
    later = after + timedelta(days=2)
    followup.pipeline_close(
        intro=closed, by=company_member_of(closed), reason="We hired internally.", now=later
    )
    # The hire itself takes screens, interviews and an accepted offer (tests/app/
    # test_followup_offer.py); here only its outcome on the intro and its last step matters.
    Intro.objects.filter(pk=hired.pk).update(status=Intro.Status.HIRED)
    PipelineStep.objects.filter(intro=hired, position=0).update(completed_at=later)

    found = selectors.decision_examples(user=partner)
    labels = {
        (e.stage, e.candidate_id): e.label for e in found.examples if e.stage in ("answer", "hire")
    }
    cid = {i: str(i.candidate_id) for i in (accepted, declined, closed, hired)}
    assert labels == {
        ("answer", cid[accepted]): 1,
        ("answer", cid[declined]): 0,
        ("answer", cid[closed]): 1,
        ("answer", cid[hired]): 1,
        ("hire", cid[closed]): 0,
        ("hire", cid[hired]): 1,
    }
    hire = next(e for e in found.examples if e.stage == "hire" and e.label == 1)
    assert hire.at == later.isoformat()
    assert hire.ranking == f"hire:{hired.matchday_id}:role:{hired.role_id}"
