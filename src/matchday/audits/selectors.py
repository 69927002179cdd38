"""Reads of the audit log (talent partners only)."""

from __future__ import annotations

from django.db.models import QuerySet

from matchday.audits.models import AuditEntry
from matchday.core.permissions import ensure_partner


def entries_for(
    *, user, action: str = "", target_type: str = "", target_id: str = ""
) -> QuerySet[AuditEntry]:
    """Entries newest first. ``action`` matches a prefix (``candidate.vet`` finds both
    approvals and rejections); ``target_type`` is a model label such as ``companies.role``."""
    ensure_partner(user)
    qs = AuditEntry.objects.all()
    if action:
        qs = qs.filter(action__startswith=action)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    return qs
