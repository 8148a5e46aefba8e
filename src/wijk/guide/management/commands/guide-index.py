"""`wijk guide-index`: check the guide's content and (re)build its search index."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wijk.guide.content import GuideContentError, load_guide, validate
from wijk.guide.services import guide_index_update


class Command(BaseCommand):
    help = "Check the knowledge guide's content and rebuild its search index."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Rebuild even when the content has not changed since the last build.",
        )
        parser.add_argument(
            "--check", action="store_true", help="Only check the content; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            guide = load_guide()
        except GuideContentError as exc:
            raise CommandError(str(exc)) from exc
        problems = validate(guide)
        if problems:
            raise CommandError(
                "The guide's content has problems; fix them first:\n" + "\n".join(problems)
            )
        pages = sum(len(guide.pages(language)) for language in guide.chapters)
        if options["check"]:
            self.stdout.write(
                f"The guide is in order: {pages} pages, {len(guide.publications)} publications."
            )
            return
        result = guide_index_update(guide=guide, force=options["force"])
        if result.rebuilt:
            self.stdout.write(
                f"Search index rebuilt: {result.documents} documents, {result.terms} terms."
            )
        else:
            self.stdout.write(
                f"Search index already current: {result.documents} documents, {result.terms} terms."
            )
