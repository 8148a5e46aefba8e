"""The demo enterprise's books: eleven months of plausible bank postings in 2026.

A community centre in Slotermeer: room hire, a bar, a green-maintenance contract
with the municipality, a municipal grant and a charitable fund, membership fees and
gifts on the income side; a coordinator's wages, rent, energy, cleaning, maintenance,
activities and volunteer allowances on the cost side. Amounts vary with a fixed
seed, so every run gives the same books.

Lines carry dimensions as a treasurer would book them: the community centre and the
green depot as buildings; room hire, the bar, the language café and green
maintenance as activities; the charitable fund's grant and the maintenance reserve
as funds. Grants and contracts name their counterparty (the funder).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction

from wijk.activities import services as activities
from wijk.activities.models import Activity, Category
from wijk.ledger import services as ledger
from wijk.ledger.models import Account, FiscalYear, Fund, Journal, JournalEntry
from wijk.organisations.models import Organisation
from wijk.premises import services as premises
from wijk.premises.models import Building, Ownership

YEAR = 2026
LAST_MONTH = 11
BANK = "1100"


@dataclass(frozen=True)
class Tags:
    """Dimensions for a demo line."""

    fund: Fund | None = None
    building: Building | None = None
    activity: Activity | None = None


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
    *,
    tags: Tags | None = None,
    counterparty: str = "",
) -> None:
    """A two-line entry; `tags` (fund, building, activity) go on the line that is not the bank."""
    tags = tags or Tags()
    debit_tags = tags if debit != BANK else Tags()
    credit_tags = tags if credit != BANK else Tags()
    entry = ledger.journal_entry_create(
        organisation=organisation,
        journal=journal,
        date=day,
        description=description,
        lines=[
            ledger.LineInput(
                accounts[debit],
                debit_cents=cents,
                fund=debit_tags.fund,
                building=debit_tags.building,
                activity=debit_tags.activity,
            ),
            ledger.LineInput(
                accounts[credit],
                credit_cents=cents,
                fund=credit_tags.fund,
                building=credit_tags.building,
                activity=credit_tags.activity,
            ),
        ],
        actor=None,
        counterparty=counterparty,
    )
    drafts.append(entry)


def _dimensions(
    organisation: Organisation, accounts: dict[str, Account]
) -> tuple[dict[str, Building], dict[str, Activity], dict[str, Fund]]:
    """The demo's buildings, activities and funds (created once, found again after)."""
    buildings = {b.name: b for b in Building.objects.filter(organisation=organisation)}
    for name, data in {
        "Buurthuis De Wilg": premises.BuildingData(
            name="Buurthuis De Wilg",
            street="Slotermeerlaan 120",
            postcode="1064 HC",
            city="Amsterdam",
            ownership=Ownership.MANAGED_MUNICIPALITY,
            lease_end=date(2030, 12, 31),
            floor_area_m2=640,
            woz_value_cents=1_450_000_00,
        ),
        "Groendepot Sloterpark": premises.BuildingData(
            name="Groendepot Sloterpark",
            street="Sloterweg 2",
            postcode="1064 HD",
            city="Amsterdam",
            ownership=Ownership.RENTED,
            floor_area_m2=85,
        ),
    }.items():
        if name not in buildings:
            buildings[name] = premises.building_create(
                organisation=organisation, data=data, actor=None
            )
    centre = buildings["Buurthuis De Wilg"]
    found = {a.name: a for a in Activity.objects.filter(organisation=organisation)}
    for name, category, building, text in (
        ("Zaalverhuur", Category.HOSPITALITY, centre, "Zalen verhuren aan bewoners en clubs."),
        ("Buurtbar", Category.HOSPITALITY, centre, "Koffie, thee en fris voor bezoekers."),
        ("Taalcafé", Category.EDUCATION, centre, "Elke week Nederlands oefenen met buren."),
        (
            "Groenonderhoud Slotermeer",
            Category.PUBLIC_SPACE,
            buildings["Groendepot Sloterpark"],
            "Plantsoenen onderhouden in opdracht van de gemeente.",
        ),
    ):
        if name not in found:
            found[name] = activities.activity_create(
                organisation=organisation,
                data=activities.ActivityData(
                    name=name, category=category, description=text, building=building
                ),
                actor=None,
            )
    funds = {f.name: f for f in Fund.objects.filter(organisation=organisation)}
    for name, kind, number, purpose in (
        (
            "Oranje Fonds: taalcafé",
            Fund.Kind.RESTRICTED_FUND,
            "0950",
            "Bijdrage van het Oranje Fonds, alleen voor het taalcafé.",
        ),
        (
            "Reserve groot onderhoud",
            Fund.Kind.DESIGNATED_RESERVE,
            "0910",
            "Door het bestuur opzijgezet voor schilderwerk en installaties.",
        ),
    ):
        if name not in funds:
            funds[name] = ledger.fund_create(
                organisation=organisation,
                name=name,
                kind=kind,
                account=accounts[number],
                purpose=purpose,
                actor=None,
            )
    return buildings, found, funds


@transaction.atomic
def build_books(organisation: Organisation) -> None:
    """Set up the books and post the year (only when nothing is posted yet)."""
    ledger.ledger_setup(organisation=organisation, actor=None)
    if not FiscalYear.objects.filter(
        organisation=organisation, start_date=date(YEAR, 1, 1)
    ).exists():
        ledger.fiscal_year_create(organisation=organisation, year=YEAR, actor=None)
    accounts = {a.number: a for a in Account.objects.filter(organisation=organisation)}
    # The buildings, activities and funds come first, also for books posted by an
    # earlier version of the demo, so the parts built on them find them.
    buildings, acts, funds = _dimensions(organisation, accounts)
    if JournalEntry.objects.filter(organisation=organisation).exists():
        return
    bank = Journal.objects.get(organisation=organisation, code="BNK")
    general = Journal.objects.get(organisation=organisation, code="MEM")
    rng = random.Random(2026)  # noqa: S311 - demo data, fixed seed on purpose
    drafts: list[JournalEntry] = []
    centre = Tags(building=buildings["Buurthuis De Wilg"])
    depot = Tags(building=buildings["Groendepot Sloterpark"])
    green = replace(depot, activity=acts["Groenonderhoud Slotermeer"])
    hire = replace(centre, activity=acts["Zaalverhuur"])
    bar = replace(centre, activity=acts["Buurtbar"])
    language = replace(centre, activity=acts["Taalcafé"], fund=funds["Oranje Fonds: taalcafé"])
    maintenance_fund = replace(centre, fund=funds["Reserve groot onderhoud"])

    def post(
        day: date,
        text: str,
        debit: str,
        credit: str,
        euros: float,
        tags: Tags | None = None,
        counterparty: str = "",
    ) -> None:
        _post(
            drafts,
            organisation,
            bank,
            accounts,
            day,
            text,
            debit,
            credit,
            round(euros * 100),
            tags=tags,
            counterparty=counterparty,
        )

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
        tags=Tags(fund=funds["Reserve groot onderhoud"]),
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
                hire,
                counterparty=renter,
            )
        post(day(28), "Omzet bar (koffie, thee, fris)", BANK, "8110", rng.randint(420, 880), bar)
        post(day(15), "Giften via collectebus en bank", BANK, "8600", rng.randint(40, 320))
        if month % 3 == 0:
            post(
                day(20),
                "Gemeente Amsterdam: groenonderhoud Slotermeer (kwartaal)",
                BANK,
                "8300",
                4_875,
                green,
                counterparty="Gemeente Amsterdam",
            )
        if month in (1, 4, 7, 10):
            post(
                day(10),
                "Gemeente Amsterdam: subsidie buurthuis (kwartaal)",
                BANK,
                "8400",
                8_750,
                centre,
                counterparty="Gemeente Amsterdam",
            )
        if month == 5:
            post(
                day(12),
                "Woningcorporatie: bijdrage leefbaarheid",
                BANK,
                "8510",
                5_000,
                counterparty="Woningcorporatie Stadgenoot",
            )
        if month == 3:
            post(
                day(18),
                "Oranje Fonds: bijdrage taalcafé",
                BANK,
                "8500",
                7_500,
                language,
                counterparty="Oranje Fonds",
            )
        if month >= 3:
            post(
                day(19),
                "Taalcafé: lesmateriaal en koffie",
                "4200",
                BANK,
                rng.randint(180, 320),
                language,
            )
        if month in (1, 2):
            post(day(25), "Contributies leden", BANK, "8700", 15 * rng.randint(28, 36))

        # Costs
        post(day(25), "Salaris coördinator", "4000", BANK, 2_850)
        post(day(25), "Loonheffing en sociale lasten", "4010", BANK, 640)
        post(day(27), "Vrijwilligersvergoedingen", "4040", BANK, rng.choice([300, 450, 450, 600]))
        post(day(1), "Huur buurthuis (beheer voor de gemeente)", "4100", BANK, 1_250, centre)
        winter = month in (1, 2, 3, 11, 12)
        post(
            day(8),
            "Energie en water",
            "4110",
            BANK,
            rng.randint(460, 560) if winter else rng.randint(280, 360),
            centre,
        )
        post(day(12), "Schoonmaak", "4120", BANK, 265, centre)
        if rng.random() < 0.5:
            post(day(16), "Onderhoud gebouw (klein)", "4130", BANK, rng.randint(120, 900), centre)
        post(day(14), "Activiteitenkosten", "4200", BANK, rng.randint(150, 480))
        post(day(22), "Inkoop bar", "7000", BANK, rng.randint(160, 330), bar)
        post(day(3), "Huur groendepot", "4100", BANK, 210, depot)
        if month in (3, 6, 9):
            post(day(21), "Groenonderhoud: gereedschap en plantgoed", "4240", BANK, 390, green)
        post(day(28), "Bankkosten", "4450", BANK, 14)
        if month == 1:
            post(day(5), "Verzekering gebouw en inventaris", "4140", BANK, 980)
            post(day(6), "Accountant: jaarrekening vorig jaar", "4430", BANK, 1_450)
        if month == 6:
            post(
                day(9),
                "Groot onderhoud: schilderwerk kozijnen",
                "4130",
                BANK,
                3_800,
                maintenance_fund,
                counterparty="Schildersbedrijf Van Dijk",
            )

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
    "4100": 17_500,
    "4110": 5_200,
    "4120": 3_200,
    "4130": 6_500,
    "4140": 1_000,
    "4200": 6_500,
    "4240": 1_200,
    "7000": 3_000,
    "4430": 1_500,
    "4450": 170,
}


# The community centre's own budget, and the green-maintenance contract's (euros).
CENTRE_BUDGET = {
    "8000": 9_000,
    "8110": 7_800,
    "8400": 35_000,
    "4100": 15_000,
    "4110": 5_200,
    "4120": 3_200,
    "4130": 6_500,
    "4140": 1_000,
    "7000": 3_000,
}
GREEN_BUDGET = {"8300": 19_500, "4240": 1_200}


def _budget(organisation: Organisation, accounts: dict[str, Account]) -> None:
    year = FiscalYear.objects.get(organisation=organisation, start_date=date(YEAR, 1, 1))
    for number, euros in BUDGET.items():
        ledger.budget_set_year(
            fiscal_year=year, account=accounts[number], annual_cents=euros * 100, actor=None
        )
    centre = Building.objects.get(organisation=organisation, name="Buurthuis De Wilg")
    green = Activity.objects.get(organisation=organisation, name="Groenonderhoud Slotermeer")
    for budget, dimension in (
        (CENTRE_BUDGET, {"building": centre}),
        (GREEN_BUDGET, {"activity": green}),
    ):
        for number, euros in budget.items():
            ledger.budget_set_year(
                fiscal_year=year,
                account=accounts[number],
                annual_cents=euros * 100,
                actor=None,
                **dimension,
            )
