"""Every write to companies and roles, and vetting decisions about companies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from matchday.accounts.models import User
from matchday.accounts.services import check_new_user, user_create
from matchday.audits.models import AuditEntry
from matchday.audits.services import audit_record
from matchday.companies.interview_templates import template_steps
from matchday.companies.models import VETTING_CHECKLIST, Company, InterviewStep, Role, RoleSkill
from matchday.core.choices import Level
from matchday.core.fields import clean_value
from matchday.core.money import validate_pay_band
from matchday.core.permissions import ensure_can_edit_role, ensure_member_of, ensure_partner
from matchday.core.services import model_update
from matchday.core.text_changes import role_texts_changed
from matchday.notifications import messages
from matchday.notifications.services import about_key
from matchday.taxonomy.services import check_open_skills, skill_ensure, skill_lookup

COMPANY_NOT_PENDING = "Only a company pending review can be vetted (this one is {status})."
REJECT_NEEDS_NOTES = "Give the company a reason."
CHECKLIST_INCOMPLETE = "Tick every checklist item before approving: {missing}."
COMPANY_NOT_VETTED = "A role can only be opened once the company has been vetted."
ROLE_NOT_DRAFT = "Only a draft role can be opened (this one is {status})."
ROLE_NEEDS_REQUIRED_SKILL = "Add at least one required skill before opening the role."
ROLE_NOT_OPEN = "Only an open role can be closed."
DUPLICATE_ROLE_SKILL = "{skill} is listed more than once."
ROLE_CLOSED = "A closed role cannot be edited."
ROLE_DELETE_NOT_DRAFT = "Only a draft role can be deleted (this one is {status})."
ROLE_LEVEL_UNKNOWN = "{level!r} is not a level; choose from {choices}."
ROLE_LEVELS_NOT_LIST = "Give the levels the role is also open to as a list."

COMPANY_FIELDS = ("name", "website", "size", "stage", "domains", "description", "timezone")
# What a partner vetted the company as: changing either sends a vetted company back to review.
COMPANY_IDENTITY_FIELDS = ("name", "website")
# What a partner's vetting decision sets (emptied when the company goes back to review).
VETTING_DECISION_FIELDS = ("vetting_status", "vetting_checklist", "vetted_by", "vetted_at")
ROLE_FIELDS = (
    "title", "level", "accepted_levels", "role_type", "description", "responsibilities", "location_policy",
    "allowed_countries", "allowed_timezones", "cities", "years_min", "years_max", "pay_min",
    "pay_max", "pay_currency", "pay_period", "equity", "benefits", "interview_overview",
)  # fmt: skip
# What a company writes about each interview step (``id`` and ``position`` are the service's).
STEP_FIELDS = (
    "name", "format", "description", "duration_minutes", "interviewers", "assesses",
    "preparation", "links",
)  # fmt: skip
STEP_NOT_OF_ROLE = "Step {id} is not one of this role's interview steps."
STEP_LISTED_TWICE = "Step {id} is listed more than once."
STEP_INVALID = "Interview step {n} ({name}): {field}: {message}"


@transaction.atomic
def company_update(*, company: Company, by, data: dict[str, Any]) -> Company:
    """Save the company's details. A vetted company that changes its name or website goes
    back to review (``pending``): partners vetted who it was, and until one approves it again
    it sees no shortlist and opens no role."""
    ensure_member_of(user=by, company=company)
    company = Company.objects.select_for_update().get(pk=company.pk)
    before = {field: getattr(company, field) for field in COMPANY_IDENTITY_FIELDS}
    updated = model_update(
        company, data=data, allowed=COMPANY_FIELDS, what="company", clean_exclude=["vetted_by"]
    )
    changed = sorted(f for f in COMPANY_IDENTITY_FIELDS if f in updated)
    back_to_review = company.is_vetted and bool(changed)
    if back_to_review:
        company.vetting_status = Company.VettingStatus.PENDING
        company.vetting_checklist, company.vetted_by, company.vetted_at = {}, None, None
        company.save(update_fields=[*VETTING_DECISION_FIELDS, "updated_at"])
    audit_record(actor=by, action="company.update", target=company, data={"fields": sorted(data)})
    if back_to_review:
        audit_record(
            actor=by,
            action="company.vet.reopen",
            target=company,
            reason=f"Changed after vetting: {', '.join(changed)}.",
            data={"before": before, "after": {f: getattr(company, f) for f in changed}},
        )
        messages.company_awaits_vetting(
            company,
            why=f"changed its {' and '.join(changed)} after vetting",
            about=about_key(company, "reopen", int(timezone.now().timestamp())),
        )
    return company


@transaction.atomic
def company_approve(
    *,
    company: Company,
    by,
    checklist: dict[str, bool],
    notes: str = "",
    now: datetime | None = None,
) -> Company:
    ensure_partner(by)
    notes = clean_value(Company, "vetting_notes", notes, key="notes")
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.vetting_status != Company.VettingStatus.PENDING:
        raise ValidationError(
            COMPANY_NOT_PENDING.format(status=company.get_vetting_status_display().lower())
        )
    missing = [label for key, label in VETTING_CHECKLIST.items() if not checklist.get(key)]
    if missing:
        raise ValidationError(CHECKLIST_INCOMPLETE.format(missing="; ".join(missing)))
    company.vetting_status = Company.VettingStatus.VETTED
    company.vetting_checklist = {k: bool(checklist.get(k)) for k in VETTING_CHECKLIST}
    company.vetting_notes, company.vetted_by, company.vetted_at = notes, by, now or timezone.now()
    company.save()
    audit_record(
        actor=by,
        action="company.vet.approve",
        target=company,
        reason=notes,
        data={"checklist": company.vetting_checklist},
    )
    messages.company_vetted(company)
    return company


@transaction.atomic
def company_reject(
    *,
    company: Company,
    by,
    notes: str,
    checklist: dict[str, bool] | None = None,
    now: datetime | None = None,
) -> Company:
    ensure_partner(by)
    notes = clean_value(Company, "vetting_notes", notes, key="notes")
    if not notes:
        raise ValidationError({"notes": REJECT_NEEDS_NOTES})
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.vetting_status != Company.VettingStatus.PENDING:
        raise ValidationError(
            COMPANY_NOT_PENDING.format(status=company.get_vetting_status_display().lower())
        )
    company.vetting_status = Company.VettingStatus.REJECTED
    company.vetting_checklist = {k: bool((checklist or {}).get(k)) for k in VETTING_CHECKLIST}
    company.vetting_notes, company.vetted_by = notes, by
    company.vetted_at = now or timezone.now()
    company.save()
    audit_record(actor=by, action="company.vet.reject", target=company, reason=notes)
    messages.company_vetted(company)
    return company


def _accepted_levels(values: Any, *, own: str) -> list[str]:
    """The extra levels a role is open to, in ``Level`` order, without its own level."""
    if values is None:
        values = []
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise ValidationError({"accepted_levels": ROLE_LEVELS_NOT_LIST})
    for value in values:
        if value not in Level.values:
            raise ValidationError(
                {
                    "accepted_levels": ROLE_LEVEL_UNKNOWN.format(
                        level=value, choices=", ".join(Level.values)
                    )
                }
            )
    chosen = set(values)
    return [level for level in Level.values if level in chosen and level != own]


def _role_prepare(role: Role) -> None:
    role.accepted_levels = _accepted_levels(role.accepted_levels, own=role.level)
    role.pay_currency = (role.pay_currency or "").upper()
    validate_pay_band(pay_min=role.pay_min, pay_max=role.pay_max, currency=role.pay_currency)


def _role_save(role: Role, data: dict[str, Any]) -> list[str]:
    return model_update(
        role,
        data=data,
        allowed=ROLE_FIELDS,
        what="role",
        prepare=_role_prepare,
        clean_exclude=["company", "created_by"],
    )


def _set_role_skills(role: Role, skills: list[dict[str, Any]]) -> None:
    """Replace the role's skills. Each item: skill_id, kind, min_level, weight.

    ``skill_id`` is a taxonomy id or any typed skill name: a name the taxonomy does not know
    is kept as an open skill (``taxonomy.services.skill_ensure``), at most
    ``MAX_OPEN_SKILLS`` per role (checked before any row is written)."""
    seen: set[str] = set()
    rows = []
    resolved = []
    for item in skills:
        try:
            resolved.append(skill_lookup(item["skill_id"]))
        except ValidationError as exc:
            raise ValidationError({"skills": exc.messages}) from None
    check_open_skills(sum(1 for ref in resolved if not ref.known), owner="role")
    for item, ref in zip(skills, resolved, strict=True):
        sid = ref.skill_id
        if sid in seen:
            raise ValidationError({"skills": DUPLICATE_ROLE_SKILL.format(skill=ref.label)})
        seen.add(sid)
        skill = skill_ensure(item["skill_id"])
        row = RoleSkill(
            role=role,
            skill=skill,
            kind=item.get("kind", RoleSkill.Kind.REQUIRED),
            min_level=item.get("min_level", 3),
            weight=item.get("weight", 1),
        )
        row.full_clean(exclude=["role", "skill"], validate_unique=False, validate_constraints=False)
        rows.append(row)
    RoleSkill.objects.filter(role=role).delete()
    RoleSkill.objects.bulk_create(rows)


def role_skill_counts(skill_ids: list[str]) -> dict[str, int]:
    """How many roles name each of ``skill_ids`` (for the partners' unmapped-names page)."""
    rows = (
        RoleSkill.objects.filter(skill_id__in=skill_ids)
        .values("skill_id")
        .annotate(n=Count("role", distinct=True))
        .values_list("skill_id", "n")
    )
    return dict(rows)


@transaction.atomic
def role_skills_relink(old: str, new: str) -> int:
    """Move every role's requirement of skill ``old`` onto ``new``: a partner mapped the open
    name ``old`` into the taxonomy (``taxonomy.services.skill_name_map``, which checked the
    permission). A role that lists ``new`` already keeps one row: required if either was,
    the higher minimum level and weight. Returns the number of roles moved."""
    rows = list(RoleSkill.objects.select_for_update().filter(skill_id=old))
    has_new = {
        r.role_id: r
        for r in RoleSkill.objects.select_for_update().filter(
            skill_id=new, role_id__in=[r.role_id for r in rows]
        )
    }
    for row in rows:
        other = has_new.get(row.role_id)
        if other is None:
            continue
        if RoleSkill.Kind.REQUIRED in (row.kind, other.kind):
            other.kind = RoleSkill.Kind.REQUIRED
        other.min_level = max(other.min_level, row.min_level)
        other.weight = max(other.weight, row.weight)
        other.save(update_fields=["kind", "min_level", "weight"])
        row.delete()
    RoleSkill.objects.filter(skill_id=old).update(skill_id=new)
    return len(rows)


def _step_save(
    step: InterviewStep, item: dict[str, Any], *, n: int, position: int | None = None
) -> None:
    """Set ``item``'s fields on ``step`` (``None``: left as it is) and its ``position``,
    validate them with the model's own limits and save the step; errors name the step,
    under ``interview_steps``."""
    data = {k: v for k, v in item.items() if k != "id" and v is not None}

    def place(s: InterviewStep) -> None:
        if position is not None:
            s.position = position

    try:
        model_update(
            step,
            data=data,
            allowed=STEP_FIELDS,
            what="interview step",
            prepare=place,
            derived=["position"],
            clean_exclude=["role"],
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise ValidationError({"interview_steps": exc.messages}) from None
        raise ValidationError(
            {
                "interview_steps": [
                    STEP_INVALID.format(
                        n=n,
                        name=step.name or "unnamed",
                        field=getattr(InterviewStep._meta.get_field(field), "verbose_name", field),
                        message=message,
                    )
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
            }
        ) from None


def _set_interview_steps(role: Role, steps: list[dict[str, Any]]) -> None:
    """Make ``steps`` the role's interview process, in order. An item with an ``id`` updates
    that step of this role (its pipelines keep pointing at it); one without is a new step;
    steps left out are deleted. Items without a name are skipped (empty form rows)."""
    existing = {s.pk: s for s in InterviewStep.objects.filter(role=role)}
    kept: list[int] = []
    for position, item in enumerate(s for s in steps if s.get("name")):
        step_id = item.get("id")
        if step_id is None:
            step = InterviewStep(role=role)
        elif step_id in kept:
            raise ValidationError({"interview_steps": STEP_LISTED_TWICE.format(id=step_id)})
        elif step_id in existing:
            step = existing[step_id]
        else:
            raise ValidationError({"interview_steps": STEP_NOT_OF_ROLE.format(id=step_id)})
        _step_save(step, item, n=position + 1, position=position)
        kept.append(step.pk)
    InterviewStep.objects.filter(role=role).exclude(pk__in=kept).delete()


def steps_from_template(template: str) -> list[dict[str, Any]]:
    """The steps of interview template ``template``, or a ``ValidationError`` naming the
    templates there are."""
    try:
        return template_steps(template)
    except KeyError as exc:
        raise ValidationError({"interview_template": exc.args[0]}) from None


@transaction.atomic
def role_create(
    *,
    company: Company,
    by,
    data: dict[str, Any],
    skills: list[dict[str, Any]] | None = None,
    interview_steps: list[dict[str, Any]] | None = None,
    interview_template: str = "",
) -> Role:
    """A new draft role. Its interview steps are ``interview_steps`` or, when none are
    given, those of ``interview_template`` (see ``companies.interview_templates``)."""
    ensure_member_of(user=by, company=company)
    if interview_steps is None and interview_template:
        interview_steps = steps_from_template(interview_template)
    role = Role(company=company, created_by=by)
    _role_save(role, data)
    _set_role_skills(role, skills or [])
    _set_interview_steps(role, interview_steps or [])
    role_texts_changed(role_id=role.pk)
    audit_record(
        actor=by,
        action="role.create",
        target=role,
        data={"interview_template": interview_template} if interview_template else None,
    )
    return role


@transaction.atomic
def role_update(
    *,
    role: Role,
    by,
    data: dict[str, Any],
    skills: list[dict[str, Any]] | None = None,
    interview_steps: list[dict[str, Any]] | None = None,
) -> Role:
    ensure_can_edit_role(user=by, role=role)
    if role.status == Role.Status.CLOSED:
        raise ValidationError(ROLE_CLOSED)
    _role_save(role, data)
    if skills is not None:
        _set_role_skills(role, skills)
    if interview_steps is not None:
        _set_interview_steps(role, interview_steps)
    role_texts_changed(role_id=role.pk)
    audit_record(actor=by, action="role.update", target=role, data={"fields": sorted(data)})
    return role


@transaction.atomic
def interview_step_update(*, step: InterviewStep, by, data: dict[str, Any]) -> InterviewStep:
    """Edit one step of a role's interview process (its prep material included)."""
    ensure_can_edit_role(user=by, role=step.role)
    step = InterviewStep.objects.select_for_update().select_related("role").get(pk=step.pk)
    if step.role.status == Role.Status.CLOSED:
        raise ValidationError(ROLE_CLOSED)
    _step_save(step, data, n=step.position + 1)
    audit_record(
        actor=by,
        action="interview_step.update",
        target=step,
        data={"role": step.role_id, "fields": sorted(data)},
    )
    return step


@transaction.atomic
def role_open(*, role: Role, by, now: datetime | None = None) -> Role:
    ensure_can_edit_role(user=by, role=role)
    role = Role.objects.select_for_update().select_related("company").get(pk=role.pk)
    if not role.company.is_vetted:
        raise ValidationError(COMPANY_NOT_VETTED)
    if role.status != Role.Status.DRAFT:
        raise ValidationError(ROLE_NOT_DRAFT.format(status=role.get_status_display().lower()))
    if not role.skills.filter(kind=RoleSkill.Kind.REQUIRED).exists():
        raise ValidationError(ROLE_NEEDS_REQUIRED_SKILL)
    validate_pay_band(pay_min=role.pay_min, pay_max=role.pay_max, currency=role.pay_currency)
    role.status = Role.Status.OPEN
    role.published_at = now or timezone.now()
    role.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=by, action="role.open", target=role)
    return role


@transaction.atomic
def role_close(*, role: Role, by, reason: str = "", now: datetime | None = None) -> Role:
    ensure_can_edit_role(user=by, role=role)
    reason = clean_value(AuditEntry, "reason", reason, key="reason")  # kept in the log only
    if role.status != Role.Status.OPEN:
        raise ValidationError(ROLE_NOT_OPEN)
    role.status = Role.Status.CLOSED
    role.closed_at = now or timezone.now()
    role.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=by, action="role.close", target=role, reason=reason)
    return role


@transaction.atomic
def role_delete(*, role: Role, by) -> None:
    """Delete a draft role (with its skills and interview steps). Roles that were ever opened
    stay, for the Match Days, intros and audit entries that refer to them: close those."""
    ensure_can_edit_role(user=by, role=role)
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.status != Role.Status.DRAFT:
        raise ValidationError(
            ROLE_DELETE_NOT_DRAFT.format(status=role.get_status_display().lower())
        )
    audit_record(actor=by, action="role.delete", target=role, data={"title": role.title})
    role.delete()


@transaction.atomic
def company_sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    company_name: str,
    website: str,
    size: str,
    stage: str,
    domains: list[str] | None = None,
    description: str = "",
) -> User:
    """Create a company (pending vetting) and its first member."""
    company = Company(
        name=company_name.strip(),
        website=website,
        size=size,
        stage=stage,
        domains=list(domains or []),
        description=description,
    )
    company.full_clean()
    email = check_new_user(email=email, password=password, full_name=full_name)
    company.save()
    user = user_create(
        email=email,
        password=password,
        full_name=full_name,
        persona=User.Persona.COMPANY,
        company=company,
    )
    audit_record(actor=user, action="company.sign_up", target=company)
    messages.account_created(user)
    messages.company_awaits_vetting(company, why="signed up", about=about_key(company, "signup"))
    return user
