"""Forms for activities: they parse and validate input, the services save."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from wijk.community.models import Person
from wijk.organisations.models import Organisation
from wijk.premises.models import Building

from .models import AgeBand, Category


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
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Who runs the activity; choose from the registry of persons."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        building = cast(forms.ModelChoiceField, self.fields["building"])
        building.queryset = Building.objects.for_organisation(organisation).order_by("name")
        responsible = cast(forms.ModelChoiceField, self.fields["responsible"])
        responsible.queryset = Person.objects.for_organisation(organisation).not_anonymised()


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The stylesheet sizes inputs by type; a time field takes the class instead.
        super().__init__({"class": "input", **(attrs or {})}, format="%H:%M")


class DateInput(forms.DateInput):
    """A native date picker; it needs the ISO format whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start"), widget=TimeInput)
    end_time = forms.TimeField(label=_("End"), required=False, widget=TimeInput)
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.none(),
        required=False,
        help_text=_("Empty: the activity's own building."),
    )
    participants_counted = forms.IntegerField(
        label=_("Participants counted"),
        min_value=0,
        max_value=100000,
        required=False,
        help_text=_("Visitors counted by hand, without names, besides those who signed in."),
    )
    volunteer_hours = forms.DecimalField(
        label=_("Volunteer hours"),
        min_value=Decimal(0),
        max_value=Decimal(10000),
        decimal_places=2,
        required=False,
        help_text=_("Hours of volunteers who do not log their own, for example 7.5."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        building = cast(forms.ModelChoiceField, self.fields["building"])
        building.queryset = Building.objects.for_organisation(organisation).order_by("name")

    def session_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        hours = data.pop("volunteer_hours") or Decimal(0)
        data["volunteer_minutes"] = int((hours * 60).to_integral_value())
        data["participants_counted"] = data["participants_counted"] or 0
        return data


class RegistrationForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = Person.objects.for_organisation(organisation).not_anonymised()


class DoorSignInForm(forms.Form):
    postcode = forms.CharField(
        label=_("Your postcode, only the 4 digits"),
        max_length=7,
        required=False,
        help_text=_("It tells us which neighbourhoods we reach."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    age_band = forms.ChoiceField(
        label=_("Your age"),
        choices=[("", _("I would rather not say")), *AgeBand.choices],
        required=False,
        widget=forms.RadioSelect,
    )
