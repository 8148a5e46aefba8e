"""Forms for buildings: they parse and validate input, the services save."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wijk.ledger.models import Fund
from wijk.ledger.money import format_cents, parse_cents
from wijk.organisations.models import Organisation
from wijk.organisations.validators import clean_postcode

from .invoicing import parse_month
from .models import (
    AddOn,
    AddOnKind,
    AddOnUnit,
    Building,
    CustomerClass,
    CustomerKind,
    Frequency,
    Ownership,
    Space,
    VatRate,
)


class OptionalMoneyField(forms.CharField):
    """An amount in euros that may be left empty (None), cleaned to integer cents."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return format_cents(value, symbol=False)
        return value

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        cents = parse_cents(text)
        if cents < 0:
            raise ValidationError(_("Enter an amount of 0 or more, for example 250.000,00."))
        return cents


DEFAULT_INFLATION_BP = 250


def parse_percent_bp(text: str) -> int:
    """ "2,5" or "2.5" (percent) as basis points: 250."""
    match = re.fullmatch(r"\s*(\d{1,2})(?:[.,](\d{1,2}))?\s*%?\s*", text or "")
    if not match:
        raise ValidationError(_("Enter a percentage such as 2,5."))
    whole, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(fraction)


class BuildingForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    street = forms.CharField(label=_("Street and number"), max_length=120, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("Town or city"), max_length=80, required=False)
    ownership = forms.ChoiceField(label=_("Ownership"), choices=Ownership.choices)
    lease_end = forms.DateField(
        label=_("End of lease or management contract"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty when you own the building or the contract has no end date."),
    )
    floor_area_m2 = forms.IntegerField(label=_("Floor area (m²)"), required=False, min_value=1)
    purchase_value_cents = OptionalMoneyField(label=_("Purchase value (euro)"))
    woz_value_cents = OptionalMoneyField(
        label=_("WOZ value (euro)"),
        help_text=_("The value the municipality set for property tax."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    maintenance_fund = forms.ModelChoiceField(
        label=_("Maintenance reserve in the books"),
        queryset=Fund.objects.none(),
        required=False,
        help_text=_("The fund or reserve that saves for the maintenance of this building."),
    )
    maintenance_inflation_bp = forms.CharField(
        label=_("Yearly price rise for maintenance (%)"),
        initial="2,5",
        required=False,
        max_length=6,
        help_text=_("Maintenance costs in the plan rise by this much every year."),
    )
    maintenance_contribution_cents = OptionalMoneyField(
        label=_("Yearly addition to the maintenance reserve (euro)")
    )
    accepts_requests = forms.BooleanField(
        label=_("Accepts booking requests from the public"),
        required=False,
        help_text=_(
            "Anyone can then see the free times of the rooms and ask to book one, without "
            "an account. You confirm or decline every request."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fund = cast(forms.ModelChoiceField, self.fields["maintenance_fund"])
        fund.queryset = Fund.objects.filter(organisation=organisation, is_active=True)

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data.get("postcode", ""))

    def clean_maintenance_inflation_bp(self) -> int:
        text = self.cleaned_data.get("maintenance_inflation_bp", "")
        return parse_percent_bp(text) if text.strip() else DEFAULT_INFLATION_BP

    def clean_maintenance_contribution_cents(self) -> int:
        return self.cleaned_data.get("maintenance_contribution_cents") or 0


WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class SpaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    capacity = forms.IntegerField(label=_("Capacity (people)"), required=False, min_value=1)
    area_m2 = forms.IntegerField(label=_("Area (m²)"), required=False, min_value=1)
    facilities = forms.CharField(
        label=_("Facilities"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: kitchen, projector, piano, sound system."),
    )
    wheelchair_accessible = forms.BooleanField(label=_("Wheelchair accessible"), required=False)
    accessibility = forms.CharField(
        label=_("Accessibility"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: lift, hearing loop, accessible toilet, steps at the door."),
    )
    opens_at = forms.TimeField(
        label=_("Opens at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes_at = forms.TimeField(
        label=_("Closes at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    open_days = forms.MultipleChoiceField(
        label=_("Open on"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def clean_open_days(self) -> str:
        return "".join(sorted(self.cleaned_data.get("open_days", [])))


class TariffForm(forms.Form):
    """One row per customer class: price per hour, day-part and day, and the VAT."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in CustomerClass.choices:
            self.fields[f"{value}_hour"] = OptionalMoneyField(
                label=_("%(class)s: per hour") % {"class": label}
            )
            self.fields[f"{value}_daypart"] = OptionalMoneyField(
                label=_("%(class)s: per day-part") % {"class": label}
            )
            self.fields[f"{value}_day"] = OptionalMoneyField(
                label=_("%(class)s: per day") % {"class": label}
            )
            self.fields[f"{value}_vat"] = forms.ChoiceField(
                label=_("%(class)s: VAT") % {"class": label},
                choices=VatRate.choices,
                initial=VatRate.EXEMPT,
            )

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (
                str(label),
                [self[f"{value}_{part}"] for part in ("hour", "daypart", "day", "vat")],
            )
            for value, label in CustomerClass.choices
        ]


class AddOnForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=AddOnKind.choices)
    unit = forms.ChoiceField(label=_("Charged"), choices=AddOnUnit.choices)
    price_cents = OptionalMoneyField(label=_("Price without VAT (euro)"), required=True)
    vat_rate = forms.ChoiceField(label=_("VAT"), choices=VatRate.choices)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


Day = date  # the form below has a field called date

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def parse_dates(text: str) -> tuple[date, ...]:
    """Dates separated by commas, spaces or new lines, as 24-12-2026 or 2026-12-24."""
    dates = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        for pattern in ("%d-%m-%Y", "%Y-%m-%d"):
            try:
                dates.append(datetime.strptime(part, pattern).date())  # noqa: DTZ007 - a date
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                _("%(value)s is not a date. Write dates like 24-12-2026, separated by commas.")
                % {"value": part}
            )
    return tuple(dates)


class AddOnChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({format_cents(obj.price_cents)} {obj.get_unit_display()})"


class BookingDetailsForm(forms.Form):
    """What every booking asks: what for, who, how many, which extras."""

    title = forms.CharField(label=_("What for"), max_length=160)
    customer_kind = forms.ChoiceField(
        label=_("Booked by"),
        choices=CustomerKind.choices,
        initial=CustomerKind.ORGANISATION,
        widget=forms.RadioSelect,
    )
    customer_name = forms.CharField(label=_("Name of the organisation or person"), max_length=160)
    customer_email = forms.EmailField(label=_("E-mail address"), required=False)
    people = forms.IntegerField(label=_("Number of people"), required=False, min_value=1)
    add_ons = AddOnChoiceField(
        label=_("Extras"),
        queryset=AddOn.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(AddOnChoiceField, self.fields["add_ons"])
        field.queryset = AddOn.objects.for_organisation(organisation).filter(is_active=True)


class BookingForm(BookingDetailsForm):
    """A coordinator books a room, once or repeating."""

    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("From"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Until"), widget=TIME_WIDGET)
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        required=False,
        choices=[("", _("Only once")), *Frequency.choices],
    )
    last_date = forms.DateField(
        label=_("Last date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Only for a repeating booking."),
    )
    skip_dates = forms.CharField(
        label=_("Dates to skip"),
        required=False,
        max_length=2000,
        help_text=_("For example holidays of the group: 24-12-2026, 31-12-2026."),
    )
    skip_holidays = forms.BooleanField(
        label=_("Skip public holidays"), required=False, initial=True
    )
    customer_class = forms.ChoiceField(label=_("Customer class"), choices=CustomerClass.choices)

    field_order = [
        "date",
        "start_time",
        "end_time",
        "repeat",
        "last_date",
        "skip_dates",
        "skip_holidays",
        "title",
        "customer_kind",
        "customer_name",
        "customer_email",
        "customer_class",
        "people",
        "add_ons",
        "notes",
    ]

    def clean_skip_dates(self) -> tuple[Day, ...]:
        return parse_dates(self.cleaned_data.get("skip_dates", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        if cleaned.get("repeat"):
            last, first = cleaned.get("last_date"), cleaned.get("date")
            if not last:
                self.add_error("last_date", _("Give the last date of a repeating booking."))
            elif first and last < first:
                self.add_error("last_date", _("The last date cannot be before the first."))
        return cleaned


PUBLIC_CLASSES = [
    (value, label) for value, label in CustomerClass.choices if value != CustomerClass.INTERNAL
]


class PublicRequestForm(BookingDetailsForm):
    """Anyone may ask to book a room; a coordinator confirms or declines."""

    space = forms.ModelChoiceField(label=_("Room"), queryset=Space.objects.none(), empty_label=None)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("From"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Until"), widget=TIME_WIDGET)
    customer_class = forms.ChoiceField(
        label=_("You book as"), choices=PUBLIC_CLASSES, widget=forms.RadioSelect
    )
    # The honeypot: hidden from people, filled in by robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    field_order = [
        "space",
        "date",
        "start_time",
        "end_time",
        "title",
        "customer_kind",
        "customer_name",
        "customer_email",
        "customer_class",
        "people",
        "add_ons",
        "notes",
    ]

    def __init__(self, *args: Any, building: Building, **kwargs: Any) -> None:
        super().__init__(*args, organisation=building.organisation, **kwargs)
        space_field = cast(forms.ModelChoiceField, self.fields["space"])
        space_field.queryset = Space.objects.filter(building=building, is_active=True).order_by(
            "name"
        )
        self.fields["customer_email"].required = True
        self.fields["title"].help_text = _("For example: birthday party, choir rehearsal, meeting.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return cleaned


class ComponentForm(forms.Form):
    name = forms.CharField(
        label=_("Component"),
        max_length=120,
        help_text=_("For example: roof covering, central heating boiler, paintwork outside."),
    )
    planned_year = forms.IntegerField(label=_("Planned year"), min_value=1900, max_value=2200)
    interval_years = forms.IntegerField(
        label=_("Comes back every (years)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Leave empty for work that is done once."),
    )
    cost_cents = OptionalMoneyField(label=_("Cost (euro)"), required=True)
    price_year = forms.IntegerField(
        label=_("Price level of year"),
        min_value=1900,
        max_value=2200,
        help_text=_("The year the cost estimate was made; the plan adds the yearly price rise."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BookingInvoicingForm(forms.Form):
    """Which bookings to invoice: a month, optionally one building, and how to group them."""

    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("Bookings that start in this month, for example 2026-03."),
    )
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=_("All buildings"),
    )
    per = forms.ChoiceField(
        label=_("Invoices"),
        choices=[
            ("customer", _("One invoice per customer for the month")),
            ("booking", _("One invoice per booking")),
        ],
        initial="customer",
        widget=forms.RadioSelect,
    )
    issue_date = forms.DateField(
        label=_("Invoice date"), widget=DATE_WIDGET, help_text=_("The date on the invoices.")
    )
    email = forms.BooleanField(
        label=_("E-mail the invoices to customers with an e-mail address"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["building"])
        field.queryset = Building.objects.for_organisation(organisation)

    def clean_month(self) -> date:
        try:
            return parse_month(self.cleaned_data["month"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["month"]) from exc
