"""Activities: the service's rules, the pages, who may change them, located errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_user
from wijk.activities import services
from wijk.activities.models import Activity, Category
from wijk.premises import services as premises

pytestmark = pytest.mark.django_db


def test_create_and_update_an_activity(org_a, board_a):
    centre = premises.building_create(
        organisation=org_a, data=premises.BuildingData(name="Buurthuis"), actor=None
    )
    activity = services.activity_create(
        organisation=org_a,
        data=services.ActivityData(name="Taalcafé", category=Category.EDUCATION, building=centre),
        actor=board_a,
    )
    services.activity_update(
        activity=activity,
        data=services.ActivityData(name="Taalcafé", category=Category.CULTURE, is_active=False),
        actor=board_a,
    )
    activity.refresh_from_db()
    assert (activity.category, activity.building, activity.is_active) == ("culture", None, False)


def test_bad_activity_data_is_refused_by_field(org_a, org_b):
    elsewhere = premises.building_create(
        organisation=org_b, data=premises.BuildingData(name="Elders"), actor=None
    )
    for data, field in (
        (services.ActivityData(name=""), "name"),
        (services.ActivityData(name="X", category="sport"), "category"),
        (services.ActivityData(name="X", building=elsewhere), "building"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.activity_create(organisation=org_a, data=data, actor=None)
        assert field in exc.value.message_dict
    assert not Activity.objects.exists()


def test_pages_create_edit_and_locate_errors(client, org_a, org_b, board_a):
    elsewhere = premises.building_create(
        organisation=org_b, data=premises.BuildingData(name="Elders"), actor=None
    )
    client.force_login(board_a)
    create = reverse("activity_create", kwargs={"organisation": org_a.slug})
    bad = client.post(create, {"name": "", "category": "care", "building": elsewhere.pk})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_name_errors"' in html
    assert 'id="id_building_errors"' in html  # another organisation's building is no choice
    assert not Activity.objects.exists()
    assert client.post(create, {"name": "Repair café", "category": "other"}).status_code == 302
    activity = Activity.objects.get()
    edit = reverse("activity_edit", kwargs={"organisation": org_a.slug, "pk": activity.pk})
    assert client.post(edit, {"name": "Repaircafé", "category": "other"}).status_code == 302
    activity.refresh_from_db()
    assert activity.name == "Repaircafé"
    listing = client.get(reverse("activity_list", kwargs={"organisation": org_a.slug}))
    assert "Repaircafé" in listing.content.decode()


def test_volunteers_cannot_change_activities(client, org_a):
    client.force_login(make_user("vrijwilliger@alfa.example", org_a, "volunteer"))
    create = reverse("activity_create", kwargs={"organisation": org_a.slug})
    assert client.get(create).status_code == 403
    assert client.post(create, {"name": "X", "category": "other"}).status_code == 403
    assert not Activity.objects.exists()
