"""A customer and a draft invoice for the sales tests (and the URL sweep)."""

from __future__ import annotations

from decimal import Decimal

from wijk.ledger.models import Account
from wijk.organisations.models import Organisation
from wijk.sales import services
from wijk.sales.models import Customer, Invoice

IBAN = "NL91ABNA0417164300"


def customer(organisation: Organisation, name: str = "Huurdersvereniging De Wilg") -> Customer:
    return Customer.objects.filter(
        organisation=organisation, name=name
    ).first() or services.customer_create(
        organisation=organisation,
        name=name,
        address="Wilgenlaan 1\n1234 AB Buurtstad",
        email="penningmeester@huurders.example",
        actor=None,
    )


def settings_with_iban(organisation: Organisation) -> None:
    from wijk.sales.models import SalesSettings

    SalesSettings.objects.update_or_create(
        organisation=organisation, defaults={"iban": IBAN, "payment_term_days": 14}
    )


def line(
    organisation: Organisation,
    *,
    description: str = "Zaalhuur grote zaal",
    quantity: str = "1",
    unit_price_cents: int = 10000,
    account: str = "8010",
    vat_rate: str = "21",
) -> services.LineData:
    return services.LineData(
        description=description,
        quantity=Decimal(quantity),
        unit_price_cents=unit_price_cents,
        account=Account.objects.get(organisation=organisation, number=account),
        vat_rate=vat_rate,
    )


def draft_invoice(organisation: Organisation, *lines: services.LineData) -> Invoice:
    settings_with_iban(organisation)
    return services.invoice_create_draft(
        organisation=organisation,
        customer=customer(organisation),
        lines=list(lines) or [line(organisation)],
        actor=None,
    )
