"""The demo enterprise's books: eleven months of plausible bank postings in 2026.

A community centre in Slotermeer: room hire, a bar, a green-maintenance contract
with the municipality, a municipal grant and a charitable fund, membership fees and
gifts on the income side; a coordinator's wages, rent, energy, cleaning, maintenance,
activities and volunteer allowances on the cost side. Amounts vary with a fixed
seed, so every run gives the same books.
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from wijk.ledger import services as ledger
from wijk.ledger.models import Account, FiscalYear, Journal, JournalEntry
from wijk.organisations.models import Organisation

YEAR = 2026
LAST_MONTH = 11
BANK = "1100"


def _post(
    drafts: list[JournalEntry],
    organisation: Organisation,
    journal: Journal,
    accounts: dict[str, Account],
    day: date,
    description: str,
    debit: str,
    credit: str,
    cents: int,
) -> None:
    entry = ledger.journal_entry_create(
        organisation=organisation,
        journal=journal,
        date=day,
        description=description,
        lines=[
            ledger.LineInput(accounts[debit], debit_cents=cents),
            ledger.LineInput(accounts[credit], credit_cents=cents),
        ],
        actor=None,
    )
    drafts.append(entry)


@transaction.atomic
def build_books(organisation: Organisation) -> None:
    """Set up the books and post the year (only when nothing is posted yet)."""
    ledger.ledger_setup(organisation=organisation, actor=None)
    if not FiscalYear.objects.filter(
        organisation=organisation, start_date=date(YEAR, 1, 1)
    ).exists():
        ledger.fiscal_year_create(organisation=organisation, year=YEAR, actor=None)
    if JournalEntry.objects.filter(organisation=organisation).exists():
        return
    accounts = {a.number: a for a in Account.objects.filter(organisation=organisation)}
    bank = Journal.objects.get(organisation=organisation, code="BNK")
    general = Journal.objects.get(organisation=organisation, code="MEM")
    rng = random.Random(2026)  # noqa: S311 - demo data, fixed seed on purpose
    drafts: list[JournalEntry] = []

    def post(day: date, text: str, debit: str, credit: str, euros: float) -> None:
        _post(drafts, organisation, bank, accounts, day, text, debit, credit, round(euros * 100))

    opening = date(YEAR, 1, 1)
    _post(
        drafts,
        organisation,
        general,
        accounts,
        opening,
        "Beginbalans: algemene reserve",
        BANK,
        "0900",
        2_150_000,
    )
    _post(
        drafts,
        organisation,
        general,
        accounts,
        opening,
        "Beginbalans: reserve onderhoud",
        BANK,
        "0910",
        800_000,
    )

    for month in range(1, LAST_MONTH + 1):

        def day(d: int, m: int = month) -> date:
            return date(YEAR, m, d)

        # Income
        for n in range(rng.randint(5, 9)):
            renter = rng.choice(
                [
                    "Buurtvereniging Slotermeer",
                    "Taalcafé",
                    "Yogagroep De Wilg",
                    "Verjaardagsfeest",
                    "Huurdersvereniging",
                    "Koor Nieuw-West",
                    "Stichting Jongerenwerk",
                    "Bewonersoverleg",
                ]
            )
            post(
                day(2 + 3 * n),
                f"Zaalhuur {renter}",
                BANK,
                "8000",
                rng.choice([35, 45, 60, 85, 120, 175, 240]),
            )
        post(day(28), "Omzet bar (koffie, thee, fris)", BANK, "8110", rng.randint(420, 880))
        post(day(15), "Giften via collectebus en bank", BANK, "8600", rng.randint(40, 320))
        if month % 3 == 0:
            post(
                day(20),
                "Gemeente Amsterdam: groenonderhoud Slotermeer (kwartaal)",
                BANK,
                "8300",
                4_875,
            )
        if month in (1, 4, 7, 10):
            post(day(10), "Gemeente Amsterdam: subsidie buurthuis (kwartaal)", BANK, "8400", 8_750)
        if month == 5:
            post(day(12), "Woningcorporatie: bijdrage leefbaarheid", BANK, "8510", 5_000)
        if month == 3:
            post(day(18), "Oranje Fonds: bijdrage taalcafé", BANK, "8500", 7_500)
        if month in (1, 2):
            post(day(25), "Contributies leden", BANK, "8700", 15 * rng.randint(28, 36))

        # Costs
        post(day(25), "Salaris coördinator", "4000", BANK, 2_850)
        post(day(25), "Loonheffing en sociale lasten", "4010", BANK, 640)
        post(day(27), "Vrijwilligersvergoedingen", "4040", BANK, rng.choice([300, 450, 450, 600]))
        post(day(1), "Huur buurthuis (beheer voor de gemeente)", "4100", BANK, 1_250)
        winter = month in (1, 2, 3, 11, 12)
        post(
            day(8),
            "Energie en water",
            "4110",
            BANK,
            rng.randint(460, 560) if winter else rng.randint(280, 360),
        )
        post(day(12), "Schoonmaak", "4120", BANK, 265)
        if rng.random() < 0.5:
            post(day(16), "Onderhoud gebouw (klein)", "4130", BANK, rng.randint(120, 900))
        post(day(14), "Activiteitenkosten", "4200", BANK, rng.randint(150, 480))
        post(day(22), "Inkoop bar", "7000", BANK, rng.randint(160, 330))
        post(day(28), "Bankkosten", "4450", BANK, 14)
        if month == 1:
            post(day(5), "Verzekering gebouw en inventaris", "4140", BANK, 980)
            post(day(6), "Accountant: jaarrekening vorig jaar", "4430", BANK, 1_450)
        if month == 6:
            post(day(9), "Groot onderhoud: schilderwerk kozijnen", "4130", BANK, 3_800)

    # In date order, as a treasurer would have posted them, in one batch.
    drafts.sort(key=lambda entry: (entry.date, entry.pk))
    ledger.journal_entries_post(entries=drafts, actor=None)
    _budget(organisation, accounts)


# The board's budget for the year, per account (euros).
BUDGET = {
    "8000": 9_000,
    "8110": 7_800,
    "8300": 19_500,
    "8400": 35_000,
    "8500": 7_500,
    "8510": 5_000,
    "8600": 2_000,
    "8700": 1_000,
    "4000": 34_200,
    "4010": 7_700,
    "4040": 5_400,
    "4100": 15_000,
    "4110": 5_200,
    "4120": 3_200,
    "4130": 6_500,
    "4140": 1_000,
    "4200": 4_000,
    "7000": 3_000,
    "4430": 1_500,
    "4450": 170,
}


def _budget(organisation: Organisation, accounts: dict[str, Account]) -> None:
    year = FiscalYear.objects.get(organisation=organisation, start_date=date(YEAR, 1, 1))
    for number, euros in BUDGET.items():
        ledger.budget_set_year(
            fiscal_year=year, account=accounts[number], annual_cents=euros * 100, actor=None
        )
