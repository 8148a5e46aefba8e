"""Forms for banking: they parse and validate input, the services save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijk.ledger.models import Account
from wijk.organisations.models import Organisation

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
    add_account = forms.BooleanField(
        label=_("Add the bank account of this statement when it is not registered yet"),
        required=False,
    )
