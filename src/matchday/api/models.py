from django.conf import settings
from django.db import models
from django.db.models import Q

from matchday.core.fields import LineField


class ApiKey(models.Model):
    """A per-user key for integrations. Only a SHA-256 digest of the key is stored; the key
    itself is shown once, when it is created. ``prefix`` is its visible first characters,
    so a user can tell their keys apart without the secret."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = LineField(max_length=80, help_text="What this key is for, e.g. 'ATS sync'.")
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, help_text="sha256 hex digest.")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="api_key_hash_is_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
