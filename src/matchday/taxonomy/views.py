from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matchday.engine.taxonomy import load_taxonomy

LIMIT = 10


def _typed(request) -> str:
    """What the user typed: ``q``, or the value of the skill input that sent the request
    (``skill`` or a formset's ``<prefix>-skill``), as htmx sends the input's own name."""
    if "q" in request.GET:
        return request.GET["q"]
    for name, value in request.GET.items():
        if name.rsplit("-", 1)[-1] == "skill":
            return value
    return ""


@login_required
@require_GET
def autocomplete(request):
    """htmx partial: ``<option>``s of taxonomy skills matching the label, id or an alias."""
    q = _typed(request).strip()
    skills = load_taxonomy().search(q, limit=LIMIT) if q else []
    return render(request, "taxonomy/partials/autocomplete.html", {"skills": skills, "q": q})
