"""`wijk send-deadline-reminders [--dry-run]`: e-mail coming contract deadlines once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from wijk.community import services


class Command(BaseCommand):
    help = (
        "E-mail the board and coordinators of each organisation about contract deadlines "
        f"due within {services.REMINDER_DAYS} days (or overdue) that were not announced "
        "before. Run it daily, for example from cron."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list what would be sent; send nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = services.deadline_reminders_send(
            today=timezone.localdate(), dry_run=options["dry_run"]
        )
        for outcome in outcomes:
            to = ", ".join(outcome.recipients) or "nobody (no board member or coordinator)"
            self.stdout.write(
                f"{outcome.organisation.slug}: {len(outcome.deadlines)} deadline(s) to {to}"
            )
        if options["dry_run"]:
            self.stdout.write("Nothing sent (--dry-run).")
