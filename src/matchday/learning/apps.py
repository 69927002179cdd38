from django.apps import AppConfig


class LearningConfig(AppConfig):
    """Weights learned from people's decisions: proposed, compared, adopted by a partner."""

    name = "matchday.learning"
    default_auto_field = "django.db.models.BigAutoField"
