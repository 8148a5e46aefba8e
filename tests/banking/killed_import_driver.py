"""Runs bank imports for `test_killed_import.py`, each in a forked child that it can kill.

Started once per test with the scratch database in its environment, it sets Django up
and then reads requests from standard input, one per line: `<file> <stop>`. For each
it forks a child that imports the file through `statement_import` (the service behind
`wijk import-statement`) and reports its progress on standard output:

    progress <pid> <event> <seconds>   before each statement of the file, and once
                                       more just before the commit (events 0..n)
    committed <pid> <event> <seconds>  after the commit (event n + 1)
    stopped <pid> <event>              the child has stopped itself (SIGSTOP) at the
                                       event numbered <stop>, for the test to kill it
    failed <pid> <reason>              the import raised

A committed child then waits to be killed: every run ends with a SIGKILL from the
test, never with an exit of its own. The driver reports `ended <pid> <signal>` when
the child is gone. Forking saves Django's start-up (about a second) per run, so the
test can afford its twenty kills on each database.

Not a test module (pytest collects only `test_*.py`).
"""

from __future__ import annotations

import os
import signal
import sys
import time


def _say(text: str) -> None:
    os.write(1, (text + "\n").encode())


def _child(path: str, stop: int, organisation_id: int) -> None:
    from wijk.banking.importing import statement_import
    from wijk.organisations.models import Organisation

    pid = os.getpid()
    started = time.monotonic()
    events = 0

    def event(kind: str) -> None:
        nonlocal events
        _say(f"{kind} {pid} {events} {time.monotonic() - started:.4f}")
        if events == stop:
            _say(f"stopped {pid} {events}")
            os.kill(pid, signal.SIGSTOP)  # the test kills it here, or lets it go on
        events += 1

    try:
        organisation = Organisation.objects.get(pk=organisation_id)
        with open(path, "rb") as handle:
            data = handle.read()
        statement_import(
            organisation=organisation,
            data=data,
            file_name=os.path.basename(path),
            actor=None,
            progress=lambda done, total: event("progress"),
        )
        event("committed")
    except BaseException as exc:  # reported, so the test fails with the reason
        _say(f"failed {pid} {type(exc).__name__}: {exc}".replace("\n", " "))
        os._exit(1)
    time.sleep(120)  # wait for the test's SIGKILL; never outlive a lost test for long
    os._exit(0)


def main() -> None:
    import django

    django.setup()
    from django.db import connections

    from wijk.organisations.models import Organisation

    organisation_id = Organisation.objects.get(slug=sys.argv[1]).pk
    connections.close_all()  # each child opens its own connection
    _say("ready")
    for request in sys.stdin:
        path, stop = request.split()
        pid = os.fork()
        if pid == 0:
            _child(path, int(stop), organisation_id)
        _pid, status = os.waitpid(pid, 0)
        _say(f"ended {pid} {os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0}")


if __name__ == "__main__":
    main()
