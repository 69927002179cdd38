"""API keys: create (the only moment the key is seen), revoke, and authenticate.

A key is ``md_<prefix>_<secret>``: ``prefix`` is 8 random characters kept in clear so the
owner can recognise the key in a list; ``secret`` is 32 random bytes. A random key of that
entropy needs no slow password hash: the SHA-256 digest of the whole key is stored and
looked up directly, so a stolen database gives no usable key.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from matchday.api.models import ApiKey
from matchday.audits.services import audit_record

KEY_SCHEME = "md"
PREFIX_LENGTH = 8
SECRET_BYTES = 32
MAX_ACTIVE_KEYS = 10
# Writing last_used_at on every request would turn every read into a write; a minute's
# precision is enough to tell a live integration from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)

KEY_NEEDS_NAME = "Give the key a name so you can recognise it later."
TOO_MANY_KEYS = "You have {n} active keys, the most allowed; revoke one first."
KEY_ALREADY_REVOKED = "This key was already revoked."

_PREFIX_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789"


def hash_key(raw: str) -> str:
    """The stored digest of a key: SHA-256, hex."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new_key() -> tuple[str, str]:
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    raw = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return prefix, raw


def api_keys_for(*, user) -> QuerySet[ApiKey]:
    """The user's own keys, newest first (revoked ones included, marked)."""
    if not (user is not None and user.is_authenticated):
        return ApiKey.objects.none()
    return ApiKey.objects.filter(user=user)


def api_key_for(*, user, key_id: int) -> ApiKey:
    """One of the user's own keys; anyone else's is not found (404)."""
    return get_object_or_404(api_keys_for(user=user), pk=key_id)


@transaction.atomic
def api_key_create(*, user, name: str, now: datetime | None = None) -> tuple[ApiKey, str]:
    """Create a key for ``user``. Returns the row and the key in clear, which is never
    stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": KEY_NEEDS_NAME})
    active = ApiKey.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_KEYS:
        raise ValidationError(TOO_MANY_KEYS.format(n=MAX_ACTIVE_KEYS))
    while True:
        prefix, raw = _new_key()
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    key = ApiKey(
        user=user,
        name=name,
        prefix=f"{KEY_SCHEME}_{prefix}",
        key_hash=hash_key(raw),
        created_at=now or timezone.now(),
    )
    key.full_clean(exclude=["user"])
    key.save()
    audit_record(actor=user, action="api_key.create", target=key, subject_user=user)
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by, now: datetime | None = None) -> ApiKey:
    """Revoke one of ``by``'s own keys; it is refused from the next request on."""
    key = get_object_or_404(api_keys_for(user=by).select_for_update(), pk=key.pk)
    if key.revoked_at is not None:
        raise ValidationError(KEY_ALREADY_REVOKED)
    key.revoked_at = now or timezone.now()
    key.save(update_fields=["revoked_at"])
    audit_record(actor=by, action="api_key.revoke", target=key, subject_user=by)
    return key


def api_key_authenticate(*, raw: str, now: datetime | None = None):
    """The active user owning the active key ``raw``, or ``None``. Records when it was used."""
    if not raw or not raw.startswith(f"{KEY_SCHEME}_") or len(raw) > 200:
        return None
    key = (
        ApiKey.objects.select_related("user", "user__company")
        .filter(key_hash=hash_key(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if key is None:
        return None
    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    key.user.api_key = key
    return key.user


# --- composite writes the API offers in one call ---------------------------------------------

SKILL_LISTED_TWICE = "{skill} is listed more than once."


def resolve_skill_names(names: list[str], *, field: str = "skills") -> list[str]:
    """What the services take for skill names given by id, label, alias or any other name
    (kept as an open skill), in order: the taxonomy id, or the name as typed. A name that
    is not a skill name (empty, no letters, too long), or resolves to a skill already listed,
    is reported by position (``skills.2.skill``) in one ``ValidationError``."""
    from matchday.taxonomy.services import skill_lookup

    seen: set[str] = set()
    out: list[str] = []
    errors: dict[str, str] = {}
    for i, name in enumerate(names):
        try:
            ref = skill_lookup(name)
        except ValidationError as exc:
            errors[f"{field}.{i}.skill"] = exc.messages[0]
            out.append("")
            continue
        if ref.skill_id in seen:
            errors[f"{field}.{i}.skill"] = SKILL_LISTED_TWICE.format(skill=name)
        seen.add(ref.skill_id)
        out.append(ref.skill_id if ref.known else ref.label)
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def profile_patch(*, user, data: dict, skills: list[dict] | None = None):
    """Update the caller's own profile fields and, when given, replace their skills, all or
    nothing. The rules are the talent services'; this only sequences them."""
    from matchday.talent import services as talent
    from matchday.talent.selectors import own_profile

    profile = own_profile(user=user)
    if skills is not None:
        ids = resolve_skill_names([s["skill"] for s in skills])
    if data:
        talent.profile_update(profile=profile, by=user, data=data)
    if skills is not None:
        from matchday.taxonomy.services import skill_lookup

        keep = {skill_lookup(name).skill_id for name in ids}
        for skill_id in set(profile.skills.values_list("skill_id", flat=True)) - keep:
            talent.candidate_skill_remove(profile=profile, by=user, skill_id=skill_id)
        for i, (skill_id, item) in enumerate(zip(ids, skills, strict=True)):
            try:
                talent.candidate_skill_set(
                    profile=profile,
                    by=user,
                    skill_id=skill_id,
                    level=item["level"],
                    years=item.get("years", 0),
                    evidence=item.get("evidence", ""),
                )
            except ValidationError as exc:
                raise _prefixed(exc, f"skills.{i}") from None
    return own_profile(user=user)


def _prefixed(exc: ValidationError, prefix: str) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return ValidationError({prefix: exc.messages})
    return ValidationError(
        {f"{prefix}.{'skill' if f == '__all__' else f}": m for f, m in exc.message_dict.items()}
    )


def role_skills_input(skills: list[dict] | None) -> list[dict] | None:
    """The role services' skill rows for API input naming skills by id, label or alias."""
    if skills is None:
        return None
    ids = resolve_skill_names([s["skill"] for s in skills])
    return [
        {"skill_id": sid, "kind": s["kind"], "min_level": s["min_level"], "weight": s["weight"]}
        for sid, s in zip(ids, skills, strict=True)
    ]
