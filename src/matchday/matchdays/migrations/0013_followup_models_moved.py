# The follow-up's models (Intro, PipelineStep, Offer, ResponseRecord) moved to the followup
# app, which owns them now (followup 0001 adds them to its state). Their tables stay as they
# are: this removes them from matchdays' state only and touches no table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('matchdays', '0012_curation_chunks'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # Those that point at others first.
                migrations.DeleteModel(name='ResponseRecord'),
                migrations.DeleteModel(name='Offer'),
                migrations.DeleteModel(name='PipelineStep'),
                migrations.DeleteModel(name='Intro'),
            ],
            database_operations=[],
        ),
    ]
