"""Buildings: the service's rules, the pages, who may change them, located errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_user
from wijk.core.models import AuditEvent
from wijk.premises import services
from wijk.premises.models import Building, Ownership

pytestmark = pytest.mark.django_db


def test_create_and_update_a_building(org_a, board_a):
    building = services.building_create(
        organisation=org_a,
        data=services.BuildingData(
            name="  Buurthuis De Wilg ",
            postcode="1064 HC",
            ownership=Ownership.MANAGED_MUNICIPALITY,
            floor_area_m2=640,
            woz_value_cents=145_000_000,
        ),
        actor=board_a,
    )
    assert building.name == "Buurthuis De Wilg"
    services.building_update(
        building=building,
        data=services.BuildingData(name="De Wilg", ownership=Ownership.OWNED),
        actor=board_a,
    )
    building.refresh_from_db()
    assert (building.name, building.ownership, building.floor_area_m2) == ("De Wilg", "owned", None)
    actions = AuditEvent.objects.filter(organisation=org_a, action__startswith="building.")
    assert sorted(actions.values_list("action", flat=True)) == [
        "building.create",
        "building.update",
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "X", "floor_area_m2": 0}, "floor_area_m2"),
        ({"name": "X", "woz_value_cents": -1}, "woz_value_cents"),
        ({"name": "X", "ownership": "stolen"}, "ownership"),
    ],
)
def test_bad_building_data_is_refused_by_field(org_a, data, field):
    with pytest.raises(ValidationError) as exc:
        services.building_create(organisation=org_a, data=services.BuildingData(**data), actor=None)
    assert field in exc.value.message_dict
    assert not Building.objects.exists()


def test_names_are_unique_per_organisation_only(org_a, org_b):
    services.building_create(
        organisation=org_a, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    with pytest.raises(ValidationError):
        services.building_create(
            organisation=org_a, data=services.BuildingData(name="buurthuis"), actor=None
        )
    services.building_create(
        organisation=org_b, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    assert Building.objects.count() == 2


def test_pages_create_edit_and_locate_errors(client, org_a, board_a):
    client.force_login(board_a)
    create = reverse("building_create", kwargs={"organisation": org_a.slug})
    bad = client.post(
        create,
        {
            "name": "Buurthuis",
            "ownership": "rented",
            "postcode": "12345",
            "woz_value_cents": "veel",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_postcode_errors"' in html
    assert 'id="id_woz_value_cents_errors"' in html
    assert not Building.objects.exists()
    good = client.post(
        create,
        {
            "name": "Buurthuis",
            "ownership": "rented",
            "postcode": "1064hc",
            "woz_value_cents": "1.450.000,00",
            "floor_area_m2": "640",
            "is_active": "on",
        },
    )
    assert good.status_code == 302
    building = Building.objects.get()
    assert (building.postcode, building.woz_value_cents) == ("1064 HC", 145_000_000)
    listing = client.get(reverse("building_list", kwargs={"organisation": org_a.slug}))
    assert "€ 1.450.000,00" in listing.content.decode()
    edit = reverse("building_edit", kwargs={"organisation": org_a.slug, "pk": building.pk})
    assert "1.450.000,00" in client.get(edit).content.decode()
    assert client.post(edit, {"name": "Buurthuis Oost", "ownership": "owned"}).status_code == 302
    building.refresh_from_db()
    assert building.name == "Buurthuis Oost" and building.woz_value_cents is None


def test_volunteers_see_buildings_but_cannot_change_them(client, org_a):
    volunteer = make_user("vrijwilliger@alfa.example", org_a, "volunteer")
    coordinator = make_user("coordinator@alfa.example", org_a, "coordinator")
    client.force_login(volunteer)
    listing = client.get(reverse("building_list", kwargs={"organisation": org_a.slug}))
    assert listing.status_code == 200
    assert "Add a building" not in listing.content.decode()
    create = reverse("building_create", kwargs={"organisation": org_a.slug})
    assert client.post(create, {"name": "X", "ownership": "owned"}).status_code == 403
    client.force_login(coordinator)
    assert client.post(create, {"name": "X", "ownership": "owned"}).status_code == 302
