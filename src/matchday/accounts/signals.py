"""Security events from django-allauth written to the audit log."""

from __future__ import annotations

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in

from matchday.accounts.middleware import remember_enrolment
from matchday.audits.services import audit_record


def _audit(action: str):
    def receiver(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
        data = {"type": authenticator.type} if authenticator is not None else {}
        audit_record(actor=user, action=action, target=user, subject_user=user, data=data)

    receiver.__name__ = f"audit_{action.replace('.', '_')}"
    return receiver


RECEIVERS = {
    mfa_signals.authenticator_added: _audit("account.mfa.add"),
    mfa_signals.authenticator_removed: _audit("account.mfa.remove"),
    mfa_signals.authenticator_reset: _audit("account.mfa.reset"),
    account_signals.password_changed: _audit("account.password.change"),
    account_signals.password_reset: _audit("account.password.reset"),
}


def unlock_after_reset(sender, request=None, user=None, **kwargs) -> None:
    """A reset password proves the owner: lift django-axes' lock-outs of the account too
    (allauth clears its own failure counts)."""
    from axes.utils import reset

    reset(username=user.email)


def connect() -> None:
    for signal, receiver in RECEIVERS.items():
        signal.connect(receiver, dispatch_uid=receiver.__name__)
    account_signals.password_reset.connect(unlock_after_reset, dispatch_uid="matchday_unlock")
    user_logged_in.connect(remember_enrolment, dispatch_uid="matchday_remember_enrolment")
