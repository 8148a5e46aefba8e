"""A closed fiscal year is never reopened and nothing is posted into it (see triggers.py)."""

from django.db import migrations


def create(apps, schema_editor):
    from wijk.ledger.triggers import closed_year_statements

    for sql in closed_year_statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    from wijk.ledger.triggers import closed_year_statements

    for sql in closed_year_statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_immutable_posted_entries")]

    operations = [migrations.RunPython(create, drop)]
