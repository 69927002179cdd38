from django.apps import AppConfig


class EmbeddingsConfig(AppConfig):
    name = "matchday.embeddings"
    label = "embeddings"
    verbose_name = "Text embeddings"

    def ready(self) -> None:
        from matchday.core import text_changes
        from matchday.embeddings.services import schedule_vector

        text_changes.listen(schedule_vector)
