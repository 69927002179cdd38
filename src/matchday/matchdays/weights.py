"""The score's weights in use: version 0 is the engine's defaults, each later version one a
talent partner adopted (a proposal learned from decisions, see ``matchday.learning``).

Curation and swaps read :func:`current_scoring_weights`; :func:`scoring_weights_adopt` is
the one write. A run's stored input names the version and carries the weights, so
``python -m matchday.engine curate`` replays it with the same ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from matchday.audits.services import audit_record
from matchday.core.permissions import ensure_partner
from matchday.engine.io import EngineInputError
from matchday.engine.learn import LEARNED_WEIGHTS
from matchday.engine.scoring import ScoringWeights
from matchday.matchdays.models import ScoringWeightsVersion

__all__ = ["current_scoring_weights", "scoring_weights_adopt", "weights_of"]

WEIGHTS_UNKNOWN = "Unknown weight {name!r}: a version sets only {names}."
WEIGHTS_INVALID = "These weights cannot score: {error}"
WEIGHTS_REASON_REQUIRED = "Say why these weights are adopted."


def weights_of(version: ScoringWeightsVersion | None) -> ScoringWeights:
    """The engine's weights of a stored version (``None``: the defaults, version 0)."""
    if version is None:
        return ScoringWeights()
    return ScoringWeights(**{k: float(v) for k, v in version.weights.items()})


def current_scoring_weights() -> tuple[int, ScoringWeights]:
    """``(version number, weights)`` every curation run and swap scores with now."""
    version = ScoringWeightsVersion.objects.order_by("-number").first()
    return (0 if version is None else version.number), weights_of(version)


@transaction.atomic
def scoring_weights_adopt(
    *,
    weights: Mapping[str, float],
    by,
    reason: str,
    source: str = "",
    now: datetime | None = None,
) -> ScoringWeightsVersion:
    """Store ``weights`` as the next version: the next curation run scores with them.

    Only the learnable weights (:data:`matchday.engine.learn.LEARNED_WEIGHTS`) may be set;
    the engine must accept them. Audited with the previous and the new values.
    """
    ensure_partner(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(WEIGHTS_REASON_REQUIRED)
    clean: dict[str, float] = {}
    for name, value in sorted(weights.items()):
        if name not in LEARNED_WEIGHTS:
            raise ValidationError(
                WEIGHTS_UNKNOWN.format(name=name, names=", ".join(LEARNED_WEIGHTS))
            )
        clean[name] = float(value)
    try:
        ScoringWeights(**clean)
    except (EngineInputError, TypeError, ValueError) as exc:
        raise ValidationError(WEIGHTS_INVALID.format(error=exc)) from None
    previous_number, previous = current_scoring_weights()
    number = (ScoringWeightsVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            version = ScoringWeightsVersion.objects.create(
                number=number,
                weights=clean,
                reason=reason,
                source=source[:200],
                adopted_by=by,
                adopted_at=now or timezone.now(),
            )
    except IntegrityError:  # another partner adopted at the same moment: theirs is current
        raise ValidationError(
            "Another version was adopted at the same moment; try again."
        ) from None
    audit_record(
        actor=by,
        action="weights.adopt",
        target=version,
        reason=reason,
        data={
            "version": number,
            "previous_version": previous_number,
            "previous": {k: float(getattr(previous, k)) for k in LEARNED_WEIGHTS},
            "weights": clean,
            "source": source,
        },
        now=now,
    )
    return version
