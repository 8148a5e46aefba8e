"""Forms for banking: they parse and validate input, the services save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijk.activities.models import Activity
from wijk.ledger.forms import MoneyField
from wijk.ledger.models import Account, Fund
from wijk.organisations.models import Organisation
from wijk.premises.models import Building

from .selectors import free_cash_accounts


class BankAccountForm(forms.Form):
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        help_text=_("As on your bank card or statement, for example NL91 ABNA 0417 1643 00."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        required=False,
        help_text=_("A short name, for example Current account. Leave empty to use the IBAN."),
    )
    ledger_account = forms.ModelChoiceField(
        label=_("Ledger account"),
        queryset=Account.objects.none(),
        help_text=_("The ledger account of category cash and bank that this bank account moves."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ledger_account"]
        field.queryset = free_cash_accounts(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["iban"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class StatementImportForm(forms.Form):
    file = forms.FileField(
        label=_("Statement file"),
        help_text=_(
            "CAMT.053 (XML), MT940, or the CSV export of ING, Rabobank, ABN AMRO, Triodos, "
            "ASN, KNAB or bunq. The format is recognised from the content."
        ),
    )


class PendingImportForm(forms.Form):
    """The one click that adds the account of a refused statement and imports it."""

    add_pending = forms.CharField(required=False, widget=forms.HiddenInput)


def _bookable_accounts(organisation: Organisation) -> Any:
    return (
        Account.objects.for_organisation(organisation)
        .filter(is_active=True, bank_accounts__isnull=True)
        .order_by("number")
    )


class _Dimensions(forms.Form):
    building = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.none(), required=False
    )
    activity = forms.ModelChoiceField(
        label=_("Activity"), queryset=Activity.objects.none(), required=False
    )
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none(), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        querysets = {
            "building": Building.objects.for_organisation(organisation).filter(is_active=True),
            "activity": Activity.objects.for_organisation(organisation).filter(is_active=True),
            "fund": Fund.objects.filter(organisation=organisation, is_active=True),
        }
        for name, queryset in querysets.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        if "account" in self.fields:
            self.fields["account"].queryset = _bookable_accounts(organisation)  # type: ignore[attr-defined]


class LineBookForm(_Dimensions):
    """Book a whole bank line to one account, from a row of the reconciliation page."""

    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    remember = forms.BooleanField(
        label=_("Book this counterparty like this from now on"), required=False
    )


class LineMatchForm(forms.Form):
    """Match a bank line to an open invoice or approved claim it pays, chosen from a list."""

    match = forms.ChoiceField(label=_("Pays"), choices=())

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["match"].choices = [("", _("Choose…")), *options]  # type: ignore[attr-defined]


class SplitForm(_Dimensions):
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), required=False
    )
    amount = MoneyField(label=_("Amount"))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)


SplitFormSet = forms.formset_factory(SplitForm, extra=0, min_num=4, max_num=8)


class BulkBookForm(forms.Form):
    """Book the ticked lines of the reconciliation page to one account."""

    lines = forms.TypedMultipleChoiceField(
        label=_("Bank lines"),
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Tick the bank lines to book first."),
            "invalid_choice": _("One of the ticked lines is booked already. Reload the page."),
        },
    )
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())

    def __init__(self, *args: Any, organisation: Organisation, line_ids: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = _bookable_accounts(organisation)  # type: ignore[attr-defined]
        self.fields["lines"].choices = [(pk, pk) for pk in line_ids]  # type: ignore[attr-defined]
