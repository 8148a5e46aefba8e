"""Rooms: the service's rules, the pages, who may change them, located errors."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_user
from wijk.core.models import AuditEvent
from wijk.premises import services
from wijk.premises.models import Space

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(org_a):
    return services.building_create(
        organisation=org_a, data=services.BuildingData(name="Buurthuis De Wilg"), actor=None
    )


def test_create_and_update_a_room(building, board_a):
    space = services.space_create(
        building=building,
        data=services.SpaceData(
            name=" Grote zaal ",
            capacity=80,
            area_m2=120,
            facilities="Keuken, beamer",
            wheelchair_accessible=True,
            opens_at=time(9),
            closes_at=time(22, 30),
            open_days="42031",
        ),
        actor=board_a,
    )
    assert (space.name, space.open_days, space.organisation) == (
        "Grote zaal",
        "01234",
        building.organisation,
    )
    assert space.open_minutes_per_day == 13 * 60 + 30
    services.space_update(
        space=space, data=services.SpaceData(name="Zaal 1", open_days="56"), actor=board_a
    )
    space.refresh_from_db()
    assert (space.name, space.capacity, space.open_weekdays) == ("Zaal 1", None, [5, 6])
    events = AuditEvent.objects.filter(action__startswith="space.").order_by("pk")
    assert list(events.values_list("action", flat=True)) == ["space.create", "space.update"]
    assert events[0].description == "Room Grote zaal added to Buurthuis De Wilg."


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "X", "capacity": 0}, "capacity"),
        ({"name": "X", "area_m2": -3}, "area_m2"),
        ({"name": "X", "opens_at": time(20), "closes_at": time(20)}, "closes_at"),
        ({"name": "X", "open_days": ""}, "open_days"),
        ({"name": "X", "open_days": "7"}, "open_days"),
        ({"name": "X", "open_days": "11"}, "open_days"),
    ],
)
def test_bad_room_data_is_refused_by_field(building, data, field):
    with pytest.raises(ValidationError) as exc:
        services.space_create(building=building, data=services.SpaceData(**data), actor=None)
    assert field in exc.value.message_dict
    assert not Space.objects.exists()


def test_room_names_are_unique_per_building(building, org_a):
    services.space_create(building=building, data=services.SpaceData(name="Zaal"), actor=None)
    with pytest.raises(ValidationError):
        services.space_create(building=building, data=services.SpaceData(name="zaal"), actor=None)
    other = services.building_create(
        organisation=org_a, data=services.BuildingData(name="Het Anker"), actor=None
    )
    services.space_create(building=other, data=services.SpaceData(name="Zaal"), actor=None)
    assert Space.objects.count() == 2


def test_pages_add_and_change_a_room_with_located_errors(client, building, board_a, org_a):
    client.force_login(board_a)
    create = reverse("space_create", kwargs={"organisation": org_a.slug, "pk": building.pk})
    assert 'id="space-form"' in client.get(create).content.decode()
    bad = client.post(
        create,
        {"name": "Zaal", "capacity": "veel", "opens_at": "22:00", "closes_at": "08:00"},
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_capacity_errors"' in html
    assert 'id="id_open_days_errors"' in html
    assert not Space.objects.exists()
    wrong_order = client.post(
        create, {"name": "Zaal", "opens_at": "22:00", "closes_at": "08:00", "open_days": ["0"]}
    )
    assert wrong_order.status_code == 400
    assert "The room must close after it opens." in wrong_order.content.decode()
    good = client.post(
        create,
        {
            "name": "Zaal",
            "capacity": "40",
            "opens_at": "09:00",
            "closes_at": "17:00",
            "open_days": ["0", "2"],
            "is_active": "on",
        },
    )
    detail = reverse("building_detail", kwargs={"organisation": org_a.slug, "pk": building.pk})
    assert good.status_code == 302 and good["Location"] == detail
    space = Space.objects.get()
    assert (space.capacity, space.open_days, space.opens_at) == (40, "02", time(9))
    page = client.get(detail).content.decode()
    assert "09:00–17:00, Mon Wed" in page
    edit = reverse("space_edit", kwargs={"organisation": org_a.slug, "pk": space.pk})
    assert 'value="40"' in client.get(edit).content.decode()


def test_volunteers_see_rooms_but_cannot_change_them(
    client, building, org_a, django_assert_max_num_queries
):
    services.space_create(building=building, data=services.SpaceData(name="Zaal"), actor=None)
    volunteer = make_user("vrijwilliger@alfa.example", org_a, "volunteer")
    client.force_login(volunteer)
    detail = reverse("building_detail", kwargs={"organisation": org_a.slug, "pk": building.pk})
    with django_assert_max_num_queries(12):
        page = client.get(detail)
    assert page.status_code == 200
    assert "Zaal" in page.content.decode() and "Add a room" not in page.content.decode()
    create = reverse("space_create", kwargs={"organisation": org_a.slug, "pk": building.pk})
    assert client.post(create, {"name": "X"}).status_code == 403
