from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "matchday.companies"
    label = "companies"

    def ready(self) -> None:
        from matchday.companies.services import role_skill_counts, role_skills_relink
        from matchday.taxonomy.services import SkillUses, skill_uses_register

        skill_uses_register(
            self.label, SkillUses("roles", count=role_skill_counts, relink=role_skills_relink)
        )
