"""Forms for sales: customer, invoice settings, a draft invoice with lines, sending,
payments and credit notes. They parse and validate; services save."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.expenses.services import payment_accounts
from wijk.ledger.forms import MoneyField
from wijk.ledger.models import Account
from wijk.organisations.models import Organisation

from . import selectors
from .models import Customer, VatRate

_QUANTITY = re.compile(r"^-?\d{1,9}([.,]\d{1,3})?$")


class QuantityField(forms.CharField):
    """A quantity such as 2, 1,5 or 0.25 (at most three decimals)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 14)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format(value.normalize(), "f").replace(".", ",")
        return value

    def clean(self, value: Any) -> Decimal | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if not _QUANTITY.match(text):
            raise ValidationError(_("Enter a quantity such as 2 or 1,5."))
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the pattern already refuses it
            raise ValidationError(_("Enter a quantity such as 2 or 1,5.")) from exc


class CustomerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Street and number, postcode and town, each on its own line."),
    )
    email = forms.EmailField(label=_("E-mail address for invoices"))
    kvk_number = forms.CharField(label=_("KvK number"), max_length=12, required=False)
    vat_number = forms.CharField(label=_("VAT number"), max_length=20, required=False)
    # Not required: a form without the field (an older client) keeps Dutch.
    language = forms.TypedChoiceField(
        label=_("Language of invoices"),
        choices=Customer.Language.choices,
        initial=Customer.Language.DUTCH,
        required=False,
        empty_value=Customer.Language.DUTCH,
        help_text=_("The invoice and its e-mail are in this language."),
    )


class SalesSettingsForm(forms.Form):
    iban = forms.CharField(
        label=_("IBAN for payments"),
        max_length=42,
        required=False,
        help_text=_("The account customers pay to. It is printed on every invoice."),
    )
    vat_number = forms.CharField(
        label=_("VAT number of the organisation"), max_length=20, required=False
    )
    payment_term_days = forms.IntegerField(
        label=_("Payment term in days"), min_value=0, max_value=365
    )
    footer = forms.CharField(
        label=_("Text at the bottom of the invoice"), max_length=300, required=False
    )


class InvoiceForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    payment_term_days = forms.IntegerField(
        label=_("Payment term in days"), min_value=0, max_value=365
    )
    note = forms.CharField(
        label=_("Note on the invoice"),
        max_length=300,
        required=False,
        help_text=_("For example the date of the room hire."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["customer"])
        field.queryset = selectors.customer_list(organisation=organisation)


class InvoiceLineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    quantity = QuantityField(label=_("Quantity"), required=False)
    unit_price = MoneyField(label=_("Price per unit, without VAT"))
    account = forms.ModelChoiceField(
        label=_("Income account"), queryset=Account.objects.none(), required=False
    )
    vat_rate = forms.ChoiceField(
        label=_("VAT"), choices=[("", "–"), *VatRate.choices], required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["account"])
        field.queryset = selectors.income_accounts(organisation=organisation)

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            data.get(name) for name in ("description", "quantity", "unit_price", "account")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank:
            return data
        for name, message in (
            ("description", _("Describe what you charge.")),
            ("quantity", _("Enter a quantity such as 2 or 1,5.")),
            ("account", _("Choose an income account.")),
            ("vat_rate", _("Choose a VAT rate.")),
        ):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "organisation": self.organisation}

    def clean(self) -> None:
        if any(self.errors):
            return
        if all(form.is_blank for form in self.forms):
            raise ValidationError(_("Fill in at least one line."))


LineFormSet = forms.formset_factory(
    InvoiceLineForm, formset=BaseLineFormSet, extra=0, max_num=50, validate_max=True
)


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class SendForm(forms.Form):
    issue_date = _date_field(_("Invoice date"))
    override_reason = forms.CharField(
        label=_("Reason for posting into a closed month"), max_length=255, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issue_date"].initial = timezone.localdate()


class PaymentForm(forms.Form):
    date = _date_field(_("Date received"))
    amount = MoneyField(label=_("Amount received"), required=True)
    bank_account = forms.ModelChoiceField(label=_("Received on"), queryset=Account.objects.none())
    override_reason = forms.CharField(
        label=_("Reason for posting into a closed month"), max_length=255, required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = payment_accounts(organisation=organisation)
        field = cast(forms.ModelChoiceField, self.fields["bank_account"])
        field.queryset = Account.objects.filter(pk__in=[a.pk for a in accounts]).order_by("number")
        bank = next((a for a in accounts if a.rgs_code.startswith("BLimBan")), None)
        field.initial = bank.pk if bank else None
        self.fields["date"].initial = timezone.localdate()
