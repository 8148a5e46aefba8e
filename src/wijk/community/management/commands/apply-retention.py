"""`wijk apply-retention [--dry-run]`: anonymise former members two years after they left."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from wijk.community import services


class Command(BaseCommand):
    help = (
        "Anonymise former members who left two or more years ago and are nothing else "
        "(not a volunteer, worker, contact or customer). Run it daily, for example from cron."
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
        if dry_run:
            self.stdout.write(f"{len(outcomes)} due; nothing changed (--dry-run).")
        else:
            self.stdout.write(f"{done} anonymised, {len(outcomes) - done} blocked.")
