from django.apps import AppConfig


class FollowupConfig(AppConfig):
    """Release, intros, the follow-up pipeline without ghosting, candidate controls and the
    Match Day report. Owns no models: it writes the ``matchdays`` and ``notifications`` rows."""

    name = "matchday.followup"
    label = "followup"
    verbose_name = "Match Day follow-up"
