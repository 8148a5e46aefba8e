"""Forms for activities: they parse and validate input, the services save."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from wijk.organisations.models import Organisation
from wijk.premises.models import Building

from .models import Category


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.none(),
        required=False,
        help_text=_("Where the activity mostly takes place."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        building = cast(forms.ModelChoiceField, self.fields["building"])
        building.queryset = Building.objects.for_organisation(organisation).order_by("name")
