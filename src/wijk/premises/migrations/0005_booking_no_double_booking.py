"""The database refuses double bookings: an exclusion constraint or triggers.

PostgreSQL gets `EXCLUDE USING gist` (django.contrib.postgres constraints exist only
there, so this runs by vendor); SQLite gets triggers. See wijk/premises/overlap.py.
"""

from django.db import migrations

from wijk.premises.overlap import statements


def create(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("premises", "0004_add_booking")]

    operations = [migrations.RunPython(create, drop)]
