"""Forms for the books: an entry with its lines, a fiscal year, a closed month."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wijk.activities.models import Activity
from wijk.organisations.models import Organisation
from wijk.premises.models import Building

from .models import Account, AccountType, Fund, Journal, ReportingCategory
from .money import format_cents, parse_cents


class MoneyField(forms.CharField):
    """An amount in euros as typed (Dutch or English notation), cleaned to integer cents."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return format_cents(value, symbol=False) if value else ""
        return value

    def clean(self, value: Any) -> int:
        text = super().clean(value)
        if not text:
            return 0
        cents = parse_cents(text)
        if cents < 0:
            raise ValidationError(
                _("Enter a positive amount; use the other column for the other side.")
            )
        return cents


class EntryForm(forms.Form):
    journal = forms.ModelChoiceField(label=_("Journal"), queryset=Journal.objects.none())
    # A date input takes ISO dates whatever the page's language.
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(label=_("Description"), max_length=255)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=80,
        required=False,
        help_text=_("For example an invoice number."),
    )
    counterparty = forms.CharField(
        label=_("Counterparty"),
        max_length=140,
        required=False,
        help_text=_(
            "Who paid or was paid: a funder, customer or supplier. For grants, the funder's "
            "name counts towards the share of your largest funder."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        journal = cast(forms.ModelChoiceField, self.fields["journal"])
        journal.queryset = Journal.objects.filter(organisation=organisation).order_by("code")


class LineForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), required=False
    )
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    debit = MoneyField(label=_("Debit"))
    credit = MoneyField(label=_("Credit"))
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none(), required=False)
    building = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.none(), required=False
    )
    activity = forms.ModelChoiceField(
        label=_("Activity"), queryset=Activity.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account = cast(forms.ModelChoiceField, self.fields["account"])
        account.queryset = Account.objects.filter(
            organisation=organisation, is_active=True
        ).order_by("number")
        fund = cast(forms.ModelChoiceField, self.fields["fund"])
        fund.queryset = Fund.objects.filter(organisation=organisation, is_active=True).order_by(
            "name"
        )
        building = cast(forms.ModelChoiceField, self.fields["building"])
        building.queryset = Building.objects.for_organisation(organisation).filter(is_active=True)
        activity = cast(forms.ModelChoiceField, self.fields["activity"])
        activity.queryset = Activity.objects.for_organisation(organisation).filter(is_active=True)

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not data.get("account") and not data.get("debit") and not data.get("credit")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        filled = cleaned.get("account") or cleaned.get("debit") or cleaned.get("credit")
        if filled and not cleaned.get("account"):
            self.add_error("account", _("Choose an account for this line."))
        return cleaned


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs["organisation"] = self.organisation
        return kwargs


LineFormSet = forms.formset_factory(
    LineForm, formset=BaseLineFormSet, extra=0, min_num=2, max_num=40
)


class FiscalYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year in which it starts"), min_value=1990, max_value=2200)


class ReasonForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for posting into a closed month"),
        max_length=255,
        required=False,
        help_text=_(
            "Only needed when the month is closed. The reason is kept in the activity log."
        ),
    )


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Fund.Kind.choices,
        help_text=_(
            "A restricted fund holds money a funder gave for a purpose; a designated reserve "
            "holds money the board set aside itself."
        ),
    )
    account = forms.ModelChoiceField(
        label=_("Reserves account"),
        queryset=Account.objects.none(),
        help_text=_("The account in the balance sheet where the fund's balance is kept."),
    )
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account = cast(forms.ModelChoiceField, self.fields["account"])
        account.queryset = Account.objects.filter(
            organisation=organisation,
            is_active=True,
            category__in=["restricted_funds", "designated_reserves"],
        ).order_by("number")


class AccountForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=6,
        help_text=_("3 to 6 digits. Keep it near related accounts, for example 8020 after 8010."),
    )
    name_nl = forms.CharField(label=_("Name in Dutch"), max_length=120)
    name_en = forms.CharField(
        label=_("Name in English"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to use the Dutch name."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=AccountType.choices)
    category = forms.ChoiceField(
        label=_("Reporting category"),
        choices=ReportingCategory.choices,
        help_text=_(
            "The category must fit the type: an income account gets an income category, "
            "and so on. The categories make figures comparable between enterprises."
        ),
    )
    rgs_code = forms.CharField(
        label=_("RGS code"),
        max_length=40,
        required=False,
        help_text=_("The code in the Dutch reference chart of accounts, if you know it."),
    )
