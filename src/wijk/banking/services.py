"""Every write to bank accounts, statements, lines and rules: validated, atomic, logged."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.ledger.models import Account, ReportingCategory
from wijk.organisations.models import Organisation

from .iban import normalise_iban
from .models import BankAccount

# --- bank accounts -------------------------------------------------------------------


@transaction.atomic
def bank_account_create(
    *,
    organisation: Organisation,
    iban: str,
    name: str,
    ledger_account: Account,
    actor: User | None,
) -> BankAccount:
    """Register a bank account of the organisation, linked to a cash ledger account."""
    try:
        compact = normalise_iban(iban)
    except ValidationError as exc:
        raise ValidationError({"iban": exc.error_list}) from exc
    name = name.strip() or compact
    if len(name) > 80:
        raise ValidationError({"name": [ValidationError(_("Use at most 80 characters."))]})
    if BankAccount.objects.for_organisation(organisation).filter(iban=compact).exists():
        raise ValidationError(
            {"iban": [ValidationError(_("%(iban)s is already registered.") % {"iban": compact})]}
        )
    if (
        ledger_account.organisation_id != organisation.pk
        or ledger_account.category != ReportingCategory.CASH
        or not ledger_account.is_active
    ):
        raise ValidationError(
            {
                "ledger_account": [
                    ValidationError(_("Choose a ledger account of the category cash and bank."))
                ]
            }
        )
    if BankAccount.objects.filter(ledger_account=ledger_account).exists():
        raise ValidationError(
            {
                "ledger_account": [
                    ValidationError(
                        _("Ledger account %(number)s is already linked to another bank account.")
                        % {"number": ledger_account.number}
                    )
                ]
            }
        )
    account = BankAccount.objects.create(
        organisation=organisation, iban=compact, name=name, ledger_account=ledger_account
    )
    audit_record(
        action="bank_account.create",
        actor=actor,
        organisation=organisation,
        obj=account,
        data={"iban": compact, "account": ledger_account.number},
    )
    return account
