"""Background work of the learning app. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from django.tasks import task

from matchday.learning import services


@task
def fit_weights(fit_id: int) -> str:
    """Fit and compare one weights proposal; a finished one is left alone. Returns its status."""
    return str(services.weights_fit_execute(fit_id=fit_id).status)
