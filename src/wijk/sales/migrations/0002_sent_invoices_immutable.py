"""Install the triggers that keep sent invoices unalterable (see wijk/sales/triggers.py)."""

from django.db import migrations


def create(apps, schema_editor):
    from wijk.sales.triggers import statements

    for sql in statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    from wijk.sales.triggers import statements

    for sql in statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_add_sales_invoices")]

    operations = [migrations.RunPython(create, drop)]
