"""Writing the audit log. Call inside the same transaction as the decision it records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from matchday.audits.models import AuditEntry
from matchday.core.fields import fit

SYSTEM = "system"


def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model,
    subject_user: Any | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append one entry. ``actor=None`` records an automated decision."""
    return AuditEntry.objects.create(
        created_at=now or timezone.now(),
        actor=actor,
        actor_label=fit(AuditEntry, "actor_label", actor.email if actor is not None else SYSTEM),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=fit(AuditEntry, "target_label", str(target)),
        subject_user=subject_user,
        # The services bound the reasons they store; the log's copy never fails the write.
        reason=fit(AuditEntry, "reason", reason),
        data=data or {},
    )
