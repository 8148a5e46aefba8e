"""Persons, sessions, the sign-in at the door and a volunteer's own hours in a real browser.

Every page is checked with axe; the pages residents use (the sign-in at the door and
their own hours) also on 360- and 390-pixel-wide phone screens, without sideways
scrolling.
"""

from __future__ import annotations

import os
import tempfile
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser import axe
from tests.browser.conftest import PHONE
from tests.browser.helpers import log_in_with_cookie, visit
from wijk.activities import services as activities
from wijk.activities.models import DoorSignIn
from wijk.community import services as community
from wijk.community.models import Person, VolunteerHours

pytestmark = pytest.mark.browser

# Screenshots go to WIJK_SCREENSHOTS when set (for docs/screenshots/), else to a temporary
# folder: a test run never changes the repository.
SCREENSHOTS = Path(os.environ.get("WIJK_SCREENSHOTS") or tempfile.mkdtemp(prefix="wijk-shots-"))
PHONES = [{"width": 360, "height": 780}, PHONE]


def _fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def _session(org):  # type: ignore[no-untyped-def]
    activity = activities.activity_create(
        organisation=org, data=activities.ActivityData(name="Taalcafé"), actor=None
    )
    return activities.session_create(
        activity=activity,
        data=activities.SessionData(
            date=timezone.localdate(), start_time=time(10), participants_counted=4
        ),
        actor=None,
    )


def test_persons_pages(page, context, live_server, org_a, board_a):
    person = community.person_create(
        organisation=org_a,
        data=community.PersonData(
            name="Fatima Yilmaz",
            email="fatima@example.nl",
            postcode="3521",
            is_volunteer=True,
            skills="koken, Turks",
            availability="dinsdagochtend",
        ),
        actor=None,
    )
    community.person_create(
        organisation=org_a,
        data=community.PersonData(name="Jan de Vries", is_contact=True),
        actor=None,
    )
    log_in_with_cookie(context, live_server.url, board_a)

    def url(name: str, **kwargs: object) -> str:
        return live_server.url + reverse(name, kwargs={"organisation": org_a.slug, **kwargs})

    visit(page, url("person_list"))
    assert "Fatima Yilmaz" in page.inner_text("#persons-table")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / "persons.png"), full_page=True)
    visit(page, url("person_create"))
    page.fill("#id_name", "")
    page.fill("#id_postcode", "12")
    with page.expect_navigation():
        page.click("#person-form button[type=submit]")
    axe.check(page, when="person form with errors")
    assert page.locator("#id_postcode_errors").count() == 1
    visit(page, url("person_detail", pk=person.pk))
    page.check("input[name=given][value=yes]")
    page.fill("#id_wording_version", "2026-01")
    with page.expect_navigation():
        page.click("#consent-form button[type=submit]")
    axe.check(page, when="after recording consent")
    assert "2026-01" in page.inner_text("#consent-table")
    page.screenshot(path=str(SCREENSHOTS / "person.png"), full_page=True)
    visit(page, url("person_export", pk=person.pk))
    visit(page, url("person_anonymise", pk=person.pk))
    visit(page, url("volunteer_list"))
    assert "koken, Turks" in page.inner_text("#volunteers-table")
    visit(page, url("decision_list"))
    visit(page, url("job_list"))
    partner = community.partner_create(
        organisation=org_a, name="Gemeente Amsterdam", kind="municipality", actor=None
    )
    contract = community.contract_create(
        partner=partner,
        data=community.ContractData(
            title="Groenonderhoud",
            kind="right_to_challenge",
            start_date=timezone.localdate(),
            end_date=timezone.localdate() + timedelta(days=14),
        ),
        actor=None,
    )
    visit(page, url("partner_list"))
    visit(page, url("partner_detail", pk=partner.pk))
    visit(page, url("contract_detail", pk=contract.pk))
    visit(page, url("dashboard"))
    assert "Groenonderhoud" in page.inner_text("#deadlines-summary")


def test_session_page_with_the_qr_code(page, context, live_server, org_a, board_a):
    session = _session(org_a)
    log_in_with_cookie(context, live_server.url, board_a)
    visit(
        page,
        reverse("session_list", kwargs={"organisation": org_a.slug, "pk": session.activity_id}),
    )
    visit(page, reverse("session_detail", kwargs={"organisation": org_a.slug, "pk": session.pk}))
    qr = page.locator("img.qr")
    assert qr.evaluate("(img) => img.complete && img.naturalWidth > 0")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / "session.png"), full_page=True)
    visit(page, reverse("activity_year", kwargs={"organisation": org_a.slug}))


@pytest.mark.parametrize("screen", PHONES, ids=lambda s: f"{s['width']}px")
def test_sign_in_at_the_door_on_a_phone(page, live_server, org_a, screen):
    session = _session(org_a)
    page.set_viewport_size(screen)
    visit(page, reverse("door_sign_in", kwargs={"token": session.door_token}))
    _fits(page, screen["width"])
    page.fill("#id_postcode", "12")
    with page.expect_navigation():
        page.click("#door-submit")
    axe.check(page, when="sign-in with a bad postcode")
    assert page.locator("#id_postcode_errors").count() == 1
    page.fill("#id_postcode", "3521")
    page.check("input[name=age_band][value='67+']")
    with page.expect_navigation():
        page.click("#door-submit")
    axe.check(page, when="after signing in")
    assert page.locator("#door-thanks").is_visible()
    _fits(page, screen["width"])
    assert list(DoorSignIn.objects.values_list("postcode", "age_band")) == [("3521", "67+")]
    if screen is PHONE:
        page.screenshot(path=str(SCREENSHOTS / "door-sign-in.png"), full_page=True)


@pytest.mark.parametrize("screen", PHONES, ids=lambda s: f"{s['width']}px")
def test_a_volunteer_logs_hours_on_a_phone(page, context, live_server, org_a, volunteer_a, screen):
    community.person_create(
        organisation=org_a,
        data=community.PersonData(name="Vrijwilliger", is_volunteer=True, user=volunteer_a),
        actor=None,
    )
    log_in_with_cookie(context, live_server.url, volunteer_a)
    page.set_viewport_size(screen)
    visit(page, reverse("my_hours", kwargs={"organisation": org_a.slug}))
    _fits(page, screen["width"])
    page.fill("#id_duration", "2,5")
    page.fill("#id_description", "Koffie geschonken")
    with page.expect_navigation():
        page.click("#hours-form button[type=submit]")
    axe.check(page, when="after saving hours")
    assert "Koffie geschonken" in page.inner_text("#my-hours")
    _fits(page, screen["width"])
    assert VolunteerHours.objects.get().minutes == 150
    assert Person.objects.count() == 1
    if screen is PHONE:
        page.screenshot(path=str(SCREENSHOTS / "my-hours.png"), full_page=True)
    visit(page, reverse("my_data", kwargs={"organisation": org_a.slug}))
    _fits(page, screen["width"])
    assert "Koffie geschonken" in page.inner_text("main")
