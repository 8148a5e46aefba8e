"""Forms for expense claims: parse and validate input, never save."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.ledger.forms import MoneyField
from wijk.ledger.models import Account, Fund
from wijk.organisations.models import Organisation

from . import selectors
from .receipts import ALLOWED


class ClaimForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the expense"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date on the receipt."),
    )
    description = forms.CharField(
        label=_("What did you pay for?"),
        max_length=200,
        help_text=_("For example: coffee and biscuits for the language café."),
    )
    amount = MoneyField(
        label=_("Amount in euros"), required=True, help_text=_("For example 12,50.")
    )
    account = forms.ModelChoiceField(
        label=_("Kind of cost"),
        queryset=Account.objects.none(),
        help_text=_(
            "The expense account in the books. Not sure? Choose what fits best; the treasurer checks it."
        ),
    )
    fund = forms.ModelChoiceField(
        label=_("Fund"),
        queryset=Fund.objects.none(),
        required=False,
        help_text=_("Only when the cost is paid from a grant or fund."),
    )
    iban = forms.CharField(
        label=_("IBAN to pay to"), max_length=42, help_text=_("For example NL91 ABNA 0417 1643 00.")
    )
    account_holder = forms.CharField(label=_("Name on the bank account"), max_length=120)
    receipt = forms.FileField(
        label=_("Receipt"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(sorted(ALLOWED)) + ",.pdf,.jpg,.jpeg,.png"}
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account = cast(forms.ModelChoiceField, self.fields["account"])
        account.queryset = selectors.expense_accounts(organisation=organisation)
        fund = cast(forms.ModelChoiceField, self.fields["fund"])
        fund.queryset = selectors.active_funds(organisation=organisation)
        self.fields["date"].initial = timezone.localdate()
        self.fields["receipt"].help_text = _(
            "A PDF, or a photo in JPEG or PNG format; at most %(limit)s MB."
        ) % {"limit": settings.WIJK_MAX_UPLOAD_MB}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person who asked sees this reason."),
    )


class ApproveForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for posting into a closed month"),
        max_length=255,
        required=False,
        help_text=_("Only needed when the month of the expense is closed."),
    )


class PayForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    bank_account = forms.ModelChoiceField(label=_("Paid from"), queryset=Account.objects.none())
    override_reason = forms.CharField(
        label=_("Reason for posting into a closed month"), max_length=255, required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .services import payment_accounts

        accounts = payment_accounts(organisation=organisation)
        field = cast(forms.ModelChoiceField, self.fields["bank_account"])
        field.queryset = Account.objects.filter(pk__in=[a.pk for a in accounts]).order_by("number")
        bank = next((a for a in accounts if a.rgs_code.startswith("BLimBan")), None)
        field.initial = bank.pk if bank else None
        self.fields["paid_on"].initial = timezone.localdate()


class PolicyForm(forms.Form):
    threshold = MoneyField(
        label=_("Second approval above"),
        required=True,
        help_text=_(
            "Claims above this amount need a board member's approval after the treasurer's."
        ),
    )
