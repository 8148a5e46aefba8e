"""The import pages: opening balances with a preview, then confirm; an audit file checked,
then imported. Who may; what bad files show; nothing written before confirming."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_user
from wijk.ledger import services
from wijk.ledger.models import JournalEntry, LedgerImport

from .test_opening_balances import GOOD_CSV
from .test_xaf_import import GOOD

pytestmark = pytest.mark.django_db


def url(name, org):
    return reverse(name, kwargs={"organisation": org.slug})


@pytest.fixture
def ready(org_a, board_a, client):  # type: ignore[no-untyped-def]
    services.ledger_setup(organisation=org_a, actor=None)
    year = services.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    client.force_login(board_a)
    return org_a, year


def test_opening_balances_preview_then_confirm(client, ready):
    org, year = ready
    page = client.get(url("opening_balances_import", org))
    assert page.status_code == 200 and 'id="opening-form"' in page.content.decode()
    upload = SimpleUploadedFile("beginbalans.csv", GOOD_CSV, content_type="text/csv")
    preview = client.post(url("opening_balances_import", org), {"year": year.pk, "file": upload})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="preview-table"' in html and "€ 12.495,67" in html
    assert 'name="confirm"' in html
    assert not JournalEntry.objects.exists()  # nothing booked before confirming
    done = client.post(url("opening_balances_import", org), {"confirm": "1"})
    entry = JournalEntry.objects.get()
    assert entry.is_posted and entry.date == year.start_date
    assert done["Location"] == reverse(
        "entry_detail", kwargs={"organisation": org.slug, "pk": entry.pk}
    )
    # Confirming again: the preview is gone, nothing more is booked.
    again = client.post(url("opening_balances_import", org), {"confirm": "1"})
    assert again.status_code == 302 and JournalEntry.objects.count() == 1
    listing = client.get(url("ledger_imports", org)).content.decode()
    assert "beginbalans.csv" in listing and "Opening entry 2026" in listing


def test_opening_balances_bad_file_shows_the_place(client, ready):
    org, year = ready
    upload = SimpleUploadedFile("b.csv", b"rekening;debet;credit\n1100;12,3,4;\n", "text/csv")
    response = client.post(url("opening_balances_import", org), {"year": year.pk, "file": upload})
    assert response.status_code == 400
    assert "b.csv, line 2, column B (debet): “12,3,4” is not an amount" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_opening_balances_unbalanced_preview_has_no_confirm(client, ready):
    org, year = ready
    data = b"rekening;debet;credit\n1100;100,00;\n0900;;90,00\n"
    upload = SimpleUploadedFile("u.csv", data, "text/csv")
    response = client.post(url("opening_balances_import", org), {"year": year.pk, "file": upload})
    html = response.content.decode()
    assert "the difference is € 10,00" in html
    assert 'name="confirm"' not in html
    client.post(url("opening_balances_import", org), {"confirm": "1"})  # forced anyway
    assert not JournalEntry.objects.exists()


def test_xaf_check_then_import(client, ready):
    org, _year = ready
    check = client.post(
        url("xaf_import", org),
        {"file": SimpleUploadedFile("linde.xaf", GOOD), "dry_run": "on"},
    )
    html = check.content.decode()
    assert check.status_code == 200 and 'id="xaf-result"' in html
    assert "The import would post 2 entries with 4 lines." in html
    assert not JournalEntry.objects.exists() and not LedgerImport.objects.exists()
    done = client.post(url("xaf_import", org), {"file": SimpleUploadedFile("linde.xaf", GOOD)})
    assert done["Location"] == url("ledger_imports", org)
    assert JournalEntry.objects.filter(status="posted").count() == 2
    listing = client.get(url("ledger_imports", org)).content.decode()
    assert "linde.xaf" in listing and "(account 4999 in the file)" in listing


def test_xaf_wrong_file_type_is_refused(client, ready):
    org, _year = ready
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
    response = client.post(url("xaf_import", org), {"file": SimpleUploadedFile("foto.xaf", png)})
    assert response.status_code == 400
    assert "foto.xaf: this is a PNG file, not an audit file" in response.content.decode()
    assert not LedgerImport.objects.exists()


def test_audit_committee_may_not_import(client, ready, org_a):
    auditor = make_user("kascommissie@example.org", org_a, "audit_committee", two_factor=True)
    client.force_login(auditor)
    for name in ("ledger_imports", "opening_balances_import", "xaf_import"):
        assert client.get(url(name, org_a)).status_code == 403
