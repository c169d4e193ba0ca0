"""The table Django's database cache keeps its entries in (settings.CACHES).

``createcachetable`` is a command, not a migration; running it here means every way of
setting up a database (``migrate``, the test database, ``make demo``) has the table. It
does nothing when the table is there or the cache is not the database one.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
