"""Tariffs per customer class and extras: the services and the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_user
from wijk.core.models import AuditEvent
from wijk.premises import services
from wijk.premises.models import AddOn, Tariff

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(org_a):
    building = services.building_create(
        organisation=org_a, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    return services.space_create(
        building=building, data=services.SpaceData(name="Grote zaal"), actor=None
    )


def test_set_change_and_remove_a_tariff(space, board_a):
    tariff = services.tariff_set(
        space=space,
        customer_class="commercial",
        hour_cents=4_500,
        daypart_cents=15_000,
        day_cents=None,
        vat_rate="21",
        actor=board_a,
    )
    assert tariff is not None and tariff.organisation == space.organisation
    services.tariff_set(
        space=space,
        customer_class="commercial",
        hour_cents=5_000,
        daypart_cents=None,
        day_cents=None,
        vat_rate="21",
        actor=board_a,
    )
    assert Tariff.objects.get().hour_cents == 5_000
    services.tariff_set(
        space=space,
        customer_class="commercial",
        hour_cents=None,
        daypart_cents=None,
        day_cents=None,
        vat_rate="21",
        actor=board_a,
    )
    assert not Tariff.objects.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="tariff.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["tariff.set", "tariff.set", "tariff.remove"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"customer_class": "vip"}, "customer_class"),
        ({"vat_rate": "19"}, "vat_rate"),
        ({"hour_cents": -1}, "hour_cents"),
    ],
)
def test_bad_tariffs_are_refused(space, changes, field):
    values = {
        "customer_class": "non_profit",
        "hour_cents": 1_000,
        "daypart_cents": None,
        "day_cents": None,
        "vat_rate": "exempt",
    }
    values.update(changes)
    with pytest.raises(ValidationError) as exc:
        services.tariff_set(space=space, actor=None, **values)
    assert field in exc.value.message_dict
    assert not Tariff.objects.exists()


def test_tariff_page_saves_every_class_or_none(client, space, board_a, org_a):
    client.force_login(board_a)
    url = reverse("space_tariffs", kwargs={"organisation": org_a.slug, "pk": space.pk})
    assert 'id="tariff-form"' in client.get(url).content.decode()
    bad = client.post(
        url, {"commercial_hour": "45,00", "commercial_vat": "21", "internal_day": "veel"}
    )
    assert bad.status_code == 400
    assert 'id="id_internal_day_errors"' in bad.content.decode()
    assert not Tariff.objects.exists()
    good = client.post(
        url,
        {
            "commercial_hour": "45,00",
            "commercial_vat": "21",
            "resident_initiative_daypart": "10,00",
            "resident_initiative_vat": "exempt",
            "non_profit_vat": "exempt",
            "internal_vat": "exempt",
        },
    )
    assert good.status_code == 302
    assert sorted(Tariff.objects.values_list("customer_class", "hour_cents", "daypart_cents")) == [
        ("commercial", 4_500, None),
        ("resident_initiative", None, 1_000),
    ]
    assert 'value="45,00"' in client.get(url).content.decode()


def test_add_ons_page_adds_and_changes_with_located_errors(client, board_a, org_a):
    client.force_login(board_a)
    url = reverse("add_on_list", kwargs={"organisation": org_a.slug})
    bad = client.post(
        url, {"name": "Koffie", "kind": "catering", "unit": "person", "vat_rate": "9"}
    )
    assert bad.status_code == 400
    assert 'id="id_price_cents_errors"' in bad.content.decode()
    assert not AddOn.objects.exists()
    good = client.post(
        url,
        {
            "name": "Koffie",
            "kind": "catering",
            "unit": "person",
            "price_cents": "1,50",
            "vat_rate": "9",
            "is_active": "on",
        },
    )
    assert good.status_code == 302
    add_on = AddOn.objects.get()
    assert (add_on.price_cents, add_on.vat_rate) == (150, "9")
    assert "€ 1,50 per person" in client.get(url).content.decode()
    edit = reverse("add_on_edit", kwargs={"organisation": org_a.slug, "pk": add_on.pk})
    clash = services.add_on_create(
        organisation=org_a,
        data=services.AddOnData(
            name="Thee", kind="catering", unit="person", price_cents=100, vat_rate="9"
        ),
        actor=None,
    )
    response = client.post(
        edit,
        {
            "name": "thee",
            "kind": "catering",
            "unit": "person",
            "price_cents": "2,00",
            "vat_rate": "9",
        },
    )
    assert response.status_code == 400
    assert "thee already exists." in response.content.decode()
    assert AddOn.objects.get(pk=add_on.pk).name == "Koffie" and clash.name == "Thee"


def test_volunteers_cannot_set_tariffs(client, space, org_a):
    volunteer = make_user("vrijwilliger@alfa.example", org_a, "volunteer")
    client.force_login(volunteer)
    url = reverse("space_tariffs", kwargs={"organisation": org_a.slug, "pk": space.pk})
    assert client.get(url).status_code == 403
