"""`wijk demo`: prepare the database and load the demo enterprise (safe to repeat)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from wijk.demo.generator import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG, build_demo


class Command(BaseCommand):
    help = "Create the database tables and load the demo enterprise. Running it again adds nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-migrate", action="store_true", help="Skip database migrations.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
        organisation = build_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Demo enterprise ready: {organisation.name} (/o/{DEMO_SLUG}/)")
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            roles = ", ".join(str(role.label) for role in login.roles) or "network analyst"  # type: ignore[attr-defined]
            self.stdout.write(f"  {login.email:<32} {login.full_name:<20} {roles}")
        if not settings.WIJK_REQUIRE_2FA:
            self.stdout.write("")
            self.stdout.write("Two-step login is not required in the demo (WIJK_REQUIRE_2FA=0).")
