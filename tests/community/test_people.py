"""The registry of persons: rules, consent, export, anonymisation, retention, who may do what."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import make_user
from wijk.community import privacy, services
from wijk.community.models import Consent, Job, Person
from wijk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _person(org, name="Fatima Yilmaz", **fields):  # type: ignore[no-untyped-def]
    return services.person_create(
        organisation=org, data=services.PersonData(name=name, **fields), actor=None
    )


def test_every_field_of_community_and_activities_is_classified():
    missing, stale = [], []
    for app_label in privacy.classified_apps():
        for model in apps.get_app_config(app_label).get_models():
            label = model._meta.label
            handling = privacy.FIELD_HANDLING.get(label, {})
            names = {f.name for f in privacy.concrete_fields(model)}
            missing += [f"{label}.{name}" for name in sorted(names - handling.keys())]
            stale += [f"{label}.{name}" for name in sorted(handling.keys() - names)]
    assert missing == [], f"Classify these fields in community/privacy.py: {missing}"
    assert stale == [], f"These classified fields no longer exist: {stale}"


def test_classification_catches_a_new_field(monkeypatch):
    handling = dict(privacy.FIELD_HANDLING["community.Person"])
    del handling["phone"]
    monkeypatch.setitem(privacy.FIELD_HANDLING, "community.Person", handling)
    names = {f.name for f in privacy.concrete_fields(Person)}
    assert names - handling.keys() == {"phone"}


def test_every_field_a_person_sees_of_themselves_has_a_translated_label():
    """Mijn gegevens shows each field under its label: a field without its own
    verbose_name would show its code name ("created at") in English."""
    from django.utils.functional import Promise

    plain = [
        f"{label}.{field.name}"
        for label in privacy.PERSON_LINKS
        for field in privacy.concrete_fields(apps.get_model(label))
        if privacy.FIELD_HANDLING[label].get(field.name) is not privacy.N
        and not isinstance(field.verbose_name, Promise)
        and field.name not in privacy.link_fields(label)
    ]
    assert plain == [], f"Give these fields a verbose_name with _(): {plain}"


def test_every_person_link_is_classified_and_exists():
    for label in privacy.PERSON_LINKS:
        model = apps.get_model(label)
        handling = privacy.FIELD_HANDLING[label]
        names = {f.name for f in privacy.concrete_fields(model)}
        assert names == handling.keys(), label
        for link in privacy.link_fields(label):
            assert link == "pk" or link in names


def test_create_normalises_and_audits_without_personal_data(org_a, board_a):
    person = services.person_create(
        organisation=org_a,
        data=services.PersonData(
            name="  Fatima Yilmaz ",
            email="Fatima@Example.NL",
            postcode="3521 AB",
            is_volunteer=True,
        ),
        actor=board_a,
    )
    assert (person.name, person.email, person.postcode) == (
        "Fatima Yilmaz",
        "fatima@example.nl",
        "3521",
    )
    event = AuditEvent.objects.get(action="person.create")
    assert event.data == {"id": person.pk}
    assert "Fatima" not in json.dumps(event.data)


def test_bad_person_data_is_refused_by_field_and_nothing_written(org_a, org_b):
    outsider = make_user("elders@beta.example", org_b, "volunteer")
    for data, field in (
        (services.PersonData(name=" "), "name"),
        (services.PersonData(name="X", email="geen-adres"), "email"),
        (services.PersonData(name="X", phone="bel me"), "phone"),
        (services.PersonData(name="X", postcode="12"), "postcode"),
        (services.PersonData(name="X", postcode="0123"), "postcode"),
        (services.PersonData(name="X", member_until=date(2026, 1, 1)), "member_since"),
        (
            services.PersonData(
                name="X", member_since=date(2026, 2, 1), member_until=date(2026, 1, 1)
            ),
            "member_until",
        ),
        (services.PersonData(name="X", user=outsider), "user"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.person_create(organisation=org_a, data=data, actor=None)
        assert field in exc.value.message_dict, field
    assert not Person.objects.exists()


def test_a_login_links_to_one_person_only(org_a, volunteer_a):
    _person(org_a, "Eerste", user=volunteer_a)
    with pytest.raises(ValidationError) as exc:
        _person(org_a, "Tweede", user=volunteer_a)
    assert "user" in exc.value.message_dict


def test_consent_state_is_the_latest_record(org_a):
    from wijk.community.selectors import consent_states

    person = _person(org_a)
    services.consent_record(
        person=person,
        purpose="photos",
        given=True,
        recorded_on=date(2026, 1, 5),
        wording_version="2026-01",
        actor=None,
    )
    services.consent_record(
        person=person,
        purpose="photos",
        given=False,
        recorded_on=date(2026, 3, 1),
        wording_version="2026-01",
        actor=None,
    )
    states = {state.purpose: state for state in consent_states(person=person)}
    assert states["photos"].given is False
    assert states["newsletter"].given is None
    with pytest.raises(ValidationError) as exc:
        services.consent_record(
            person=person,
            purpose="sms",
            given=True,
            recorded_on=date(2099, 1, 1),
            wording_version=" ",
            actor=None,
        )
    assert set(exc.value.message_dict) == {"purpose", "recorded_on", "wording_version"}
    assert Consent.objects.count() == 2


def test_export_holds_all_of_the_person_and_nobody_else(org_a, org_b):
    person = _person(
        org_a,
        "Fatima Yilmaz",
        email="fatima@example.nl",
        phone="06 1234 5678",
        postcode="3521",
        notes="Spreekt Turks",
        skills="koken",
        is_volunteer=True,
        member_since=date(2024, 1, 1),
    )
    services.consent_record(
        person=person,
        purpose="newsletter",
        given=True,
        recorded_on=date(2026, 1, 5),
        wording_version="2026-01",
        actor=None,
    )
    other = _person(org_a, "Jan de Vries", email="jan@example.nl", notes="Heeft een sleutel")
    services.consent_record(
        person=other,
        purpose="photos",
        given=True,
        recorded_on=date(2026, 1, 6),
        wording_version="v-jan",
        actor=None,
    )
    _person(org_b, "Beta Persoon", email="beta@example.nl")
    # a paid job of the person: its hours per week are a decimal
    services.job_create(
        organisation=org_a,
        data=services.JobData(
            title="Kok",
            kind=Job.Kind.values[0],
            hours_per_week=Decimal("12.5"),
            start_date=date(2026, 1, 1),
            person=person,
        ),
        actor=None,
    )
    exported = json.loads(privacy.person_export_json(person))
    text = json.dumps(exported, ensure_ascii=False)
    for value in (
        "Fatima Yilmaz",
        "fatima@example.nl",
        "06 1234 5678",
        "3521",
        "Spreekt Turks",
        "koken",
        "2024-01-01",
        "newsletter",
        "2026-01",
        "Kok",
        "12.5",
    ):
        assert value in text, value
    for value in ("Jan de Vries", "jan@example.nl", "Heeft een sleutel", "v-jan", "Beta", "beta@"):
        assert value not in text, value
    rows = list(csv.reader(io.StringIO(privacy.person_export_csv(person))))
    assert rows[0] == ["model", "id", "field", "value"]
    assert ["community.Person", str(person.pk), "email", "fatima@example.nl"] in rows
    assert not any("Jan" in cell for row in rows for cell in row)


def test_anonymise_empties_identifying_fields_and_keeps_the_books(org_a, board_a):
    from tests.test_url_sweep import _books
    from wijk.ledger.verification import verify_organisation

    _books(org_a)
    person = _person(
        org_a,
        "Fatima Yilmaz",
        email="fatima@example.nl",
        notes="Spreekt Turks",
        member_since=date(2020, 1, 1),
        member_until=date(2023, 1, 1),
        user=board_a,
    )
    services.consent_record(
        person=person,
        purpose="newsletter",
        given=True,
        recorded_on=date(2026, 1, 5),
        wording_version="2026-01",
        actor=None,
    )
    services.person_anonymise(person=person, actor=board_a)
    person.refresh_from_db()
    assert (person.name, person.email, person.notes, person.user) == ("", "", "", None)
    assert person.anonymised_at is not None
    assert person.member_since == date(2020, 1, 1)  # figures stay
    assert Consent.objects.filter(person=person).count() == 1
    assert "Fatima" not in privacy.person_export_json(person)
    assert verify_organisation(organisation=org_a) == []
    with pytest.raises(ValidationError):
        services.person_anonymise(person=person, actor=board_a)
    with pytest.raises(ValidationError):
        services.person_update(person=person, data=services.PersonData(name="Terug"), actor=None)


def test_a_blocker_refuses_anonymisation(org_a):
    person = _person(org_a, "Schuldenaar")

    def owes_money(candidate):  # type: ignore[no-untyped-def]
        return "Still owes € 25,00." if candidate.pk == person.pk else None

    privacy.register_blocker(owes_money)
    try:
        with pytest.raises(ValidationError) as exc:
            services.person_anonymise(person=person, actor=None)
        assert "Still owes € 25,00." in exc.value.messages
    finally:
        privacy._BLOCKERS.remove(owes_money)
    person.refresh_from_db()
    assert person.name == "Schuldenaar" and person.anonymised_at is None


def test_retention_anonymises_former_members_after_two_years(org_a, monkeypatch):
    today = date(2026, 11, 28)
    old = _person(org_a, "Oud lid", member_since=date(2015, 1, 1), member_until=date(2024, 11, 28))
    recent = _person(
        org_a, "Net weg", member_since=date(2015, 1, 1), member_until=date(2024, 11, 29)
    )
    still_volunteer = _person(
        org_a,
        "Nog actief",
        member_since=date(2015, 1, 1),
        member_until=date(2020, 1, 1),
        is_volunteer=True,
    )
    current = _person(org_a, "Lid", member_since=date(2015, 1, 1))
    assert services.retention_due(today=today) == [old]
    dry = services.retention_apply(today=today, dry_run=True)
    assert [o.anonymised for o in dry] == [False]
    old.refresh_from_db()
    assert old.anonymised_at is None
    services.retention_apply(today=today, dry_run=False)
    for person in (old, recent, still_volunteer, current):
        person.refresh_from_db()
    assert old.anonymised_at is not None
    assert recent.anonymised_at is None and still_volunteer.anonymised_at is None
    assert current.anonymised_at is None
    assert services.retention_cutoff(date(2028, 2, 29)) == date(2026, 2, 28)


def test_apply_retention_command(org_a, capsys):
    old = _person(org_a, "Oud lid", member_since=date(2015, 1, 1), member_until=date(2020, 1, 1))
    call_command("apply-retention", "--dry-run")
    assert "due: alfa person" in capsys.readouterr().out
    old.refresh_from_db()
    assert old.anonymised_at is None
    call_command("apply-retention")
    assert f"anonymised: alfa person {old.pk}" in capsys.readouterr().out
    old.refresh_from_db()
    assert old.anonymised_at is not None


def test_person_export_command(org_a, org_b, capsys):
    person = _person(org_a, "Fatima Yilmaz", email="fatima@example.nl")
    call_command("person-export", "--organisation", "alfa", "--person", str(person.pk))
    assert json.loads(capsys.readouterr().out)["person"] == person.pk
    call_command(
        "person-export", "--organisation", "alfa", "--person", str(person.pk), "--format", "csv"
    )
    assert "fatima@example.nl" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--person"):
        call_command("person-export", "--organisation", "beta", "--person", str(person.pk))
    with pytest.raises(CommandError, match="--organisation"):
        call_command("person-export", "--organisation", "nergens", "--person", "1")


def test_pages_create_show_and_locate_errors(client, org_a, board_a):
    client.force_login(board_a)
    create = reverse("person_create", kwargs={"organisation": org_a.slug})
    bad = client.post(create, {"name": "", "email": "geen", "postcode": "12"})
    assert bad.status_code == 400
    html = bad.content.decode()
    for field in ("name", "email", "postcode"):
        assert f'id="id_{field}_errors"' in html
    assert not Person.objects.exists()
    response = client.post(create, {"name": "Fatima Yilmaz", "is_volunteer": "on"})
    assert response.status_code == 302
    person = Person.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "Fatima Yilmaz" in detail and "volunteer" in detail
    consent = reverse("consent_add", kwargs={"organisation": org_a.slug, "pk": person.pk})
    bad = client.post(consent, {"purpose": "photos", "given": "yes", "recorded_on": "2026-01-01"})
    assert bad.status_code == 400
    assert 'id="id_wording_version_errors"' in bad.content.decode()
    ok = client.post(
        consent,
        {"purpose": "photos", "given": "no", "recorded_on": "2026-01-01", "wording_version": "v1"},
    )
    assert ok.status_code == 302
    assert Consent.objects.get().given is False


def test_list_page_filters_and_keeps_queries_low(
    client, org_a, board_a, django_assert_max_num_queries
):
    for number in range(12):
        _person(org_a, f"Vrijwilliger {number:02}", is_volunteer=True)
    _person(org_a, "Klant", is_customer=True)
    client.force_login(board_a)
    url = reverse("person_list", kwargs={"organisation": org_a.slug})
    with django_assert_max_num_queries(12):
        html = client.get(url + "?soort=customer").content.decode()
    assert "Klant" in html and "Vrijwilliger 01" not in html


def test_export_and_anonymise_pages(client, org_a, board_a):
    person = _person(org_a, "Fatima Yilmaz", email="fatima@example.nl")
    client.force_login(board_a)
    url = reverse("person_export", kwargs={"organisation": org_a.slug, "pk": person.pk})
    assert "fatima@example.nl" in client.get(url).content.decode()
    download = client.get(url + "?formaat=json")
    assert download["Content-Disposition"].endswith('.json"')
    assert json.loads(download.content)["person"] == person.pk
    assert "fatima@example.nl" in client.get(url + "?formaat=csv").content.decode()
    anonymise = reverse("person_anonymise", kwargs={"organisation": org_a.slug, "pk": person.pk})
    refused = client.post(anonymise, {})
    assert refused.status_code == 400
    assert 'href="#id_confirm"' in refused.content.decode()
    assert client.post(anonymise, {"confirm": "on"}).status_code == 302
    person.refresh_from_db()
    assert person.anonymised_at is not None
    edit = reverse("person_edit", kwargs={"organisation": org_a.slug, "pk": person.pk})
    assert client.post(edit, {"name": "Terug"}).status_code == 302
    person.refresh_from_db()
    assert person.name == ""


def test_role_rules(client, org_a):
    person = _person(org_a, "Fatima Yilmaz", email="fatima@example.nl")
    detail = reverse("person_detail", kwargs={"organisation": org_a.slug, "pk": person.pk})
    edit = reverse("person_edit", kwargs={"organisation": org_a.slug, "pk": person.pk})
    export = reverse("person_export", kwargs={"organisation": org_a.slug, "pk": person.pk})
    anonymise = reverse("person_anonymise", kwargs={"organisation": org_a.slug, "pk": person.pk})
    listing = reverse("person_list", kwargs={"organisation": org_a.slug})
    # A volunteer sees no one's personal data.
    client.force_login(make_user("vrijwilliger@alfa.example", org_a, "volunteer"))
    for url in (listing, detail, export):
        assert client.get(url).status_code == 403
    # The audit committee reads but cannot change.
    client.force_login(make_user("kascommissie@alfa.example", org_a, "audit_committee"))
    assert client.get(detail).status_code == 200
    assert "Change details" not in client.get(detail).content.decode()
    assert client.post(edit, {"name": "Anders"}).status_code == 403
    assert client.post(anonymise, {"confirm": "on"}).status_code == 403
    # A coordinator manages persons but does not export or anonymise.
    client.force_login(make_user("coordinator@alfa.example", org_a, "coordinator"))
    assert client.post(edit, {"name": "Fatima Y."}).status_code == 302
    assert client.get(export).status_code == 403
    person.refresh_from_db()
    assert (person.name, person.anonymised_at) == ("Fatima Y.", None)


def test_members_with_their_yearly_fee(client, org_a, board_a):
    client.force_login(board_a)
    create = reverse("person_create", kwargs={"organisation": org_a.slug})
    bad = client.post(create, {"name": "Geen lid", "membership_fee": "12,50"})
    assert bad.status_code == 400
    assert 'id="id_membership_fee_errors"' in bad.content.decode()
    bad = client.post(create, {"name": "Lid", "member_since": "2024-01-01", "membership_fee": "x"})
    assert 'id="id_membership_fee_errors"' in bad.content.decode()
    assert not Person.objects.exists()
    for name in ("Lid Een", "Lid Twee"):
        response = client.post(
            create, {"name": name, "member_since": "2024-01-01", "membership_fee": "12,50"}
        )
        assert response.status_code == 302
    _person(
        org_a,
        "Oud lid",
        member_since=date(2010, 1, 1),
        member_until=date(2012, 1, 1),
        membership_fee_cents=1000,
    )
    assert Person.objects.get(name="Lid Een").membership_fee_cents == 1250
    listing = client.get(
        reverse("person_list", kwargs={"organisation": org_a.slug}) + "?soort=member"
    )
    assert "€ 25,00" in listing.content.decode()
    assert "Oud lid" not in listing.content.decode()
    person = Person.objects.get(name="Lid Een")
    edit = client.get(reverse("person_edit", kwargs={"organisation": org_a.slug, "pk": person.pk}))
    assert 'value="12,50"' in edit.content.decode()
