"""`wijk network-analyst EMAIL`: give (or take away) the network-analyst role.

Network analysts see aggregated figures across all enterprises and never one
enterprise's pages. The role belongs to the installation, not to an organisation,
so an operator grants it here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from wijk.accounts.models import User
from wijk.core.models import audit_record


class Command(BaseCommand):
    help = "Make a person a network analyst (or, with --remove, no longer one)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Name for a new account.")
        parser.add_argument("--remove", action="store_true", help="Take the role away.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        email = User.objects.normalize_email(options["email"]).strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"EMAIL: {email!r} is not a valid e-mail address.") from exc
        user = User.objects.filter(email__iexact=email).first()
        if options["remove"]:
            if user is None or not user.is_network_analyst:
                raise CommandError(f"{email} is not a network analyst; nothing was changed.")
            user.is_network_analyst = False
            user.save(update_fields=["is_network_analyst"])
            audit_record(action="network_analyst.remove", data={"email": email})
            self.stdout.write(self.style.SUCCESS(f"{email} is no longer a network analyst."))
            return
        created = user is None
        if user is None:
            # No password yet: the person sets one with "Forgot password?" on the login page.
            user = User.objects.create_user(email, None, full_name=options["name"])
        user.is_network_analyst = True
        user.save(update_fields=["is_network_analyst"])
        audit_record(action="network_analyst.add", data={"email": email})
        self.stdout.write(self.style.SUCCESS(f"{email} is now a network analyst."))
        if created:
            self.stdout.write(
                "A new account was made without a password. Ask the person to choose one "
                "with 'Forgot password?' on the login page."
            )
