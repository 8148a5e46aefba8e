"""`wijk create-organisation`: start a new enterprise and invite its first board member."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wijk.organisations import services
from wijk.organisations.models import Organisation
from wijk.organisations.roles import Role


class Command(BaseCommand):
    help = "Create an organisation and e-mail an invitation to its first board member."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True, help="Short name in web addresses.")
        parser.add_argument("--board-email", required=True)
        parser.add_argument(
            "--legal-form", default="foundation", choices=Organisation.LegalForm.values
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "WIJK_BASE_URL", "http://127.0.0.1:8000"),
            help="Address of this installation, used in the invitation link.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # One transaction: when the invitation cannot be made or sent, no
            # organisation without a board member is left behind.
            with transaction.atomic():
                organisation = services.organisation_create(
                    name=options["name"],
                    slug=options["slug"],
                    legal_form=options["legal_form"],
                    actor=None,
                )
                services.invitation_create(
                    organisation=organisation,
                    email=options["board_email"],
                    role=Role.BOARD,
                    actor=None,
                    base_url=options["base_url"],
                )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                details = "; ".join(
                    f"--{OPTION_NAMES.get(field, field.replace('_', '-'))}: {' '.join(messages)}"
                    for field, messages in exc.message_dict.items()
                )
            else:
                details = " ".join(exc.messages)
            raise CommandError(f"Nothing was created. {details}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise CommandError(
                f"Nothing was created: the invitation e-mail could not be sent ({exc}). "
                "Check the mail settings (EMAIL_HOST and related) and try again."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Created {organisation.name} (/o/{organisation.slug}/).")
        )
        self.stdout.write(f"Invitation sent to {options['board_email']}.")


# Service field names that differ from this command's option names.
OPTION_NAMES = {"email": "board-email"}
