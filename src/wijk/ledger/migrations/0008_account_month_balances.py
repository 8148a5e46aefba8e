"""Balances per account and month, rolled up while posting (see wijk/ledger/rollups.py).

Creates the table, fills it from the entries posted so far, then installs the
triggers that let only posting add to it (see wijk/ledger/triggers.py).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth


def fill(apps, schema_editor):
    """One row per organisation, account and month of the posted lines so far."""
    JournalLine = apps.get_model("ledger", "JournalLine")
    AccountMonthBalance = apps.get_model("ledger", "AccountMonthBalance")
    alias = schema_editor.connection.alias
    closing = Q(entry__is_closing=True)
    rows = (
        JournalLine.objects.using(alias)
        .filter(entry__status="posted")
        .annotate(month=TruncMonth("entry__date"))
        .values("organisation", "account", "month")
        .annotate(
            debit=Sum("debit_cents"),
            credit=Sum("credit_cents"),
            closing_debit=Sum("debit_cents", filter=closing),
            closing_credit=Sum("credit_cents", filter=closing),
        )
        .order_by("organisation", "account", "month")
    )
    AccountMonthBalance.objects.using(alias).bulk_create(
        (
            AccountMonthBalance(
                organisation_id=row["organisation"],
                account_id=row["account"],
                month_start=row["month"],
                debit_cents=row["debit"] or 0,
                credit_cents=row["credit"] or 0,
                closing_debit_cents=row["closing_debit"] or 0,
                closing_credit_cents=row["closing_credit"] or 0,
            )
            for row in rows.iterator(2000)
        ),
        batch_size=1000,
    )


def create_triggers(apps, schema_editor):
    from wijk.ledger.triggers import rollup_statements

    for sql in rollup_statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    from wijk.ledger.triggers import rollup_statements

    for sql in rollup_statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0007_add_ledger_imports'),
        ('organisations', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccountMonthBalance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month_start', models.DateField(verbose_name='month')),
                ('debit_cents', models.BigIntegerField(default=0, verbose_name='debit (cents)')),
                ('credit_cents', models.BigIntegerField(default=0, verbose_name='credit (cents)')),
                ('closing_debit_cents', models.BigIntegerField(default=0)),
                ('closing_credit_cents', models.BigIntegerField(default=0)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='month_balances', to='ledger.account')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation')),
            ],
            options={
                'verbose_name': 'balance per account and month',
                'verbose_name_plural': 'balances per account and month',
                'constraints': [models.UniqueConstraint(fields=('organisation', 'account', 'month_start'), name='account_month_balance_unique'), models.CheckConstraint(condition=models.Q(('debit_cents__gte', 0), ('credit_cents__gte', 0), ('closing_debit_cents__gte', 0), ('closing_credit_cents__gte', 0), ('closing_debit_cents__lte', models.F('debit_cents')), ('closing_credit_cents__lte', models.F('credit_cents'))), name='account_month_balance_amounts')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
