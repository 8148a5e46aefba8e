"""The import: atomic, idempotent, balance checked, gaps reported, unknown IBANs refused."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from wijk.banking.importing import statement_import
from wijk.banking.models import BankAccount, BankLine, Statement
from wijk.core.models import AuditEvent

from . import fixtures
from .test_parsers import REAL_SAMPLES, SAMPLES, needs_samples

pytestmark = pytest.mark.django_db


def _import(org, data, **kwargs):  # type: ignore[no-untyped-def]
    return statement_import(organisation=org, data=data, file_name="s.xml", actor=None, **kwargs)


def test_same_statement_twice_adds_nothing(bank_a):
    org = bank_a.organisation
    first = _import(org, fixtures.camt053())
    assert (first.imported, first.already_present, first.unmatched) == (5, 0, 5)
    again = _import(org, fixtures.camt053())
    assert (again.imported, again.already_present) == (0, 5)
    assert BankLine.objects.count() == 5
    assert Statement.objects.count() == 1
    # The two identical coffees are both kept, with ordinals 0 and 1.
    coffees = BankLine.objects.filter(counterparty_name="Koffiebar").order_by("ordinal")
    assert [c.ordinal for c in coffees] == [0, 1]
    assert AuditEvent.objects.filter(action="statement.import").count() == 2


def test_overlapping_statements_add_their_union(bank_a):
    org = bank_a.organisation
    lines = fixtures.LINES
    _import(org, fixtures.mt940(lines[:4]))  # up to and including both coffees
    second = _import(
        org, fixtures.mt940(lines[2:], opening=fixtures.closing(lines[:2]))
    )  # from the coffees on
    assert (second.imported, second.already_present) == (1, 2)
    assert BankLine.objects.count() == 5
    assert sum(BankLine.objects.values_list("amount_cents", flat=True)) == sum(
        line.cents for line in lines
    )


def test_a_statement_that_does_not_add_up_is_refused(bank_a):
    with pytest.raises(ValidationError) as exc:
        _import(bank_a.organisation, fixtures.camt053(closing_cents=1))
    message = exc.value.message_dict["file"][0]
    assert "s.xml, Stmt[1]: closing balance: the statement does not add up" in message
    assert "€ 1.574,01" in message
    assert not BankLine.objects.exists()
    assert not Statement.objects.exists()


def test_gap_with_the_previous_statement_is_reported(bank_a):
    org = bank_a.organisation
    _import(org, fixtures.mt940(fixtures.LINES[:2]))
    later = (fixtures.Line(fixtures.date(2026, 4, 1), 100, "", "X", "Y"),)
    summary = _import(org, fixtures.mt940(later, opening=99_999))
    assert summary.imported == 1
    assert any("Gap on NL91ABNA0417164300" in note for note in summary.notes)


def test_unknown_iban_is_refused_unless_asked_to_add(books_a):
    data = fixtures.camt053()
    with pytest.raises(ValidationError) as exc:
        _import(books_a, data)
    assert "NL91ABNA0417164300 is not a bank account of" in exc.value.message_dict["file"][0]
    assert not BankLine.objects.exists()
    summary = _import(books_a, data, add_account=True)
    assert summary.imported == 5
    account = BankAccount.objects.get(iban="NL91ABNA0417164300")
    assert account.ledger_account.number == "1100"


def test_a_failure_in_a_later_statement_writes_nothing(bank_a):
    good = fixtures.mt940(fixtures.LINES[:2]).decode()
    bad = fixtures.mt940(fixtures.LINES[2:], account="NL02ABNA0123456789").decode()
    with pytest.raises(ValidationError):
        _import(bank_a.organisation, (good + bad).encode())
    assert not BankLine.objects.exists()
    assert not Statement.objects.exists()


def test_size_limit(bank_a, settings):
    settings.BANK_STATEMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        _import(bank_a.organisation, fixtures.camt053())
    assert "larger than" in exc.value.message_dict["file"][0]


def _statement_files() -> list[str]:
    """Every file in shared/data/bank that is a statement (not a licence, schema or note)."""
    if not SAMPLES.is_dir():
        return []
    skip = (".yml", ".xsd", ".md")
    return sorted(
        str(path.relative_to(SAMPLES))
        for path in SAMPLES.rglob("*")
        if path.is_file()
        and not path.name.endswith(skip)
        and not path.name.startswith(("LICENSE", "expected_"))
        and "LICENSE" not in path.name
    )


@needs_samples
def test_the_list_of_real_samples_misses_no_dutch_bank_file():
    # Not in REAL_SAMPLES, on purpose: ING Belgium's CSV, and MT940 of a Swiss bank and a
    # made-up one; the next test shows each is refused with a reason.
    foreign = {
        "csv/banana_netherlands_ing/csv_ing_example_format2_20100910.csv",
        "mt940/wolph_mt940/jejik/generic.sta",
        "mt940/wolph_mt940/jejik/postfinance.sta",
    }
    listed = {sample[0] for sample in REAL_SAMPLES}
    assert set(_statement_files()) == listed | foreign


@needs_samples
@pytest.mark.parametrize("name", _statement_files())
def test_every_real_sample_imports_or_is_refused_with_a_reason(books_a, name):
    try:
        summary = statement_import(
            organisation=books_a,
            data=(SAMPLES / name).read_bytes(),
            file_name=name,
            actor=None,
            add_account=True,
        )
    except ValidationError as exc:
        assert exc.message_dict["file"][0].startswith(name)
        assert not BankLine.objects.exists()
        return
    assert summary.imported == BankLine.objects.count()
    again = statement_import(
        organisation=books_a, data=(SAMPLES / name).read_bytes(), file_name=name, actor=None
    )
    assert again.imported == 0


def test_command_prints_a_summary_and_json(bank_a, tmp_path):
    path = tmp_path / "maart.xml"
    path.write_bytes(fixtures.camt053())
    out = StringIO()
    call_command("import-statement", str(path), organisation=bank_a.organisation.slug, stdout=out)
    assert "5 imported, 0 already present, 0 matched, 5 left to reconcile" in out.getvalue()
    out = StringIO()
    call_command(
        "import-statement", str(path), organisation=bank_a.organisation.slug, json=True, stdout=out
    )
    summary = json.loads(out.getvalue())
    assert {k: summary[k] for k in ("imported", "already_present", "matched", "unmatched")} == {
        "imported": 0,
        "already_present": 5,
        "matched": 0,
        "unmatched": 0,
    }
    assert summary["statements"][0]["iban"] == "NL91ABNA0417164300"


def test_command_refuses_with_the_located_reason(bank_a, tmp_path):
    path = tmp_path / "kapot.sta"
    path.write_bytes(fixtures.mt940().replace(b"-4599", b"-1"))
    path.write_bytes(fixtures.mt940().replace(b"D45,99", b"D45,98"))
    with pytest.raises(CommandError) as exc:
        call_command("import-statement", str(path), organisation=bank_a.organisation.slug)
    assert str(exc.value).startswith("kapot.sta, line 1: closing balance")


def test_command_exits_non_zero_without_traceback(tmp_path):
    import os
    import subprocess
    import sys

    wijk = str(Path(sys.executable).parent / "wijk")
    env = {**os.environ, "WIJK_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    subprocess.run([wijk, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [
            wijk,
            "create-organisation",
            "--name",
            "Alfa",
            "--slug",
            "alfa",
            "--board-email",
            "a@alfa.example",
        ],
        env={**env, "WIJK_EMAIL_BACKEND": "console"},
        check=True,
        capture_output=True,
    )
    path = tmp_path / "fake.xml"
    path.write_bytes(b"%PDF-1.4")
    result = subprocess.run(  # noqa: S603
        [wijk, "import-statement", str(path), "--organisation", "alfa"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    # the command speaks the installation's language (Dutch), as the web pages do
    assert "fake.xml: dit is een pdf" in result.stderr


def test_upload_page(client, bank_a, board_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = bank_a.organisation
    client.force_login(board_a)
    url = reverse("statement_import", kwargs={"organisation": org.slug})
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(url, {"file": SimpleUploadedFile("x.xml", fixtures.camt053(closing_cents=1))})
    assert bad.status_code == 400
    assert "does not add up" in bad.content.decode()
    ok = client.post(url, {"file": SimpleUploadedFile("m.xml", fixtures.camt053())})
    assert ok.status_code == 200
    assert "5 imported" in ok.content.decode()
    assert BankLine.objects.count() == 5
    unknown = client.post(
        url,
        {"file": SimpleUploadedFile("o.xml", fixtures.camt053(account="NL02ABNA0123456789"))},
    )
    assert unknown.status_code == 400
    assert 'id="add-account-form"' in unknown.content.decode()
    assert BankLine.objects.count() == 5
    kept = list((settings.MEDIA_ROOT / "pending-statements").rglob("*"))
    assert [p for p in kept if p.is_file()]
    # one click adds the account and imports the kept file
    added = client.post(url, {"add_pending": "1"})
    assert added.status_code == 200
    assert "5 imported" in added.content.decode()
    assert BankAccount.objects.filter(iban="NL02ABNA0123456789").exists()
    assert BankLine.objects.count() == 10
    assert not [p for p in kept if p.exists() and p.is_file()]
    # without a kept file, the click asks for the file again
    again = client.post(url, {"add_pending": "1"})
    assert again.status_code == 302


def test_a_kept_statement_is_not_imported_into_another_organisation(
    client, bank_a, board_a, org_b, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_user
    from wijk.ledger import services as ledger

    settings.MEDIA_ROOT = tmp_path
    ledger.ledger_setup(organisation=org_b, actor=None)
    make_user(board_a.email, org_b, "board")
    client.force_login(board_a)
    url_a = reverse("statement_import", kwargs={"organisation": bank_a.organisation.slug})
    client.post(
        url_a,
        {"file": SimpleUploadedFile("o.xml", fixtures.camt053(account="NL02ABNA0123456789"))},
    )
    url_b = reverse("statement_import", kwargs={"organisation": org_b.slug})
    assert client.post(url_b, {"add_pending": "1"}).status_code == 302
    assert not BankAccount.objects.filter(organisation=org_b).exists()


def test_a_kept_statement_nobody_clicked_is_removed_after_a_day(
    client, bank_a, board_a, settings, tmp_path
):
    """Statements hold residents' names and accounts: a kept one does not stay for good."""
    import os
    import time

    from wijk.banking.pending import pending_statements_purge

    settings.MEDIA_ROOT = tmp_path
    org = bank_a.organisation
    folder = tmp_path / "pending-statements"
    # left behind by a treasurer who never clicked (a day and a minute ago), one of an
    # hour ago that someone may still click, and one of another organisation
    old, recent = folder / str(org.pk) / "old.statement", folder / str(org.pk) / "new.statement"
    other = folder / str(org.pk + 1000) / "x.statement"
    for path, age in ((old, 24 * 3600 + 60), (recent, 3600), (other, 24 * 3600 + 60)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"statement")
        os.utime(path, (time.time() - age, time.time() - age))
    assert pending_statements_purge(organisation_id=org.pk, now=time.time() - 3600) == 0
    assert old.exists()
    client.force_login(board_a)
    url = reverse("statement_import", kwargs={"organisation": org.slug})
    assert client.get(url).status_code == 200
    assert not old.exists()
    assert recent.exists()
    assert other.exists()  # only this organisation's folder is looked at


def test_a_refusal_speaks_the_pages_language(client, bank_a, board_a, dutch_default):
    """The located reason of a refused file is in Dutch on the Dutch page, English on
    the English one; the place ("regel 1") too."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    org = bank_a.organisation
    client.force_login(board_a)
    url = reverse("statement_import", kwargs={"organisation": org.slug})
    bad = client.post(url, {"file": SimpleUploadedFile("bad.csv", b"wat;is;dit\n1;2;3\n")})
    assert bad.status_code == 400
    assert "bad.csv, regel 1: het formaat is onbekend" in bad.content.decode()
    english = client.post(
        "/en" + url, {"file": SimpleUploadedFile("bad.csv", b"wat;is;dit\n1;2;3\n")}
    )
    assert "bad.csv, line 1: the format is not recognised" in english.content.decode()
