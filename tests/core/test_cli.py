"""The `wijk` command line: demo, check, create-organisation."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from wijk.accounts.models import User
from wijk.core.models import AuditEvent
from wijk.organisations.models import Membership, NeighbourhoodLink, Organisation

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        NeighbourhoodLink.objects.count(),
        AuditEvent.objects.count(),
    )


def test_check_reports_a_healthy_installation():
    output = run("check")
    assert "Migrations: all applied." in output
    assert "Everything is in order." in output


def test_create_organisation_invites_the_first_board_member():
    output = run(
        "create-organisation",
        "--name",
        "Buurtbedrijf Noord",
        "--slug",
        "noord",
        "--board-email",
        "voorzitter@noord.example",
    )
    assert "Created Buurtbedrijf Noord" in output
    assert Organisation.objects.filter(slug="noord").exists()
    assert mail.outbox[0].to == ["voorzitter@noord.example"]


def test_create_organisation_bad_input_names_the_option_and_writes_nothing():
    run("create-organisation", "--name", "Een", "--slug", "een", "--board-email", "a@een.example")
    before = counts()
    with pytest.raises(CommandError, match="--slug"):
        run(
            "create-organisation",
            "--name",
            "Twee",
            "--slug",
            "een",
            "--board-email",
            "b@een.example",
        )
    assert counts() == before


@pytest.mark.django_db(transaction=False)
def test_wijk_entry_point_lists_its_commands(tmp_path: Path):
    wijk = Path(sys.executable).with_name("wijk")
    result = subprocess.run(
        [str(wijk), "help"],
        capture_output=True,
        text=True,
        env={"WIJK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for command in ("demo", "serve", "check", "backup", "restore", "create-organisation"):
        assert command in result.stdout


def test_create_organisation_with_a_bad_email_writes_nothing():
    before = counts()
    with pytest.raises(CommandError, match="--board-email"):
        run(
            "create-organisation", "--name", "Drie", "--slug", "drie", "--board-email", "geen-adres"
        )
    assert counts() == before


def test_create_organisation_when_mail_fails_writes_nothing(settings):
    settings.EMAIL_BACKEND = "tests.organisations.failing_mail.Backend"
    before = counts()
    with pytest.raises(CommandError, match="could not be sent"):
        run(
            "create-organisation",
            "--name",
            "Vier",
            "--slug",
            "vier",
            "--board-email",
            "a@vier.example",
        )
    assert counts() == before


def test_network_analyst_role_is_granted_and_removed():
    output = run("network-analyst", "Onderzoeker@Netwerk.example", "--name", "Onderzoeker")
    user = User.objects.get(email="onderzoeker@netwerk.example")
    assert user.is_network_analyst and not user.has_usable_password()
    assert "Forgot password" in output
    run("network-analyst", "onderzoeker@netwerk.example", "--remove")
    user.refresh_from_db()
    assert not user.is_network_analyst
    with pytest.raises(CommandError, match="not a network analyst"):
        run("network-analyst", "onderzoeker@netwerk.example", "--remove")
    with pytest.raises(CommandError, match="not a valid e-mail"):
        run("network-analyst", "geen-adres")


def test_serve_explains_a_busy_port(tmp_path: Path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        wijk = Path(sys.executable).with_name("wijk")
        result = subprocess.run(
            [str(wijk), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env={"WIJK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
            timeout=60,
            check=False,
        )
    assert result.returncode != 0
    assert "choose another with --port" in result.stderr
    assert "Traceback" not in result.stderr
