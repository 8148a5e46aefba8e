"""Forms for the registry of persons: they parse and validate input, the services save."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.activities.models import Activity, Session
from wijk.ledger.models import Account, Fund
from wijk.ledger.money import parse_cents
from wijk.organisations.models import Organisation

from .models import Contract, Decision, Job, Partner, Person, Purpose


class DateInput(forms.DateInput):
    """A native date picker; it needs the ISO format whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PersonForm(forms.Form):
    # Checked by the service, so every error is shown at once.
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    email = forms.CharField(label=_("E-mail address"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    postcode = forms.CharField(
        label=_("Postcode (4 digits)"),
        max_length=7,
        required=False,
        help_text=_("Only the four digits, enough to know the neighbourhood."),
    )
    is_volunteer = forms.BooleanField(label=_("Volunteer"), required=False)
    is_staff_member = forms.BooleanField(label=_("Paid worker"), required=False)
    is_contact = forms.BooleanField(label=_("Contact person"), required=False)
    is_customer = forms.BooleanField(label=_("Customer"), required=False)
    member_since = forms.DateField(label=_("Member since"), required=False, widget=DateInput)
    member_until = forms.DateField(
        label=_("Member until"),
        required=False,
        widget=DateInput,
        help_text=_("Former members are anonymised two years after this date."),
    )
    membership_fee = forms.CharField(
        label=_("Yearly membership fee"),
        max_length=20,
        required=False,
        help_text=_("For example 12,50. Invoicing the fee through the books comes later."),
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=300,
        required=False,
        help_text=_("For volunteers: what they like to do, separated by commas."),
    )
    availability = forms.CharField(
        label=_("Availability"),
        max_length=200,
        required=False,
        help_text=_("For volunteers: when they can help, for example “Tuesday mornings”."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what the work needs. The person can ask to see everything."),
    )
    user = forms.ModelChoiceField(
        label=_("Login"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Link a login so a volunteer can log their own hours."),
    )

    def clean_membership_fee(self) -> int | None:
        text = self.cleaned_data["membership_fee"].strip()
        return parse_cents(text) if text else None

    def person_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["membership_fee_cents"] = data.pop("membership_fee")
        return data

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = cast(forms.ModelChoiceField, self.fields["user"])
        user.queryset = (
            User.objects.filter(memberships__organisation=organisation).distinct().order_by("email")
        )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    given = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Yes, agrees")), ("no", _("No, does not agree or withdraws"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    recorded_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    wording_version = forms.CharField(
        label=_("Wording version"),
        max_length=40,
        help_text=_("Which text the person agreed to, for example “2026-01”."),
    )


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the name and contact details are removed for good."),
        required=True,
    )


def parse_duration_minutes(text: str) -> int:
    """“2:30”, “2,5”, “2.5” or “3” hours to minutes."""
    text = text.strip().replace(" ", "")
    error = forms.ValidationError(
        _("Give the time as hours, for example 2,5 or 2:30."), code="duration"
    )
    too_long = forms.ValidationError(
        _("Give the time you worked: more than 0 and at most 24 hours."), code="duration_range"
    )
    if not text:
        raise error
    try:
        if ":" in text:
            hours_text, minutes_text = text.split(":", 1)
            hours, minutes = int(hours_text or 0), int(minutes_text)
            if not 0 <= minutes < 60:
                raise error
            if not 0 <= hours <= 24 or hours * 60 + minutes > 24 * 60:
                raise too_long
            return hours * 60 + minutes
        value = Decimal(text.replace(",", "."))
    except (ValueError, InvalidOperation) as exc:
        raise error from exc
    # Checked before multiplying, so "1e99999999" costs nothing.
    if not value.is_finite():
        raise error
    if value < 0 or value > 24:
        raise too_long
    return int((value * 60).to_integral_value())


class HoursForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    duration = forms.CharField(
        label=_("Hours"),
        max_length=10,
        help_text=_("For example 2,5 or 2:30."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    activity = forms.ModelChoiceField(
        label=_("Activity"), queryset=Activity.objects.none(), required=False
    )
    description = forms.CharField(label=_("What you did"), max_length=200, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activity = cast(forms.ModelChoiceField, self.fields["activity"])
        activity.queryset = Activity.objects.for_organisation(organisation).filter(is_active=True)

    def clean_duration(self) -> int:
        return parse_duration_minutes(self.cleaned_data["duration"])


class AllowanceForm(forms.Form):
    date = forms.DateField(label=_("Date paid"), widget=DateInput, initial=timezone.localdate)
    amount = forms.CharField(label=_("Amount"), max_length=20, help_text=_("For example 50,00."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    over_maximum_confirmed = forms.BooleanField(
        label=_("Record it even though it passes the tax-free maximum"), required=False
    )

    def clean_amount(self) -> int:
        return parse_cents(self.cleaned_data["amount"])


class DecisionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    body = forms.ChoiceField(label=_("Decided by"), choices=Decision.Body.choices)
    text = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices)
    votes = forms.CharField(
        label=_("Votes"),
        max_length=100,
        required=False,
        help_text=_("For example “12 for, 2 against, 1 abstained”."),
    )


class JobForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind of job"), choices=Job.Kind.choices)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), max_digits=4, decimal_places=1, localize=True
    )
    funding_source = forms.CharField(
        label=_("Funding source"),
        max_length=120,
        required=False,
        help_text=_("For example the municipality's participation budget, or own income."),
    )
    from_neighbourhood = forms.BooleanField(
        label=_("Filled by someone from the neighbourhood"), required=False
    )
    person = forms.ModelChoiceField(
        label=_("Filled by"), queryset=Person.objects.none(), required=False
    )
    start_date = forms.DateField(label=_("Start"), widget=DateInput)
    end_date = forms.DateField(label=_("End"), widget=DateInput, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = Person.objects.for_organisation(organisation).not_anonymised()


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind of partner"), choices=Partner.Kind.choices)
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("From the registry of persons."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contact = cast(forms.ModelChoiceField, self.fields["contact"])
        contact.queryset = Person.objects.for_organisation(organisation).not_anonymised()


class ContractForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    kind = forms.ChoiceField(label=_("Kind of contract"), choices=Contract.Kind.choices)
    value = forms.CharField(
        label=_("Value"), max_length=20, required=False, help_text=_("For example 24.000,00.")
    )
    start_date = forms.DateField(label=_("Start"), widget=DateInput)
    end_date = forms.DateField(
        label=_("End"),
        widget=DateInput,
        required=False,
        help_text=_("The end date becomes a deadline on the overview."),
    )
    deliverables = forms.CharField(
        label=_("Deliverables and conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_value(self) -> int | None:
        text = self.cleaned_data["value"].strip()
        return parse_cents(text) if text else None


class DeadlineForm(forms.Form):
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)
    description = forms.CharField(
        label=_("What is due"),
        max_length=200,
        required=False,
        help_text=_("For example “Half-year report to the municipality”."),
    )


class MembershipFeeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    issue_date = forms.DateField(
        label=_("Invoice date"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty for today."),
    )
    email = forms.BooleanField(
        label=_("E-mail the invoices to members with an e-mail address"), required=False
    )


class _ShareForm(forms.Form):
    """The fields every change to the share register has; subclasses add the parties."""

    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    count = forms.IntegerField(label=_("Number of shares"), min_value=1, max_value=1_000_000)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    person_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        persons = Person.objects.for_organisation(organisation).not_anonymised()
        for name in self.person_fields:
            cast(forms.ModelChoiceField, self.fields[name]).queryset = persons
        if "bank_account" in self.fields:
            from wijk.expenses.services import payment_accounts

            accounts = payment_accounts(organisation=organisation)
            field = cast(forms.ModelChoiceField, self.fields["bank_account"])
            field.queryset = Account.objects.filter(pk__in=[a.pk for a in accounts])


def _person_field(label: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, queryset=Person.objects.none())


def _bank_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Bank or cash account"),
        queryset=Account.objects.none(),
        help_text=_("Where the money came in or went out."),
    )


class ShareIssueForm(_ShareForm):
    person = _person_field(_("Member"))
    nominal_value = forms.CharField(
        label=_("Nominal value per share"), max_length=20, help_text=_("For example 50,00.")
    )
    bank_account = _bank_field()
    field_order = ["person", "count", "nominal_value", "date", "bank_account", "note"]
    person_fields = ("person",)

    def clean_nominal_value(self) -> int:
        return parse_cents(self.cleaned_data["nominal_value"])


class ShareTransferForm(_ShareForm):
    from_person = _person_field(_("From member"))
    to_person = _person_field(_("To member"))
    field_order = ["from_person", "to_person", "count", "date", "note"]
    person_fields = ("from_person", "to_person")


class ShareRedeemForm(_ShareForm):
    person = _person_field(_("Member"))
    bank_account = _bank_field()
    field_order = ["person", "count", "date", "bank_account", "note"]
    person_fields = ("person",)


class ShareCorrectForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("Why"), max_length=200, required=False)


class ShiftForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_("Optional: the session the shift belongs to."),
    )
    task = forms.CharField(
        label=_("Task"),
        max_length=120,
        required=False,
        help_text=_("For example “Serving coffee” or “Setting up the hall”."),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    volunteers_needed = forms.IntegerField(
        label=_("Volunteers needed"), min_value=1, max_value=50, initial=2
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activity = cast(forms.ModelChoiceField, self.fields["activity"])
        activity.queryset = Activity.objects.for_organisation(organisation).filter(is_active=True)
        session = cast(forms.ModelChoiceField, self.fields["session"])
        session.queryset = (
            Session.objects.for_organisation(organisation)
            .filter(date__gte=timezone.localdate())
            .select_related("activity")
            .order_by("date", "start_time")
        )


class ContractBooksForm(forms.Form):
    income_account = forms.ModelChoiceField(
        label=_("Income account"),
        queryset=Account.objects.none(),
        required=False,
        help_text=_("The account the money of this contract is booked on."),
    )
    fund = forms.ModelChoiceField(
        label=_("Fund"),
        queryset=Fund.objects.none(),
        required=False,
        help_text=_("For a grant kept as a restricted fund; leave empty otherwise."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account = cast(forms.ModelChoiceField, self.fields["income_account"])
        account.queryset = Account.objects.filter(
            organisation=organisation, type="income", is_active=True
        ).order_by("number")
        fund = cast(forms.ModelChoiceField, self.fields["fund"])
        fund.queryset = Fund.objects.filter(organisation=organisation, is_active=True).order_by(
            "name"
        )
