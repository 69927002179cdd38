from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from matchday.engine.taxonomy import CATEGORIES
from matchday.taxonomy import selectors, services
from matchday.taxonomy.forms import SkillNameMapForm
from matchday.taxonomy.models import TaxonomyChange

LIMIT = 10


def _typed(request) -> str:
    """What the user typed: ``q``, or the value of the skill input that sent the request
    (``skill``, ``target`` or a formset's ``<prefix>-skill``), as htmx sends the input's own
    name."""
    if "q" in request.GET:
        return request.GET["q"]
    for name, value in request.GET.items():
        if name.rsplit("-", 1)[-1] in ("skill", "target"):
            return value
    return ""


@login_required
@require_GET
def autocomplete(request):
    """htmx partial: ``<option>``s of taxonomy skills matching the label, id or an alias."""
    q = _typed(request).strip()
    skills = services.current_taxonomy().search(q, limit=LIMIT) if q else []
    return render(request, "taxonomy/partials/autocomplete.html", {"skills": skills, "q": q})


def _unmapped_section(request, *, note: str = "", error: str = "", status: int = 200):
    names = selectors.unmapped_skill_names(by=request.user)
    context = {
        "names": names,
        "changes": selectors.taxonomy_changes(by=request.user),
        "version": services.current_taxonomy().version,
        "categories": CATEGORIES,
        "kinds": [(TaxonomyChange.Kind.ALIAS, "Alias of"), (TaxonomyChange.Kind.CHILD, "Child of")],
        "note": note,
        "error": error,
    }
    template = "taxonomy/partials/unmapped.html" if request.htmx else "taxonomy/unmapped.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def unmapped(request):
    """Partners: skill names outside the taxonomy, most used first, to map in one click."""
    return _unmapped_section(request)


@login_required
@require_POST
def unmapped_map(request):
    """Partners: make an unmapped name an alias of a skill, a child of one, or a new skill."""
    form = SkillNameMapForm(request.POST)
    error = note = ""
    if not form.is_valid():
        error = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
    else:
        data = form.cleaned_data
        try:
            result = services.skill_name_map(
                by=request.user,
                open_skill=data["skill"],
                kind=data["kind"],
                target=data["target"],
                category=data["category"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            change = result.change
            what = {
                TaxonomyChange.Kind.ALIAS: f"an alias of {change.skill_id}",
                TaxonomyChange.Kind.CHILD: f"a new skill under {change.parent_id}",
                TaxonomyChange.Kind.NEW: f"a new skill in {change.category}",
            }[change.kind]
            moved = ", ".join(f"{n} {label}" for label, n in result.moved.items())
            note = f"“{change.name}” is now {what} (taxonomy {result.version}); moved: {moved}."
    if request.htmx:
        return _unmapped_section(request, note=note, error=error, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, note)
    return redirect(reverse("taxonomy:unmapped"))
