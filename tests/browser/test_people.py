"""Inviting someone from the people page; the form is enhanced with htmx."""

from __future__ import annotations

import pytest

from tests.browser import axe
from tests.browser.helpers import log_in_with_cookie, visit
from wijk.organisations.models import Invitation

pytestmark = pytest.mark.browser

SEND = "#invitations form[hx-post] button[type=submit]"


def send_invitation(page, email: str, role: str) -> None:
    """Fill in and send the form; htmx swaps #invitations and the page stays loaded."""
    page.fill("#id_email", email)
    page.check(f"input[name=role][value={role}]")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    with page.expect_response(lambda r: r.url.endswith("/mensen/uitnodigen/")) as answer:
        page.click(SEND)
    assert answer.value.request.headers.get("hx-request") == "true"
    page.wait_for_function("() => !document.querySelector('#invitations.htmx-settling')")
    assert page.evaluate("() => window.stillTheSamePage === true")


@pytest.fixture
def people_page(page, context, live_server, org_a, board_a):
    log_in_with_cookie(context, live_server.url, board_a)
    visit(page, "/o/alfa/mensen/")
    return page


def test_invitation_appears_in_the_open_invitations(people_page):
    page = people_page
    assert page.locator("#invitations-table").count() == 0

    send_invitation(page, "nieuwe.penningmeester@alfa.example", "treasurer")

    table = page.locator("#invitations-table")
    table.get_by_role("cell", name="nieuwe.penningmeester@alfa.example", exact=True).wait_for()
    axe.check(page, when="after the htmx swap")
    assert page.url.endswith("/o/alfa/mensen/")
    assert (
        "nieuwe.penningmeester@alfa.example"
        in page.locator("#invitations [role=status]").inner_text()
    )
    assert page.locator("#id_email").input_value() == ""  # a fresh form for the next one
    assert list(Invitation.objects.values_list("email", "role")) == [
        ("nieuwe.penningmeester@alfa.example", "treasurer")
    ]


def test_bad_email_shows_an_error_at_the_field(people_page):
    page = people_page

    send_invitation(page, "geen-e-mailadres", "volunteer")

    email = page.locator("#id_email[aria-invalid=true]")
    email.wait_for()
    axe.check(page, when="after the htmx swap with errors")
    # The error is tied to the input and shown inside its field ...
    described_by = email.get_attribute("aria-describedby") or ""
    messages = [page.locator(f"[id='{ref}']") for ref in described_by.split()]
    assert any(m.count() and m.inner_text().strip() for m in messages), described_by
    assert page.locator(".field--invalid #id_email").count() == 1
    # ... and the summary above the form links to it.
    assert page.locator("#form-error-summary a[href='#id_email']").count() == 1
    assert email.input_value() == "geen-e-mailadres"
    assert not Invitation.objects.exists()
