"""Expense claims and sales invoices for the demo enterprise, through the services.

A few volunteers' claims in every state (paid, posted, waiting for the second
approval, submitted, rejected) and invoices to organisations that hire rooms under
an agreement (paid, partly paid, open, and one credited). They post small amounts on
top of the bank postings in `books.py`, each a real event of its own: materials a
volunteer bought, and room hire invoiced rather than paid at the door. Dates lie in
the demo year, before the last month the books cover.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from PIL import Image, ImageDraw

from wijk.accounts.models import User
from wijk.expenses import services as expenses
from wijk.expenses.models import ExpenseClaim
from wijk.ledger.models import Account
from wijk.organisations.models import Organisation
from wijk.sales import services as sales
from wijk.sales.models import Customer, Invoice

IBAN_DEMO = "NL91ABNA0417164300"  # the standard example IBAN; no real account


def _receipt(text: str) -> bytes:
    """A small picture of a till receipt, drawn here so the demo needs no files."""
    image = Image.new("RGB", (320, 200), "white")
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(text.split("\n")):
        draw.text((16, 16 + 22 * row), line, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def build_claims_and_invoices(organisation: Organisation) -> None:
    """Add the demo's claims and invoices once (nothing when any exist)."""
    if (
        ExpenseClaim.objects.filter(organisation=organisation).exists()
        or Invoice.objects.filter(organisation=organisation).exists()
    ):
        return
    users = {u.email: u for u in User.objects.filter(memberships__organisation=organisation)}
    volunteer = users["vrijwilliger@demo.example"]
    coordinator = users["coordinator@demo.example"]
    treasurer = users["penningmeester@demo.example"]
    board = users["bestuur@demo.example"]
    accounts = {a.number: a for a in Account.objects.filter(organisation=organisation)}
    bank = accounts["1100"]

    def claim(who: User, day: date, text: str, cents: int, account: str) -> ExpenseClaim:
        return expenses.expense_claim_submit(
            organisation=organisation,
            actor=who,
            date=day,
            description=text,
            amount_cents=cents,
            account=accounts[account],
            iban=IBAN_DEMO,
            account_holder=who.full_name,
            receipt=io.BytesIO(_receipt(f"{text}\n{day:%d-%m-%Y}\nTotaal EUR {cents / 100:.2f}")),
            receipt_name="bon.png",
        )

    paid = claim(volunteer, date(2026, 9, 14), "Potgrond en zaden moestuin", 4_685, "4210")
    expenses.expense_claim_approve(claim=paid, actor=treasurer)
    expenses.expense_claim_pay(
        claim=paid, actor=treasurer, paid_on=date(2026, 9, 18), bank_account=bank
    )
    posted = claim(coordinator, date(2026, 10, 30), "Pompoenen en kaarsen Halloween", 7_340, "4200")
    expenses.expense_claim_approve(claim=posted, actor=treasurer)
    large = claim(volunteer, date(2026, 11, 3), "Tweedehands koelkast bar", 32_500, "4300")
    expenses.expense_claim_approve(claim=large, actor=treasurer)
    claim(volunteer, date(2026, 11, 12), "Koffie en koekjes taalcafé", 1_895, "4200")
    rejected = claim(coordinator, date(2026, 11, 5), "Taxi na de vergadering", 2_450, "4070")
    expenses.expense_claim_reject(
        claim=rejected,
        actor=board,
        reason="Reiskosten vergoeden we alleen met ov of fiets. Dien het ov-bedrag in.",
    )

    sales.sales_settings_update(
        organisation=organisation,
        iban=IBAN_DEMO,
        vat_number="",
        payment_term_days=14,
        footer="Zaalhuur is vrijgesteld van btw. Bar en catering met btw.",
        actor=treasurer,
    )
    corporation = sales.customer_create(
        organisation=organisation,
        name="Woningcorporatie Eigen Haard",
        address="Postbus 1\n1000 AA Amsterdam",
        email="facturen@eigenhaard.example",
        actor=treasurer,
    )
    school = sales.customer_create(
        organisation=organisation,
        name="Basisschool De Kikker",
        address="Slotermeerlaan 10\n1064 HC Amsterdam",
        email="administratie@dekikker.example",
        actor=treasurer,
    )

    def line(text: str, quantity: str, cents: int, account: str, rate: str) -> sales.LineData:
        return sales.LineData(text, Decimal(quantity), cents, accounts[account], rate)

    def invoice(customer: Customer, day: date, *lines: sales.LineData) -> Invoice:
        draft = sales.invoice_create_draft(
            organisation=organisation, customer=customer, lines=list(lines), actor=treasurer
        )
        sent = sales.invoice_send(invoice=draft, actor=treasurer, issue_date=day)
        sales.invoice_email(invoice=sent, actor=treasurer)
        return sent

    first = invoice(
        corporation,
        date(2026, 9, 7),
        line("Zaalhuur bewonersavond 3 september", "1", 17_500, "8000", "exempt"),
        line("Koffie en thee", "40", 175, "8110", "9"),
    )
    sales.invoice_payment_register(
        invoice=first,
        actor=treasurer,
        date=date(2026, 9, 21),
        amount_cents=first.total_cents,
        bank_account=bank,
    )
    second = invoice(
        school,
        date(2026, 10, 5),
        line("Gymzaal voor de sportdag, dagdeel", "2", 9_500, "8000", "exempt"),
        line("Lunchpakketten", "28", 450, "8120", "9"),
    )
    sales.invoice_payment_register(
        invoice=second,
        actor=treasurer,
        date=date(2026, 10, 30),
        amount_cents=15_000,
        bank_account=bank,
    )
    wrong = invoice(
        corporation,
        date(2026, 10, 12),
        line("Zaalhuur huurdersoverleg", "1", 8_500, "8000", "exempt"),
    )
    sales.invoice_credit(invoice=wrong, actor=treasurer, issue_date=date(2026, 10, 14))
    invoice(
        corporation,
        date(2026, 11, 16),
        line("Zaalhuur huurdersoverleg 12 november (goede datum)", "1", 8_500, "8000", "exempt"),
        line("Borrel na afloop", "15", 350, "8100", "21"),
    )
