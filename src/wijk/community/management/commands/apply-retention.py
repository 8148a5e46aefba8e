"""`wijk apply-retention [--dry-run]`: the retention rules of the registry of persons.

Former members are anonymised two years after they left; personal financial records
older than seven full years are purged (`services.financial_records_purge`).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from wijk.community import services


class Command(BaseCommand):
    help = (
        "Anonymise former members who left two or more years ago and are nothing else "
        "(not a volunteer, worker, contact or customer), and purge personal financial "
        "records (allowances, fee invoice links, customers of anonymised persons) older "
        "than seven full years. Run it daily, for example from cron."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list who is due; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        outcomes = services.retention_apply(today=timezone.localdate(), dry_run=dry_run)
        done = 0
        for outcome in outcomes:
            person = outcome.person
            where = f"{person.organisation.slug} person {person.pk}"
            if outcome.anonymised:
                done += 1
                self.stdout.write(f"anonymised: {where}")
            elif outcome.reasons:
                self.stdout.write(f"blocked: {where}: {'; '.join(outcome.reasons)}")
            else:
                self.stdout.write(f"due: {where} (left {person.member_until:%Y-%m-%d})")
        purge = services.financial_records_purge(today=timezone.localdate(), dry_run=dry_run)
        purged = (
            f"{purge.allowances} allowances, {purge.fee_links} fee invoice links and "
            f"{purge.customers} customers older than seven years"
        )
        if dry_run:
            self.stdout.write(f"{len(outcomes)} due; {purged} due; nothing changed (--dry-run).")
        else:
            self.stdout.write(
                f"{done} anonymised, {len(outcomes) - done} blocked; {purged} purged."
            )
