"""The demo enterprise's people, sessions, volunteer hours, allowances and decisions.

Deterministic (every figure follows from the week number, no randomness) and built
through the services. Dates count back from today, so the demo always shows the last
twelve months and a session today that visitors can sign in to. Running it again adds
nothing: it stops when the registry of persons already has people.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from wijk.accounts.models import User
from wijk.activities import services as activities
from wijk.activities.models import Activity, Category
from wijk.community import contract_money, fees, services, shares, shifts
from wijk.community.models import Contract, MembershipFeeInvoice, Person, ShareMovement, Shift
from wijk.ledger.models import Account
from wijk.organisations.models import Organisation
from wijk.premises.models import Building
from wijk.sales import services as sales

# The demo's books are of this year; money is only added to them in this year.
DEMO_YEAR = 2026

# name, e-mail, postcode, flags, member since (years ago) or None, skills, availability
PERSONS: tuple[tuple[str, str, str, str, int | None, str, str], ...] = (
    ("Fatima El Amrani", "bestuur@demo.example", "1064", "", 6, "", ""),
    ("Henk de Vries", "penningmeester@demo.example", "1064", "", 8, "", ""),
    ("Sanne Bakker", "coordinator@demo.example", "1063", "staff", None, "", ""),
    (
        "Joost Visser",
        "vrijwilliger@demo.example",
        "1064",
        "volunteer",
        3,
        "tuinieren, klussen",
        "dinsdag en donderdag",
    ),
    ("Ayse Yilmaz", "lid@demo.example", "1064", "volunteer", 2, "koken, Turks", "woensdagmiddag"),
    ("Wim Jansen", "kascommissie@demo.example", "1065", "", 10, "", ""),
    (
        "Mohamed Bouali",
        "",
        "1064",
        "volunteer",
        4,
        "Arabisch, Nederlands les geven",
        "maandagavond",
    ),
    ("Els van Dijk", "", "1063", "volunteer", None, "koken, bakken", "vrijdag"),
    ("Priya Ramdin", "", "1064", "volunteer", 1, "huiswerk, rekenen", "dinsdagmiddag"),
    ("Kees Mulder", "", "1064", "volunteer", 5, "fietsen repareren, elektra", "zaterdag"),
    ("Lotte de Graaf", "", "1065", "volunteer", None, "muziek, zingen", "zondagmiddag"),
    ("Rachid Amrani", "", "1064", "staff", None, "", ""),
    ("Marieke Smit", "", "1064", "", 7, "", ""),
    ("Bram Hoekstra", "", "1063", "", 2, "", ""),
    ("Noor Pinas", "", "1064", "", 1, "", ""),
    ("Gerrit Kok", "", "1065", "", 12, "", ""),
    ("Dewi Santoso", "", "1064", "customer", None, "", ""),
    ("Peter Wouters", "p.wouters@gemeente.example", "", "contact", None, "", ""),
    ("Hanna Bos", "h.bos@woonstichting.example", "", "contact", None, "", ""),
)
# Left as a member three years ago: `wijk apply-retention` anonymises her.
FORMER_MEMBER = ("Truus Veenstra", "1064", 9, 3)

# name, category, weekday (0 = Monday), start, weeks between sessions, usual visitors
NEW_ACTIVITIES: tuple[tuple[str, str, int, time, int, int], ...] = (
    ("Repaircafé", Category.OTHER, 5, time(10), 4, 18),
    ("Moestuin De Wilg", Category.PUBLIC_SPACE, 2, time(14), 1, 9),
    ("Koken voor buren", Category.FOOD, 4, time(17, 30), 1, 26),
    ("Huiswerkbegeleiding", Category.YOUTH, 1, time(15, 30), 1, 12),
    ("Ouderensoos", Category.ELDERLY, 3, time(14), 1, 21),
    ("Energiecoach aan huis", Category.ENERGY, 0, time(19), 2, 6),
    ("Muziekmiddag", Category.CULTURE, 6, time(15), 4, 35),
    ("Jongerenavond", Category.YOUTH, 4, time(19, 30), 2, 15),
    ("Buurtzorgspreekuur", Category.CARE, 1, time(10), 2, 8),
)
EXISTING_SCHEDULE = {"Taalcafé": (0, time(19), 1, 14), "Buurtbar": (2, time(10), 1, 30)}
DECISIONS = (
    (
        400,
        "general_meeting",
        "De jaarrekening en het jaarverslag 2025 zijn vastgesteld.",
        "adopted",
        "23 voor, 0 tegen",
    ),
    (200, "board", "Het taalcafé gaat vanaf september ook op donderdagavond open.", "adopted", ""),
    (
        120,
        "board",
        "Een tweede koelkast voor de buurtbar wordt uitgesteld tot na de zomer.",
        "postponed",
        "",
    ),
    (
        30,
        "general_meeting",
        "De contributie blijft € 12,50 per jaar.",
        "adopted",
        "18 voor, 2 tegen, 1 onthouding",
    ),
)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def build_community(organisation: Organisation) -> None:
    if not Person.objects.filter(organisation=organisation).exists():
        _registry(organisation)
    # Each of these checks for itself, so they also complete a demo an earlier version made.
    today = timezone.localdate()
    _membership_fees(organisation, today)
    _shifts(organisation, today)
    _contract_books(organisation)
    _cooperative_shares(today)


def _registry(organisation: Organisation) -> None:
    today = timezone.localdate()
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.example")}
    persons: dict[str, Person] = {}
    for index, (name, email, postcode, flag, member_years, skills, availability) in enumerate(
        PERSONS
    ):
        user = users.get(email) if flag in {"volunteer", "staff"} else None
        persons[name] = services.person_create(
            organisation=organisation,
            data=services.PersonData(
                name=name,
                email=email,
                postcode=postcode,
                is_volunteer=flag == "volunteer",
                is_staff_member=flag == "staff",
                is_contact=flag == "contact",
                is_customer=flag == "customer",
                member_since=date(today.year - member_years, 1 + index % 12, 1)
                if member_years is not None
                else None,
                membership_fee_cents=1250 if member_years is not None else None,
                skills=skills,
                availability=availability,
                user=user,
            ),
            actor=None,
        )
        if member_years is not None or flag == "volunteer":
            services.consent_record(
                person=persons[name],
                purpose="newsletter",
                given=index % 3 != 0,
                recorded_on=today - timedelta(days=300 - index),
                wording_version="2025-12",
                actor=None,
            )
            if index % 4 == 0:
                services.consent_record(
                    person=persons[name],
                    purpose="photos",
                    given=True,
                    recorded_on=today - timedelta(days=250),
                    wording_version="2025-12",
                    actor=None,
                )
    name, postcode, member_years, left_years = FORMER_MEMBER
    services.person_create(
        organisation=organisation,
        data=services.PersonData(
            name=name,
            postcode=postcode,
            member_since=date(today.year - member_years, 3, 1),
            member_until=date(today.year - left_years, 12, 31),
        ),
        actor=None,
    )
    _activities_and_sessions(organisation, persons, today)
    _allowances(persons, today)
    _partners_and_jobs(organisation, persons, today)
    for days_ago, body, text, outcome, votes in DECISIONS:
        services.decision_record(
            organisation=organisation,
            date=today - timedelta(days=days_ago),
            body=body,
            text=text,
            outcome=outcome,
            votes=votes,
            actor=None,
        )


def _activities_and_sessions(
    organisation: Organisation, persons: dict[str, Person], today: date
) -> None:
    centre = Building.objects.filter(organisation=organisation, name="Buurthuis De Wilg").first()
    found = {a.name: a for a in Activity.objects.filter(organisation=organisation)}
    schedule = {name: values for name, values in EXISTING_SCHEDULE.items() if name in found}
    responsible = persons["Sanne Bakker"]
    for name, category, weekday, start, every, visitors in NEW_ACTIVITIES:
        if name not in found:
            found[name] = activities.activity_create(
                organisation=organisation,
                data=activities.ActivityData(
                    name=name, category=category, building=centre, responsible=responsible
                ),
                actor=None,
            )
        schedule[name] = (weekday, start, every, visitors)
    volunteers = [p for p in persons.values() if p.is_volunteer]
    for number, (name, (weekday, start, every, visitors)) in enumerate(sorted(schedule.items())):
        activity = found[name]
        first = _weekday_on_or_before(today, weekday)
        for week in range(0, 52, every):
            day = first - timedelta(weeks=week)
            # Quieter in the summer weeks, a little busier in winter; no randomness.
            season = -3 if day.month in (7, 8) else (2 if day.month in (1, 2, 12) else 0)
            counted = max(visitors + season + (week * 7 + number * 3) % 5 - 2, 1)
            activities.session_create(
                activity=activity,
                data=activities.SessionData(
                    date=day,
                    start_time=start,
                    end_time=time(min(start.hour + 2, 23), start.minute),
                    participants_counted=0 if day == today else counted,
                    volunteer_minutes=60 * (1 + (week + number) % 3),
                ),
                actor=None,
            )
            volunteer = volunteers[(week + number) % len(volunteers)]
            services.hours_log(
                person=volunteer,
                date=day,
                minutes=90 + 30 * ((week + number) % 4),
                activity=activity,
                actor=None,
            )


def _allowances(persons: dict[str, Person], today: date) -> None:
    """Monthly allowances this year; Mohamed gets close to the yearly maximum."""
    for name, monthly in (
        ("Mohamed Bouali", 17500),
        ("Joost Visser", 5000),
        ("Els van Dijk", 2500),
    ):
        for month in range(1, today.month + 1):
            paid = date(today.year, month, min(25, today.day if month == today.month else 25))
            if paid > today:
                continue
            services.allowance_record(
                person=persons[name],
                date=paid,
                amount_cents=monthly,
                note="Vrijwilligersvergoeding",
                actor=None,
            )


def _partners_and_jobs(organisation: Organisation, persons: dict[str, Person], today: date) -> None:
    year = today.year
    municipality = services.partner_create(
        organisation=organisation,
        name="Gemeente Amsterdam, stadsdeel Nieuw-West",
        kind="municipality",
        contact=persons["Peter Wouters"],
        actor=None,
    )
    housing = services.partner_create(
        organisation=organisation,
        name="Woonstichting De Key",
        kind="housing",
        contact=persons["Hanna Bos"],
        actor=None,
    )
    fund = services.partner_create(
        organisation=organisation, name="Oranje Fonds", kind="fund", actor=None
    )
    services.partner_create(
        organisation=organisation, name="Basisschool De Horizon", kind="school", actor=None
    )
    green = services.contract_create(
        partner=municipality,
        data=services.ContractData(
            title="Groenonderhoud Slotermeer (uitdaagrecht)",
            kind="right_to_challenge",
            start_date=date(year - 1, 4, 1),
            end_date=today + timedelta(days=21),
            value_cents=48_000_00,
            deliverables="Plantsoenen en boomspiegels in Slotermeer-Noordoost onderhouden; "
            "twee banen voor buurtbewoners; elk half jaar een verslag.",
        ),
        actor=None,
    )
    services.deadline_add(
        contract=green,
        due_on=today + timedelta(days=9),
        description="Halfjaarverslag aan de gemeente",
        actor=None,
    )
    services.contract_create(
        partner=housing,
        data=services.ContractData(
            title="Beheer Buurthuis De Wilg",
            kind="lease",
            start_date=date(year - 4, 1, 1),
            end_date=date(year + 4, 12, 31),
            value_cents=1_00,
            deliverables="Huur van € 1 per jaar; groot onderhoud door de woonstichting.",
        ),
        actor=None,
    )
    grant = services.contract_create(
        partner=fund,
        data=services.ContractData(
            title="Bijdrage taalcafé",
            kind="grant",
            start_date=date(year, 1, 1),
            end_date=date(year, 12, 31),
            value_cents=7_500_00,
            deliverables="Wekelijks taalcafé; verantwoording met aantal deelnemers.",
        ),
        actor=None,
    )
    services.deadline_add(
        contract=grant,
        due_on=date(year + 1, 3, 1),
        description="Eindverantwoording aan het Oranje Fonds",
        actor=None,
    )
    for title, kind, hours, name, local in (
        ("Beheerder buurthuis", "regular", "32", "Rachid Amrani", True),
        ("Coördinator vrijwilligers", "regular", "24", "Sanne Bakker", False),
        ("Medewerker groen", "participation", "20", None, True),
        ("Medewerker buurtbar", "supported", "16", None, True),
    ):
        services.job_create(
            organisation=organisation,
            data=services.JobData(
                title=title,
                kind=kind,
                hours_per_week=Decimal(hours),
                start_date=date(year - 1, 4, 1),
                funding_source="Contract groenonderhoud" if kind == "participation" else "",
                from_neighbourhood=local,
                person=persons[name] if name else None,
            ),
            actor=None,
        )


def _membership_fees(organisation: Organisation, today: date) -> None:
    """This year's fees invoiced in January; two in three members have paid."""
    if (
        today.year != DEMO_YEAR
        or MembershipFeeInvoice.objects.filter(organisation=organisation).exists()
    ):
        return
    treasurer = User.objects.filter(email="penningmeester@demo.example").first()
    run = fees.membership_fees_invoice(
        organisation=organisation,
        year=today.year,
        actor=treasurer,
        issue_date=date(today.year, 1, 15),
    )
    bank = Account.objects.get(organisation=organisation, number="1100")
    for index, invoice in enumerate(run.invoices):
        if index % 3 != 2:
            sales.invoice_payment_register(
                invoice=invoice,
                actor=treasurer,
                date=date(today.year, 1, 20 + index % 8),
                amount_cents=invoice.total_cents,
                bank_account=bank,
            )


# task, activity, weekday (0 = Monday), start, end, volunteers needed
SHIFTS: tuple[tuple[str, str, int, time, time, int], ...] = (
    ("Koffie en thee schenken", "Buurtbar", 2, time(10), time(12), 2),
    ("Zaal klaarzetten", "Taalcafé", 0, time(18, 30), time(19), 1),
    ("Koken", "Koken voor buren", 4, time(16), time(19), 3),
    ("Fietsen repareren", "Repaircafé", 5, time(10), time(13), 3),
    ("Moestuin water geven", "Moestuin De Wilg", 2, time(14), time(16), 2),
)


def _shifts(organisation: Organisation, today: date) -> None:
    """Shifts for the coming four weeks; some volunteers already signed up."""
    if Shift.objects.filter(organisation=organisation).exists():
        return
    activities_by_name = {a.name: a for a in Activity.objects.filter(organisation=organisation)}
    volunteers = list(
        Person.objects.filter(organisation=organisation, is_volunteer=True)
        .not_anonymised()
        .order_by("name")
    )
    if not volunteers:
        return
    count = 0
    for week in range(4):
        for task, name, weekday, start, end, needed in SHIFTS:
            activity = activities_by_name.get(name)
            if activity is None:
                continue
            day = today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * week)
            shift = shifts.shift_create(
                organisation=organisation,
                data=shifts.ShiftData(
                    activity=activity,
                    date=day,
                    start_time=start,
                    end_time=end,
                    task=task,
                    volunteers_needed=needed,
                ),
                actor=None,
            )
            # Fewer sign-ups the further ahead: the coordinator sees where people are missing.
            for offset in range(max(needed - week, 0)):
                person = volunteers[(count + offset) % len(volunteers)]
                if not shift.signups.filter(person=person).exists():
                    shifts.shift_signup(shift=shift, person=person, actor=None)
            count += 1


def _contract_books(organisation: Organisation) -> None:
    """The green maintenance contract is booked on the right-to-challenge account."""
    contract = Contract.objects.filter(
        organisation=organisation, kind="right_to_challenge", income_account__isnull=True
    ).first()
    account = Account.objects.filter(organisation=organisation, number="8310").first()
    if contract is not None and account is not None:
        contract_money.contract_link_books(
            contract=contract, income_account=account, fund=None, actor=None
        )


# The cooperative village enterprise of the demo network keeps a share register.
COOPERATIVE_SLUG = "dorpsbedrijf-ter-heide"
SHAREHOLDERS = ("Geert Jan Hofman", "Anneke Brouwer", "Dirk van Putten", "Sietske Veldman")


def _cooperative_shares(today: date) -> None:
    """Members' shares of € 50 in the cooperative: issued, one transfer, one redemption.

    The demo treasurer is also treasurer of the cooperative, so the register can be seen.
    """
    organisation = Organisation.objects.filter(slug=COOPERATIVE_SLUG).first()
    if organisation is None or ShareMovement.objects.filter(organisation=organisation).exists():
        return
    if today.year != DEMO_YEAR:
        return
    from wijk.ledger import services as ledger
    from wijk.ledger.models import FiscalYear
    from wijk.organisations import services as organisation_services
    from wijk.organisations.models import Membership
    from wijk.organisations.roles import Role

    if not Account.objects.filter(organisation=organisation).exists():
        ledger.ledger_setup(organisation=organisation, actor=None)
    if not FiscalYear.objects.filter(
        organisation=organisation, start_date__year=DEMO_YEAR
    ).exists():
        ledger.fiscal_year_create(organisation=organisation, year=DEMO_YEAR, actor=None)
    treasurer = User.objects.filter(email="penningmeester@demo.example").first()
    if (
        treasurer is not None
        and not Membership.objects.filter(organisation=organisation, user=treasurer).exists()
    ):
        organisation_services.membership_add(
            organisation=organisation, user=treasurer, role=Role.TREASURER, actor=None
        )
    members = [
        services.person_create(
            organisation=organisation,
            data=services.PersonData(
                name=name, member_since=date(DEMO_YEAR - 3 + index % 3, 1, 1), postcode="3851"
            ),
            actor=None,
        )
        for index, name in enumerate(SHAREHOLDERS)
    ]
    bank = Account.objects.get(organisation=organisation, number="1100")
    for index, member in enumerate(members):
        shares.shares_issue(
            organisation=organisation,
            person=member,
            count=(4, 10, 2, 6)[index],
            nominal_value_cents=50_00,
            date=date(DEMO_YEAR, 2, 1 + index),
            bank_account=bank,
            actor=treasurer,
            note="Zonnedak op de dorpsschuur",
        )
    shares.shares_transfer(
        organisation=organisation,
        from_person=members[1],
        to_person=members[2],
        count=3,
        date=date(DEMO_YEAR, 6, 12),
        actor=treasurer,
        note="Geschonken aan buurman",
    )
    shares.shares_redeem(
        organisation=organisation,
        person=members[3],
        count=2,
        date=date(DEMO_YEAR, 9, 30),
        bank_account=bank,
        actor=treasurer,
        note="Verhuisd",
    )
