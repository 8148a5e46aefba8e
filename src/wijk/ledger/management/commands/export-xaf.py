"""`wijk export-xaf --organisation SLUG --year Y [--output FILE]`: the books as XAF 3.2."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wijk.ledger.models import FiscalYear
from wijk.ledger.xaf import xaf_export
from wijk.organisations.models import Organisation


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        # mkstemp makes the file private (0600); give it the mode a new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class Command(BaseCommand):
    help = (
        "Write the posted entries of one fiscal year as an XML Auditfile Financieel 3.2 "
        "(XAF), the audit file the Dutch tax office asks for."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", metavar="SLUG", required=True)
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="The fiscal year that starts in this calendar year.",
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Write to this file (replaced in one step) instead of standard output.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                f"--organisation: no organisation with the short name {options['organisation']!r}."
            )
        fiscal_year = FiscalYear.objects.filter(
            organisation=organisation, start_date__year=options["year"]
        ).first()
        if fiscal_year is None:
            raise CommandError(
                f"--year: {organisation.slug} has no fiscal year starting in {options['year']}."
            )
        output = options["output"]
        if output is not None:
            # Check before the export, so a typo does not cost the whole run.
            path = Path(output).expanduser()
            try:
                is_folder, parent_exists = path.is_dir(), path.parent.is_dir()
            except OSError as exc:  # a name too long, a loop of links
                raise CommandError(
                    f"--output: cannot write {output}: {exc.strerror or exc}."
                ) from exc
            if is_folder:
                raise CommandError(f"--output: {output} is a folder; give a file name.")
            if not parent_exists:
                raise CommandError(f"--output: there is no folder {path.parent}.")
        document = xaf_export(organisation=organisation, fiscal_year=fiscal_year)
        if output is None:
            self._write_stdout(document)
            return
        try:
            write_atomically(path, document)
        except OSError as exc:
            raise CommandError(f"--output: cannot write {output}: {exc.strerror or exc}.") from exc
        self.stderr.write(f"XAF 3.2 for {organisation.slug}, fiscal year {fiscal_year}: {output}")

    def _write_stdout(self, document: bytes) -> None:
        buffer = getattr(self.stdout, "buffer", None)
        if buffer is not None:  # a real stream: the exact UTF-8 bytes
            self.stdout.flush()
            buffer.write(document)
            buffer.flush()
        else:  # a text stream, as in tests
            self.stdout.write(document.decode("utf-8"), ending="")
