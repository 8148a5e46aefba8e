"""The demo enterprise's bank: December's statement arrives through the bank import.

The books (`books.py`) hold January to November. December comes the way a treasurer
would get it: the bank's CAMT.053 statement file, written here into the data folder
and imported with `statement_import`. The treasurer's booking rules (salary, rent,
energy, cleaning, bank costs, the bar's wholesaler) book most lines on arrival; the
payments of the room-hire invoices for November's bookings are booked on their
invoices by their payment reference; other room hire and gifts are left on the
reconciliation page.

Built once: when the demo's bank account exists, nothing is added again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Sum

from wijk.banking import services as banking
from wijk.banking.importing import statement_import
from wijk.banking.models import BankAccount
from wijk.ledger.models import Account, JournalLine
from wijk.organisations.models import Organisation
from wijk.premises.models import Building

from .books import BANK, YEAR

IBAN = "NL81RABO0312345678"


@dataclass(frozen=True)
class Payment:
    day: int
    cents: int  # positive: money in
    name: str
    iban: str
    text: str
    eref: str = ""


# Counterparties the treasurer made a rule for: IBAN → (account, on the community centre?)
RULES = {
    "NL20INGB0001234567": ("4000", False),  # salary administration
    "NL86INGB0002445588": ("4010", False),  # tax office
    "NL49TRIO0390123456": ("4100", True),  # rent of the community centre
    "NL94ASNB0707123456": ("4110", True),  # energy
    "NL14BUNQ2034340752": ("4120", True),  # cleaning
    "NL91ABNA0417164300": ("7000", False),  # the bar's wholesaler
}

DECEMBER = (
    Payment(
        1, -125_000, "Gemeente Amsterdam Vastgoed", "NL49TRIO0390123456", "Huur buurthuis december"
    ),
    Payment(
        3,
        6_000,
        "Stichting Taalmaatjes",
        "NL02RABO0123456789",
        "Zaalhuur 3 december",
        "ZH-2026-118",
    ),
    Payment(
        8, -51_250, "Energie Noord-Holland", "NL94ASNB0707123456", "Voorschot energie en water"
    ),
    Payment(
        10, 17_500, "Vereniging Yoga West", "NL44RABO0187654321", "Zaalhuur december", "ZH-2026-121"
    ),
    Payment(12, -26_500, "Schoonmaak Slotermeer", "NL14BUNQ2034340752", "Schoonmaak december"),
    Payment(15, 18_500, "Giften via bank", "", "Kerstcollecte"),
    Payment(22, -24_390, "Horeca Groothandel", "NL91ABNA0417164300", "Inkoop bar"),
    Payment(24, -285_000, "Salarisadministratie", "NL20INGB0001234567", "Salaris december"),
    Payment(24, -64_000, "Belastingdienst", "NL86INGB0002445588", "Loonheffing november"),
    Payment(28, -1_400, "Rabobank", "", "Kosten betaalrekening"),
)


def _amount(cents: int) -> str:
    return f"{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _balance(code: str, cents: int, day: date) -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{_amount(cents)}</Amt>'
        f"<CdtDbtInd>{'DBIT' if cents < 0 else 'CRDT'}</CdtDbtInd>"
        f"<Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>"
    )


def _entry(payment: Payment) -> str:
    day = date(YEAR, 12, payment.day).isoformat()
    role = "Dbtr" if payment.cents > 0 else "Cdtr"
    account = (
        f"<{role}Acct><Id><IBAN>{payment.iban}</IBAN></Id></{role}Acct>" if payment.iban else ""
    )
    return (
        f'<Ntry><Amt Ccy="EUR">{_amount(payment.cents)}</Amt>'
        f"<CdtDbtInd>{'DBIT' if payment.cents < 0 else 'CRDT'}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
        "<BkTxCd><Prtry><Cd>100</Cd><Issr>RABO</Issr></Prtry></BkTxCd>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>{escape(payment.eref or 'NOTPROVIDED')}"
        "</EndToEndId></Refs>"
        f"<RltdPties><{role}><Nm>{escape(payment.name)}</Nm></{role}>{account}</RltdPties>"
        f"<RmtInf><Ustrd>{escape(payment.text)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    )


def invoice_payments(organisation: Organisation) -> tuple[Payment, ...]:
    """Customers paying their room-hire invoices of December 1 (November's bookings).

    They transfer the amount with the invoice's payment reference, so the bank import
    books each payment on its invoice. The late payers of `premises.py` do not pay.
    """
    from wijk.sales.matching import open_invoices

    from .premises import LATE_PAYERS

    due = [
        invoice
        for invoice in open_invoices(organisation=organisation)
        if invoice.issue_date == date(YEAR, 12, 1)
        and invoice.customer.name not in LATE_PAYERS
        and invoice.booking_links.exists()
    ]
    return tuple(
        Payment(
            min(9 + index, 23),
            invoice.total_cents,
            invoice.customer.name,
            "",
            f"Factuur {invoice.number} {invoice.payment_reference}",
        )
        for index, invoice in enumerate(due)
    )


def camt053_statement(*, opening_cents: int, payments: tuple[Payment, ...] = DECEMBER) -> bytes:
    """December's statement as the bank sends it: CAMT.053.001.02."""
    closing = opening_cents + sum(payment.cents for payment in payments)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        "<BkToCstmrStmt><GrpHdr><MsgId>DEMO-2026-12</MsgId>"
        "<CreDtTm>2026-12-31T18:00:00</CreDtTm></GrpHdr>"
        "<Stmt><Id>DEMO-2026-12-1</Id><CreDtTm>2026-12-31T18:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        + _balance("OPBD", opening_cents, date(YEAR, 12, 1))
        + _balance("CLBD", closing, date(YEAR, 12, 31))
        + "".join(_entry(payment) for payment in payments)
        + "</Stmt></BkToCstmrStmt></Document>"
    ).encode("utf-8")


def build_bank(organisation: Organisation) -> None:
    """Register the bank account, the rules, and import December's statement."""
    if BankAccount.objects.filter(organisation=organisation).exists():
        return
    accounts = {a.number: a for a in Account.objects.filter(organisation=organisation)}
    banking.bank_account_create(
        organisation=organisation,
        iban=IBAN,
        name="Betaalrekening",
        ledger_account=accounts[BANK],
        actor=None,
    )
    centre = Building.objects.filter(organisation=organisation).order_by("pk").first()
    for iban, (number, on_centre) in RULES.items():
        banking.booking_rule_create(
            organisation=organisation,
            counterparty_iban=iban,
            account=accounts[number],
            building=centre if on_centre else None,
            actor=None,
        )
    banking.booking_rule_create(
        organisation=organisation,
        counterparty_name="Rabobank",
        description_contains="kosten",
        account=accounts["4450"],
        actor=None,
    )
    totals = JournalLine.objects.filter(
        organisation=organisation, account=accounts[BANK], entry__posted_at__isnull=False
    ).aggregate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    opening = (totals["debit"] or 0) - (totals["credit"] or 0)
    folder = Path(settings.DATA_DIR) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "rabobank-2026-12.xml"
    payments = tuple(
        sorted(DECEMBER + invoice_payments(organisation), key=lambda payment: payment.day)
    )
    path.write_bytes(camt053_statement(opening_cents=opening, payments=payments))
    statement_import(
        organisation=organisation, data=path.read_bytes(), file_name=path.name, actor=None
    )
