"""`wijk person-export --organisation SLUG --person ID [--format json|csv]`: everything held about a person."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wijk.community import privacy
from wijk.community.models import Person
from wijk.organisations.models import Organisation


class Command(BaseCommand):
    help = "Print everything the registry holds about one person, as JSON or CSV."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", metavar="SLUG", required=True)
        parser.add_argument("--person", metavar="ID", type=int, required=True)
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                f"--organisation: no organisation with the short name {options['organisation']!r}."
            )
        person = Person.objects.for_organisation(organisation).filter(pk=options["person"]).first()
        if person is None:
            raise CommandError(f"--person: {organisation.slug} has no person {options['person']}.")
        if options["format"] == "csv":
            self.stdout.write(privacy.person_export_csv(person), ending="")
        else:
            self.stdout.write(privacy.person_export_json(person))
