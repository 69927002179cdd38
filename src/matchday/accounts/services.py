"""Sign-up and account administration."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from matchday.accounts.models import User
from matchday.audits.services import audit_record
from matchday.core.fields import clean_value

EMAIL_TAKEN = "An account with this email address already exists."
TIMEZONE_NOT_YOURS = "You can only choose your own time zone."


class EmailTaken(ValidationError):
    """The address belongs to an account. Sign-up pages must not say so (they send that
    account an email instead); services that act for a signed-in person may."""

    def __init__(self, email: str):
        super().__init__({"email": EMAIL_TAKEN})
        self.email = email


def check_new_user(*, email: str, password: str, full_name: str) -> str:
    """Validate everything else first, so "taken" is the only difference a taken address
    makes; hash the password either way, so it takes as long."""
    clean_value(User, "full_name", full_name)  # its length; the field keeps it on one line
    email = User.objects.normalize_email(email).lower()
    validate_password(password, User(email=email, full_name=full_name))
    if User.objects.filter(email__iexact=email).exists():
        make_password(password)
        raise EmailTaken(email)
    return email


def user_create(*, email: str, password: str, full_name: str, persona: str, **extra) -> User:
    """Create a sign-up's user after ``check_new_user``; the owning app creates the rest
    (``talent.services.candidate_sign_up``, ``companies.services.company_sign_up``)."""
    return User.objects.create_user(
        email=email, password=password, full_name=full_name, persona=persona, **extra
    )


PARTNERS_GROUP = "Talent partners"
# (app label, codename prefixes) the partners' admin group holds, for every model of the app.
PARTNER_PERMISSIONS = {
    "talent": ("view",),  # the admin is view-only for these: changes go through the pages
    "companies": ("view",),
    "audits": ("view",),
}


def partners_group():
    """The "Talent partners" admin group, created (or topped up) with its permissions."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _ = Group.objects.get_or_create(name=PARTNERS_GROUP)
    wanted = Q(pk__in=[])
    for app_label, actions in PARTNER_PERMISSIONS.items():
        for action in actions:
            wanted |= Q(content_type__app_label=app_label, codename__startswith=f"{action}_")
    group.permissions.add(*Permission.objects.filter(wanted))
    return group


@transaction.atomic
def partner_create(*, email: str, password: str, full_name: str, staff: bool = True) -> User:
    """Talent partners are created by an administrator (``manage.py create_partner``).

    They join the "Talent partners" group, which may view candidates, companies and the
    audit log in the Django admin. The administrator vouches for the address (it counts as
    verified); the partner sets up a second factor at the first log-in.
    """
    from allauth.account.models import EmailAddress

    email = check_new_user(email=email, password=password, full_name=full_name)
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        persona=User.Persona.PARTNER,
        is_staff=staff,
    )
    user.groups.add(partners_group())
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    audit_record(actor=None, action="partner.create", target=user)
    return user


@transaction.atomic
def company_member_add(*, by: User, email: str, password: str, full_name: str) -> User:
    """A company member invites a colleague into the same company."""
    from matchday.core.permissions import ensure_company_member

    ensure_company_member(by)
    email = check_new_user(email=email, password=password, full_name=full_name)
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        persona=User.Persona.COMPANY,
        company_id=by.company_id,
    )
    audit_record(actor=by, action="company.member_add", target=by.company, data={"member": email})
    return user


@transaction.atomic
def user_set_timezone(*, user: User, by: User, timezone: str) -> User:
    """A person chooses the zone they read and type times in (empty: the default, see
    ``core.timezones.zone_name_for``). Only for themselves."""
    from django.core.exceptions import PermissionDenied

    from matchday.core.timezones import validate_zone

    if by is None or not by.is_authenticated or by.pk != user.pk:
        raise PermissionDenied(TIMEZONE_NOT_YOURS)
    timezone = (timezone or "").strip()
    try:
        validate_zone(timezone)
    except ValidationError as exc:
        raise ValidationError({"timezone": exc.messages}) from exc
    user.timezone = timezone
    user.save(update_fields=["timezone"])
    audit_record(
        actor=by,
        action="user.timezone",
        target=user,
        subject_user=user,
        data={"timezone": timezone},
    )
    return user
