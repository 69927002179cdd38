from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from matchday.engine.taxonomy import load_taxonomy


@login_required
def autocomplete(request):
    """htmx partial: taxonomy skills matching what the user typed (label or alias)."""
    q = request.GET.get("q", "").strip()
    skills = load_taxonomy().search(q, limit=10) if q else []
    return render(request, "taxonomy/partials/autocomplete.html", {"skills": skills, "q": q})
