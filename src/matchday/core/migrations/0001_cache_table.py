"""The database cache table (rate-limit counters when REDIS_URL is not set).

``createcachetable`` is idempotent and does nothing for other cache backends, so every
``migrate`` (make run, CI, a deploy) leaves the table in place without a separate step.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
