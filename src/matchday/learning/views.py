"""Pages of the learning app: the weights in use and their history, "propose new weights",
and a proposal's comparison with the adopt button. Partners only (the selectors and
services check)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from matchday.core.forms import flash_errors
from matchday.core.permissions import ensure_partner
from matchday.engine.explain import COMPONENT_LABELS
from matchday.engine.learn import LEARNED_WEIGHTS
from matchday.learning import selectors, services
from matchday.matchdays.models import ScoringWeightsVersion
from matchday.matchdays.weights import current_scoring_weights

SIDE_LABELS = {
    "role_side": "role side (does the candidate meet the role?)",
    "candidate_side": "candidate side (does the role meet their wishes?)",
}


def _label(name: str) -> str:
    return SIDE_LABELS.get(name) or COMPONENT_LABELS.get(name, name)


@login_required
def fit_list(request):
    fits = selectors.weights_fits(user=request.user)[:20]
    number, weights = current_scoring_weights()
    rows = [{"name": k, "label": _label(k), "value": getattr(weights, k)} for k in LEARNED_WEIGHTS]
    versions = ScoringWeightsVersion.objects.select_related("adopted_by")[:20]
    return render(
        request,
        "learning/list.html",
        {"fits": fits, "version": number, "rows": rows, "versions": versions},
    )


@login_required
@require_POST
def propose(request):
    try:
        fit = services.weights_fit_request(by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("learning:list")
    return redirect(fit)


@login_required
def fit_detail(request, pk: int):
    fit = get_object_or_404(selectors.weights_fits(user=request.user), pk=pk)
    result = fit.result or {}
    rows = []
    if result:
        for k in LEARNED_WEIGHTS:
            cur, new = result["current"][k], result["proposed"][k]
            rows.append({"label": _label(k), "current": cur, "proposed": new, "change": new - cur})
    number, _ = current_scoring_weights()
    return render(
        request,
        "learning/fit.html",
        {
            "fit": fit,
            "result": result,
            "rows": rows,
            "stages": [
                {
                    "label": label,
                    "count": result.get("examples_per_stage", {}).get(key, 0),
                    "metrics": result.get("per_stage", {}).get(key),
                }
                for key, label in selectors.STAGES.items()
            ],
            "current_version": number,
            "polling": fit.status in ("queued", "running"),
        },
    )


@login_required
@require_POST
def adopt(request, pk: int):
    ensure_partner(request.user)
    fit = get_object_or_404(selectors.weights_fits(user=request.user), pk=pk)
    try:
        version = services.weights_fit_adopt(
            fit=fit, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            f"Adopted as weights version {version.number}: the next curation run uses them.",
        )
    return redirect(fit)
