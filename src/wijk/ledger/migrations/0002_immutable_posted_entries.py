"""Install the triggers that keep posted entries unalterable (see wijk/ledger/triggers.py)."""

from django.db import migrations


def create(apps, schema_editor):
    from wijk.ledger.triggers import statements

    for sql in statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    from wijk.ledger.triggers import statements

    for sql in statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
