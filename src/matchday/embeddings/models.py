"""Stored text vectors: each profile's and role's combined vector, computed when it is saved.

A row holds the engine's combined vector of the texts a curation compares
(:func:`matchday.engine.texts.candidate_texts` / ``role_texts``), the digest of those texts
and the encoder version it was computed with. Curation uses a row only when both still
match (otherwise it computes the vector itself), so stored rows change how long a run
takes, never what it proposes.
"""

from __future__ import annotations

from django.db import models

from matchday.companies.models import Role
from matchday.talent.models import CandidateProfile


class StoredVector(models.Model):
    encoder = models.CharField(max_length=200, help_text="Encoder version the vector is of.")
    digest = models.CharField(max_length=64, help_text="sha256 of the texts it was computed from.")
    dim = models.PositiveIntegerField()
    vector = models.BinaryField(help_text="float32, little-endian, dim values.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ProfileVector(StoredVector):
    profile = models.OneToOneField(
        CandidateProfile, on_delete=models.CASCADE, primary_key=True, related_name="text_vector"
    )

    def __str__(self) -> str:
        return f"vector of profile {self.profile_id} ({self.encoder})"


class RoleVector(StoredVector):
    role = models.OneToOneField(
        Role, on_delete=models.CASCADE, primary_key=True, related_name="text_vector"
    )

    def __str__(self) -> str:
        return f"vector of role {self.role_id} ({self.encoder})"
