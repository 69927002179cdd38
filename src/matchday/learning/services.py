"""Writes of the learning app: propose new weights (a background fit), adopt a proposal.

A proposal changes nothing: it fits weights to the decisions people made
(``selectors.decision_examples``), compares them with the weights in use on the most recent
decisions held out, and stores the comparison. Only :func:`weights_fit_adopt`, a partner's
decision, makes them the next ``matchdays.ScoringWeightsVersion``, and only when the
comparison shows the change does not worsen fairness and the weights in use are still the
ones it was compared with.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from matchday.audits.services import audit_record
from matchday.core.permissions import ensure_partner
from matchday.engine.io import EngineInputError
from matchday.engine.learn import LEARNED_WEIGHTS, propose_weights
from matchday.learning import selectors
from matchday.learning.models import WeightsFit
from matchday.matchdays.models import ScoringWeightsVersion
from matchday.matchdays.weights import current_scoring_weights, scoring_weights_adopt
from matchday.notifications.inbox import notify
from matchday.notifications.models import Category

__all__ = ["weights_fit_adopt", "weights_fit_execute", "weights_fit_request"]

logger = logging.getLogger(__name__)

#: A fit still "running" this long after it started was lost with its worker: re-runnable.
FIT_LEASE = timedelta(minutes=10)

FIT_ACTIVE = "A weights proposal is already being computed; wait for it to finish."
FIT_NOT_READY = "This proposal has no result to adopt (it is {status})."
FIT_ALREADY_ADOPTED = "This proposal was already adopted as version {number}."
FIT_STALE = (
    "The weights in use changed (now version {current}) since this proposal was compared "
    "with version {base}: propose again to compare with the weights in use."
)
FIT_UNFAIR = (
    "These weights would worsen fairness ({categories}: impact ratio under {threshold:g}), "
    "so they cannot be adopted."
)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _enqueue(fit_id: int) -> None:
    from matchday.learning.tasks import fit_weights

    result = fit_weights.enqueue(fit_id=fit_id)
    WeightsFit.objects.filter(pk=fit_id, task_id="").update(task_id=str(result.id)[:64])


@transaction.atomic
def weights_fit_request(*, by, now: datetime | None = None) -> WeightsFit:
    """Queue a "propose new weights" fit (partners only); it runs once this commits.

    One at a time: a queued or running fit (within its lease) must finish first.
    """
    ensure_partner(by)
    when = _now(now)
    active = WeightsFit.objects.select_for_update().filter(
        Q(status=WeightsFit.Status.QUEUED)
        | Q(status=WeightsFit.Status.RUNNING, started_at__gt=when - FIT_LEASE)
    )
    if active.exists():
        raise ValidationError(FIT_ACTIVE)
    version, _ = current_scoring_weights()
    fit = WeightsFit.objects.create(requested_by=by, base_version=version, created_at=when)
    audit_record(actor=by, action="weights.propose", target=fit, now=when)
    transaction.on_commit(lambda: _enqueue(fit.pk))
    return fit


def _claim(fit_id: int, when: datetime) -> bool:
    """Queued, or running past its lease (its worker died): this worker takes it."""
    return bool(
        WeightsFit.objects.filter(pk=fit_id)
        .filter(
            Q(status=WeightsFit.Status.QUEUED)
            | Q(status=WeightsFit.Status.RUNNING, started_at__lte=when - FIT_LEASE)
        )
        .update(status=WeightsFit.Status.RUNNING, started_at=when, error="")
    )


def weights_fit_execute(*, fit_id: int, now: datetime | None = None) -> WeightsFit:
    """Derive the examples, fit, compare, store the result. Safe to run twice: only a queued
    fit (or one whose worker died, after :data:`FIT_LEASE`) is worked on, and the result is
    written in one statement, so a kill at any point leaves it queued or running (re-run
    it) or finished. The work is bounded by ``LEARNING_MAX_EXAMPLES``."""
    when = _now(now)
    if not _claim(fit_id, when):
        return WeightsFit.objects.get(pk=fit_id)
    fit = WeightsFit.objects.select_related("requested_by").get(pk=fit_id)
    by = fit.requested_by
    try:
        found = selectors.decision_examples(user=by)
        demographics = selectors.example_demographics(user=by, examples=found.examples)
        version, current = current_scoring_weights()
        comparison = propose_weights(found.examples, current, demographics=demographics)
    except EngineInputError as exc:
        return _finish(fit, status=WeightsFit.Status.FAILED, error=str(exc), examples=0)
    except Exception as exc:
        logger.exception("weights fit %s failed", fit_id)
        return _finish(
            fit, status=WeightsFit.Status.FAILED, error=f"{type(exc).__name__}: {exc}", examples=0
        )
    result = comparison.to_dict() | {
        "examples_per_stage": found.per_stage,
        "limit": found.limit,
        "capped": found.capped,
        "base_version": version,
    }
    return _finish(
        fit,
        status=WeightsFit.Status.SUCCEEDED,
        result=result,
        examples=len(found.examples),
        base_version=version,
    )


def _finish(fit: WeightsFit, *, status: str, examples: int, **fields) -> WeightsFit:
    with transaction.atomic():
        updated = WeightsFit.objects.filter(pk=fit.pk, status=WeightsFit.Status.RUNNING).update(
            status=status, examples=examples, finished_at=timezone.now(), **fields
        )
        fit.refresh_from_db()
        if updated and fit.requested_by is not None:
            ready = status == WeightsFit.Status.SUCCEEDED
            notify(
                recipient=fit.requested_by,
                event="weights_proposed" if ready else "weights_fit_failed",
                category=Category.MATCHDAY,
                about=f"learning.weightsfit:{fit.pk}",
                subject=(
                    "Proposed weights are ready to compare"
                    if ready
                    else "Proposing new weights failed"
                ),
                body=(
                    f"The weights learned from {fit.examples:,} decisions are compared with "
                    "the weights in use. Nothing changes until a partner adopts them."
                    if ready
                    else f"Proposing new weights failed: {fit.error}"
                ),
                link=reverse("learning:fit", args=[fit.pk]),
            )
    return fit


@transaction.atomic
def weights_fit_adopt(
    *, fit: WeightsFit, by, reason: str, now: datetime | None = None
) -> ScoringWeightsVersion:
    """Adopt a proposal's weights as the next version: the next curation run uses them.

    Refused when the proposal has no result, was adopted already, was compared with
    weights no longer in use, or would worsen fairness.
    """
    ensure_partner(by)
    fit = WeightsFit.objects.select_for_update().get(pk=fit.pk)
    if fit.status != WeightsFit.Status.SUCCEEDED:
        raise ValidationError(FIT_NOT_READY.format(status=fit.get_status_display().lower()))
    if fit.adopted_version_id is not None:
        number = ScoringWeightsVersion.objects.get(pk=fit.adopted_version_id).number
        raise ValidationError(FIT_ALREADY_ADOPTED.format(number=number))
    current, _ = current_scoring_weights()
    if current != fit.base_version:
        raise ValidationError(FIT_STALE.format(current=current, base=fit.base_version))
    fairness = fit.result.get("fairness") or {}
    if fairness and not fairness.get("passed", False):
        raise ValidationError(
            FIT_UNFAIR.format(
                categories=", ".join(fairness.get("worsened", [])),
                threshold=fairness.get("threshold", 0.8),
            )
        )
    proposed = {k: float(v) for k, v in fit.result["proposed"].items() if k in LEARNED_WEIGHTS}
    version = scoring_weights_adopt(
        weights=proposed, by=by, reason=reason, source=f"weights proposal {fit.pk}", now=now
    )
    fit.adopted_version = version
    fit.save(update_fields=["adopted_version"])
    return version
