"""The `wijk` command: one entry point for operators.

`wijk COMMAND` runs a Django management command with Wijkonderneming's settings, so
`wijk demo`, `wijk serve`, `wijk check`, `wijk backup`, `wijk restore` and every
capability's own commands share one place, and `wijk help` lists them.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "wijk"
    try:
        execute_from_command_line(args)
    except BrokenPipeError:
        # The reader went away (`wijk export-journal … | head`): stop quietly, as
        # the Python documentation recommends for command-line tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
