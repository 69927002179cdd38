"""The follow-up's models moved from ``matchdays`` to ``followup`` without moving a row: the
tables keep their names, the content types follow the models, and messages already sent about
an intro keep counting as sent (their ``about`` keys take the new label)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from matchday.followup.models import Intro, Offer, PipelineStep, ResponseRecord, labels_of
from matchday.matchdays.models import MatchDay
from matchday.notifications.models import InboxItem, Message
from tests import factories

BEFORE = [("matchdays", "0012_curation_chunks"), ("followup", None)]
OLD_STATE = [("matchdays", "0012_curation_chunks"), ("notifications", "0004_inbox")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def test_the_moved_models_belong_to_followup_and_keep_their_tables(db):
    tables = connection.introspection.table_names()
    for model in (Intro, PipelineStep, Offer, ResponseRecord):
        assert model._meta.app_label == "followup"
        assert model._meta.db_table == f"matchdays_{model._meta.model_name}"
        assert model._meta.db_table in tables
    assert not hasattr(__import__("matchday.matchdays.models").matchdays.models, "Intro")
    assert labels_of(Intro) == ["followup.intro", "matchdays.intro"]
    assert labels_of(MatchDay) == ["matchdays.matchday"]


@pytest.mark.django_db(transaction=True)
def test_migrating_an_existing_database_relabels_content_types_and_message_keys():
    user = factories.PartnerFactory()
    intro_type = ContentType.objects.get_for_model(Intro).pk
    _migrate(BEFORE)
    try:
        old = MigrationExecutor(connection).loader.project_state(OLD_STATE).apps
        # Unmigrating gave the content types back to matchdays, as an older database has them.
        assert ContentType.objects.get(pk=intro_type).app_label == "matchdays"
        old_message = old.get_model("notifications", "Message")
        old_inbox = old.get_model("notifications", "InboxItem")
        for about in (
            "matchdays.intro:7:reminder:1",
            "matchdays.pipelinestep:9",
            "matchdays.matchday:3",
        ):
            old_message.objects.create(
                recipient_id=user.pk, to_email=user.email, kind="reminder",
                subject="s", body="b", about=about,
            )  # fmt: skip
        old_inbox.objects.create(
            recipient_id=user.pk, event="step.reminder", category="pipeline",
            about="matchdays.offer:4", subject="s", body="b", created_at="2026-12-01T10:00Z",
        )  # fmt: skip
    finally:
        _migrate(None)

    assert ContentType.objects.get(pk=intro_type).app_label == "followup"
    assert ContentType.objects.get_for_model(Intro).pk == intro_type  # permissions stay attached
    assert sorted(Message.objects.values_list("about", flat=True)) == [
        "followup.intro:7:reminder:1",
        "followup.pipelinestep:9",
        "matchdays.matchday:3",  # not a moved model: untouched
    ]
    assert list(InboxItem.objects.values_list("about", flat=True)) == ["followup.offer:4"]
