"""`wijk check`: Django's system checks plus what an operator needs to know.

It extends Django's own `check` (so `wijk check --deploy` still works) with the
database connection, unapplied migrations, the cache table and the data folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.check import Command as DjangoCheck
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


class Command(DjangoCheck):
    help = "Check the installation: settings, database, migrations and data folder."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--system-only", action="store_true", help="Run only Django's system checks."
        )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        super().handle(*app_labels, **options)
        if options.get("system_only"):
            return
        problems: list[str] = []
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            connection.ensure_connection()
            self.stdout.write(
                f"Database: {connection.vendor} ({connection.settings_dict['NAME']}) reachable."
            )
        except Exception as exc:  # noqa: BLE001 - any failure to connect is reported as is
            raise CommandError(f"Database not reachable: {exc}") from exc
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            problems.append(f"{len(plan)} database migration(s) not applied: run `wijk migrate`.")
        else:
            self.stdout.write("Migrations: all applied.")
        cache_table = settings.CACHES["default"].get("LOCATION")
        if (
            settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
            and cache_table not in connection.introspection.table_names()
        ):
            problems.append("The cache table is missing: run `wijk createcachetable`.")
        data_dir = Path(settings.DATA_DIR)
        if not data_dir.exists() or not os.access(data_dir, os.W_OK):
            problems.append(f"The data folder {data_dir} is missing or not writable.")
        else:
            self.stdout.write(f"Data folder: {data_dir} writable.")
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS("Everything is in order."))
