"""Expense claim pages: who sees what, the upload form's located errors, the receipt."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.expenses.helpers import HTML, PDF, expense_account, png_bytes, submit_claim
from tests.factories import make_user
from wijk.expenses.models import ExpenseClaim

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):  # type: ignore[no-untyped-def]
    return reverse(name, kwargs={"organisation": org.slug, **kwargs})


def _post_claim(client, org, content, name):  # type: ignore[no-untyped-def]
    return client.post(
        _url("claim_create", org),
        {
            "date": "2026-03-05",
            "description": "Verf voor de moestuinbakken",
            "amount": "1.234,50",
            "account": expense_account(org).pk,
            "iban": "NL91 ABNA 0417 1643 00",
            "account_holder": "Vera Vrijwilliger",
            "receipt": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


def test_volunteer_submits_a_claim_through_the_form(client, org_a, books, volunteer_a):
    client.force_login(volunteer_a)
    assert client.get(_url("claim_create", org_a)).status_code == 200
    response = _post_claim(client, org_a, png_bytes(), "bon.pdf")
    claim = ExpenseClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("claim_detail", org_a, pk=claim.pk)
    assert claim.amount_cents == 123450 and claim.receipt_content_type == "image/png"
    page = client.get(response["Location"]).content.decode()
    assert "Submitted" in page and "NL91 ABNA 0417 1643 00" in page
    assert 'id="approve-form"' not in page


def test_wrong_file_gets_a_located_error_and_nothing_is_saved(
    client, org_a, books, volunteer_a, _media
):
    client.force_login(volunteer_a)
    response = _post_claim(client, org_a, HTML, "bon.pdf")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not saved" in page
    assert 'href="#id_receipt"' in page
    assert "is not a PDF, JPEG or PNG file" in page
    assert ExpenseClaim.objects.count() == 0
    assert not _media.exists() or not any(p.is_file() for p in _media.rglob("*"))


def test_volunteer_sees_only_own_claims_and_not_others(client, org_a, books, volunteer_a):
    other = make_user("buur@alfa.example", org_a, "volunteer")
    mine = submit_claim(org_a, volunteer_a, description="Mijn bon")
    theirs = submit_claim(org_a, other, description="Bon van de buur")
    client.force_login(volunteer_a)
    page = client.get(_url("claim_list", org_a)).content.decode()
    assert "Mijn bon" in page and "Bon van de buur" not in page
    assert client.get(_url("claim_detail", org_a, pk=mine.pk)).status_code == 200
    assert client.get(_url("claim_detail", org_a, pk=theirs.pk)).status_code == 404
    assert client.get(_url("claim_receipt", org_a, pk=theirs.pk)).status_code == 404


def test_receipt_is_served_only_through_the_view(client, org_a, books, volunteer_a, treasurer_a):
    claim = submit_claim(org_a, volunteer_a)
    client.force_login(treasurer_a)
    response = client.get(_url("claim_receipt", org_a, pk=claim.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content == PDF
    # No public URL for the media folder.
    client.logout()
    assert client.get("/media/" + claim.receipt_path).status_code == 404


def test_treasurer_approves_and_pays_through_the_pages(
    client, org_a, books, volunteer_a, treasurer_a
):
    claim = submit_claim(org_a, volunteer_a)
    client.force_login(treasurer_a)
    page = client.get(_url("claim_detail", org_a, pk=claim.pk)).content.decode()
    assert 'id="approve-form"' in page and 'id="reject-form"' in page
    response = client.post(_url("claim_approve", org_a, pk=claim.pk), {})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "posted"
    page = client.get(_url("claim_detail", org_a, pk=claim.pk)).content.decode()
    assert 'id="pay-form"' in page
    bank = claim.organisation.accounts.get(number="1100")
    response = client.post(
        _url("claim_pay", org_a, pk=claim.pk), {"paid_on": "2026-03-01", "bank_account": bank.pk}
    )
    assert response.status_code == 400
    assert "The payment cannot be before the date of the expense." in response.content.decode()
    response = client.post(
        _url("claim_pay", org_a, pk=claim.pk), {"paid_on": "2026-03-09", "bank_account": bank.pk}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "paid"


def test_self_approval_is_refused_on_the_page(client, org_a, books, treasurer_a):
    claim = submit_claim(org_a, treasurer_a)
    client.force_login(treasurer_a)
    page = client.get(_url("claim_detail", org_a, pk=claim.pk)).content.decode()
    assert 'id="approve-form"' not in page and "You cannot approve your own claim" in page
    response = client.post(_url("claim_approve", org_a, pk=claim.pk), {})
    assert response.status_code == 400
    assert "You cannot approve your own claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_reject_without_reason_is_located(client, org_a, books, volunteer_a, treasurer_a):
    claim = submit_claim(org_a, volunteer_a)
    client.force_login(treasurer_a)
    response = client.post(_url("claim_reject", org_a, pk=claim.pk), {"reason": ""})
    assert response.status_code == 400
    assert 'href="#id_reason"' in response.content.decode()
    response = client.post(_url("claim_reject", org_a, pk=claim.pk), {"reason": "Dubbel ingediend"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "rejected"
    # the page no longer says who is to approve it
    page = client.get(_url("claim_detail", org_a, pk=claim.pk)).content.decode()
    assert "The treasurer approves this claim." not in page
    assert "Dubbel ingediend" in page


def test_volunteer_cannot_reach_the_approval_actions(client, org_a, books, volunteer_a):
    claim = submit_claim(org_a, make_user("buur@alfa.example", org_a, "volunteer"))
    client.force_login(volunteer_a)
    assert client.post(_url("claim_approve", org_a, pk=claim.pk), {}).status_code == 403
    assert client.get(_url("expense_policy", org_a)).status_code == 403


def test_status_filter_and_policy_page(client, org_a, books, volunteer_a, board_a):
    submit_claim(org_a, volunteer_a, description="Open bon")
    client.force_login(board_a)
    page = client.get(_url("claim_list", org_a) + "?status=paid").content.decode()
    assert "Open bon" not in page
    page = client.get(_url("claim_list", org_a) + "?status=submitted").content.decode()
    assert "Open bon" in page
    response = client.post(_url("expense_policy", org_a), {"threshold": "abc"})
    assert response.status_code == 400 and 'href="#id_threshold"' in response.content.decode()
    response = client.post(_url("expense_policy", org_a), {"threshold": "100,00"})
    assert response.status_code == 302
    assert org_a.expense_policy.second_approval_threshold_cents == 10000


def test_list_query_count_does_not_grow(
    client, org_a, books, volunteer_a, board_a, django_assert_max_num_queries
):
    for index in range(5):
        submit_claim(org_a, volunteer_a, description=f"Bon {index}")
    client.force_login(board_a)
    with django_assert_max_num_queries(15):
        assert client.get(_url("claim_list", org_a)).status_code == 200
