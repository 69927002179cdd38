from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from matchday.accounts.permissions import ensure_partner
from matchday.audits.models import AuditEntry


@login_required
def audit_list(request):
    ensure_partner(request.user)
    entries = AuditEntry.objects.select_related("actor")[:200]
    return render(request, "audits/list.html", {"entries": entries})
