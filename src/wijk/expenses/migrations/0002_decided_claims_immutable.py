"""Install the triggers that keep decided claims unalterable (see wijk/expenses/triggers.py)."""

from django.db import migrations


def create(apps, schema_editor):
    from wijk.expenses.triggers import statements

    for sql in statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    from wijk.expenses.triggers import statements

    for sql in statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("expenses", "0001_add_expense_claims")]

    operations = [migrations.RunPython(create, drop)]
