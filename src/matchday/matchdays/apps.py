from django.apps import AppConfig


class MatchdaysConfig(AppConfig):
    name = "matchday.matchdays"
    label = "matchdays"
    verbose_name = "Match Days"

    def ready(self) -> None:
        from matchday.matchdays.rights import RIGHTS
        from matchday.talent.rights import rights_part_register

        rights_part_register(self.label, RIGHTS)
