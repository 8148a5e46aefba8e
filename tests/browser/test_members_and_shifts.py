"""Shifts on a volunteer's phone, and the members' pages (fees, shares, shifts, contract
money) for the board, in a real browser checked with axe."""

from __future__ import annotations

import os
import tempfile
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser import axe
from tests.browser.conftest import PHONE
from tests.browser.helpers import log_in_with_cookie, visit
from tests.sales.helpers import settings_with_iban
from wijk.activities import services as activities
from wijk.community import services as community
from wijk.community import shares, shifts
from wijk.community.models import ShiftSignup
from wijk.ledger import services as ledger
from wijk.ledger.models import Account

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(os.environ.get("WIJK_SCREENSHOTS") or tempfile.mkdtemp(prefix="wijk-shots-"))
PHONES = [{"width": 360, "height": 780}, PHONE]


def _fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def _shift(org, task="Koffie schenken"):  # type: ignore[no-untyped-def]
    activity = activities.activity_create(
        organisation=org, data=activities.ActivityData(name="Buurtbar"), actor=None
    )
    return shifts.shift_create(
        organisation=org,
        data=shifts.ShiftData(
            activity=activity,
            date=timezone.localdate() + timedelta(days=2),
            start_time=time(10),
            end_time=time(12),
            task=task,
            volunteers_needed=2,
        ),
        actor=None,
    )


@pytest.mark.parametrize("screen", PHONES, ids=lambda s: f"{s['width']}px")
def test_a_volunteer_signs_up_for_a_shift_on_a_phone(
    page, context, live_server, org_a, volunteer_a, screen
):
    me = community.person_create(
        organisation=org_a,
        data=community.PersonData(name="Vrijwilliger", is_volunteer=True, user=volunteer_a),
        actor=None,
    )
    community.hours_log(person=me, date=timezone.localdate(), minutes=60, actor=None)
    shift = _shift(org_a)
    log_in_with_cookie(context, live_server.url, volunteer_a)
    page.set_viewport_size(screen)
    visit(page, reverse("my_shifts", kwargs={"organisation": org_a.slug}))
    _fits(page, screen["width"])
    assert page.locator("#milestones").is_visible()
    with page.expect_navigation():
        page.click(f"#shift-{shift.pk} button[type=submit]")
    axe.check(page, when="after signing up")
    _fits(page, screen["width"])
    assert ShiftSignup.objects.filter(shift=shift, person=me).exists()
    assert page.locator(f"#shift-{shift.pk} .badge").is_visible()
    if screen is PHONE:
        page.screenshot(path=str(SCREENSHOTS / "my-shifts.png"), full_page=True)
    with page.expect_navigation():
        page.click(f"#shift-{shift.pk} button[type=submit]")
    axe.check(page, when="after withdrawing")
    assert not ShiftSignup.objects.exists()
    visit(page, reverse("my_hours", kwargs={"organisation": org_a.slug}))
    _fits(page, screen["width"])
    assert page.locator("#milestones").is_visible()


def test_members_pages_for_the_board(
    page, context, live_server, org_a, board_a, settings, tmp_path, posted_entries_cleanup
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ledger.ledger_setup(organisation=org_a, actor=None)
    ledger.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    settings_with_iban(org_a)
    member = community.person_create(
        organisation=org_a,
        data=community.PersonData(
            name="Fatima Yilmaz", member_since=date(2025, 1, 1), membership_fee_cents=2500
        ),
        actor=None,
    )
    shares.shares_issue(
        organisation=org_a,
        person=member,
        count=4,
        nominal_value_cents=5000,
        date=date(2026, 2, 1),
        bank_account=Account.objects.get(organisation=org_a, number="1100"),
        actor=None,
    )
    _shift(org_a)
    log_in_with_cookie(context, live_server.url, board_a)
    # Sending renders a PDF per invoice: give the clicks more than the default five seconds.
    page.set_default_timeout(30_000)

    def url(name: str) -> str:
        return live_server.url + reverse(name, kwargs={"organisation": org_a.slug})

    visit(page, url("membership_fees") + "?jaar=2026")
    assert "Fatima Yilmaz" in page.inner_text("#fees-due")
    page.fill("#id_issue_date", "2031-01-01")
    with page.expect_navigation(timeout=30_000):
        page.click("#fees-form button[type=submit]")
    axe.check(page, when="fees with a bad date")
    assert page.locator("#id_issue_date_errors").count() == 1
    page.fill("#id_issue_date", "2026-02-01")
    with page.expect_navigation(timeout=30_000):
        page.click("#fees-form button[type=submit]")
    axe.check(page, when="after invoicing the fees")
    assert "2026-0001" in page.inner_text("#fees-invoiced")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / "membership-fees.png"), full_page=True)
    visit(page, url("share_register"))
    assert "€ 200,00" in page.inner_text("#holdings")
    page.locator("details:has(#transfer-form) > summary").click()
    with page.expect_navigation():
        page.click("#transfer-form button[type=submit]")
    axe.check(page, when="transfer with errors")
    page.screenshot(path=str(SCREENSHOTS / "share-register.png"), full_page=True)
    visit(page, url("shift_list"))
    assert "Koffie schenken" in page.inner_text("#shifts-table")
    page.set_viewport_size({"width": 360, "height": 780})
    visit(page, url("shift_list"))
    _fits(page, 360)
    page.screenshot(path=str(SCREENSHOTS / "shifts-360.png"), full_page=True)
