from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "matchday.talent"
    label = "talent"

    def ready(self) -> None:
        from matchday.talent.services import candidate_skill_counts, candidate_skills_relink
        from matchday.taxonomy.services import SkillUses, skill_uses_register

        skill_uses_register(
            self.label,
            SkillUses("profiles", count=candidate_skill_counts, relink=candidate_skills_relink),
        )
