"""How django-allauth and django-axes see Matchday's accounts."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from matchday.core.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # The one definition of "the client" that every rate limit and lock-out uses.
        return client_ip(request)


def axes_username(request, credentials) -> str:
    """The account a log-in attempt is for, as django-axes keys its lock-out.

    allauth authenticates with ``email=``; Django's own forms (and old clients) post
    ``username``; allauth's form field is ``login``.
    """
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return str(value).strip().lower()


_ENCRYPTED = "fernet:"


def _fernet():
    """Fernet keys derived from ``SECRET_KEY`` and then ``SECRET_KEY_FALLBACKS``: rotating the
    secret key (old one in the fallbacks) keeps every enrolled second factor readable."""
    import base64

    from cryptography.fernet import Fernet, MultiFernet
    from django.utils.crypto import salted_hmac

    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac("matchday.mfa", "secrets", secret=key, algorithm="sha256").digest()
                )
            )
            for key in keys
        ]
    )


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        """TOTP secrets and recovery-code seeds are stored encrypted (Fernet), not in clear."""
        return _ENCRYPTED + _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(_ENCRYPTED):
            return encrypted_text  # stored before encryption: still readable
        return _fernet().decrypt(encrypted_text.removeprefix(_ENCRYPTED).encode()).decode()

    def can_delete_authenticator(self, authenticator) -> bool:
        """A person who must use two factors cannot remove their last second factor
        (they can add a security key or a new authenticator app first)."""
        from allauth.mfa.models import Authenticator

        strong = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        user = authenticator.user
        if (
            user.persona not in settings.MATCHDAY_MFA_REQUIRED_PERSONAS
            or authenticator.type not in strong
        ):
            return True
        others = Authenticator.objects.filter(user=user, type__in=strong)
        return others.exclude(pk=authenticator.pk).exists()
