from django.apps import AppConfig


class FollowupConfig(AppConfig):
    """Release, intros, the follow-up pipeline without ghosting, candidate controls and the
    Match Day report. Owns the intros, pipeline steps, offers and response records
    (``followup.models``); reads the Match Days and proposals of ``matchdays`` below it."""

    name = "matchday.followup"
    label = "followup"
    verbose_name = "Match Day follow-up"

    def ready(self) -> None:
        from matchday.followup.rights import RIGHTS
        from matchday.talent.rights import rights_part_register

        rights_part_register(self.label, RIGHTS)
