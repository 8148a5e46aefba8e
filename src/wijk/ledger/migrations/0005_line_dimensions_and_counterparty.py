"""Dimensions on lines (building, activity) and the counterparty of an entry.

Adding the counterparty column makes SQLite rebuild the entries table, which would
drop its triggers: they are dropped first and created again at the end (see
"Changing a ledger table on SQLite" in docs/contributing.md).
"""

import django.db.models.deletion
from django.db import migrations, models


def _run(schema_editor, *, create):
    from wijk.ledger.triggers import closed_year_statements, statements

    vendor = schema_editor.connection.vendor
    for sql in statements(vendor, create=create) + closed_year_statements(vendor, create=create):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, create=False)


def create_triggers(apps, schema_editor):
    _run(schema_editor, create=True)


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0001_add_activity'),
        ('ledger', '0004_add_budget_line'),
        ('premises', '0001_add_building'),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AddField(
            model_name='journalentry',
            name='counterparty',
            field=models.CharField(blank=True, help_text='Who paid or was paid: a funder, customer or supplier.', max_length=140, verbose_name='counterparty'),
        ),
        migrations.AddField(
            model_name='journalline',
            name='activity',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_lines', to='activities.activity', verbose_name='activity'),
        ),
        migrations.AddField(
            model_name='journalline',
            name='building',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_lines', to='premises.building', verbose_name='building'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
