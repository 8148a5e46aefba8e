"""`wijk serve`: serve the application with waitress (a production-grade WSGI server)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Wijkonderneming over HTTP (put a TLS proxy in front in production)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from wijk.wsgi import application

        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/ (Ctrl+C stops)")
        try:
            serve(
                application, host=options["host"], port=options["port"], threads=options["threads"]
            )
        except OSError as exc:
            raise CommandError(
                f"Cannot listen on {options['host']}:{options['port']}: {exc.strerror}. "
                "Is another program using this port? Stop it, or choose another with --port."
            ) from exc
