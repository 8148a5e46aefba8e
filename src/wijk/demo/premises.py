"""The demo's community centre: seven rooms, tariffs, extras and a year of bookings.

Weekly and fortnightly groups, a monthly meeting, a sports hall used every weekday,
parties on Saturdays and a few requests from the public waiting for an answer; the
bookings up to November invoiced (parties one by one, the rest monthly per customer)
and mostly paid. Made through the services, like everything in the demo; run again,
it changes nothing.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from wijk.accounts.models import User
from wijk.ledger.models import Account, Fund
from wijk.organisations.models import Organisation
from wijk.premises import invoicing, services
from wijk.premises.models import Booking, BookingInvoice, Building, Space
from wijk.premises.timeutil import local, to_utc
from wijk.sales import services as sales

ROOMS = (
    # name, capacity, m², facilities, wheelchair, opens, closes, days
    ("Grote zaal", 120, 150, "Podium, geluidsinstallatie, beamer, bar", True, 8, 23, "0123456"),
    ("Kleine zaal", 30, 45, "Beamer, whiteboard", True, 8, 23, "0123456"),
    ("Vergaderkamer", 12, 20, "Scherm, whiteboard", True, 8, 22, "012345"),
    ("Keuken", 10, 30, "Professionele keuken, vaatwasser", True, 9, 21, "012345"),
    ("Sporthal", 60, 400, "Kleedkamers, douches, toestellen", True, 8, 22, "0123456"),
    ("Atelier", 15, 40, "Werkbanken, wasbak", False, 9, 22, "012345"),
    ("Stiltekamer", 6, 12, "Comfortabele stoelen", True, 9, 21, "01234"),
)

TARIFFS = {
    # room: (hour, day-part, day) in cents per class; commercial pays 21% VAT
    "Grote zaal": (3_500, 12_000, 27_500),
    "Kleine zaal": (1_800, 6_000, 14_000),
    "Vergaderkamer": (1_200, 4_000, 9_000),
    "Keuken": (2_000, 7_000, None),
    "Sporthal": (4_000, 14_000, 32_000),
    "Atelier": (1_500, 5_000, None),
    "Stiltekamer": (800, None, None),
}
DISCOUNT = {"resident_initiative": 40, "non_profit": 70, "commercial": 100}

ADD_ONS = (
    ("Koffie en thee", "catering", "person", 150, "9"),
    ("Lunch", "catering", "person", 750, "9"),
    ("Schoonmaak na afloop", "cleaning", "booking", 4_500, "21"),
    ("Beamer", "equipment", "booking", 1_500, "21"),
    ("Geluidsinstallatie", "equipment", "hour", 1_000, "21"),
)

SERIES = (
    # room, title, customer, kind, class, frequency, weekday, start, end
    (
        "Kleine zaal",
        "Taalcafé",
        "Taalcafé De Wilg",
        "organisation",
        "resident_initiative",
        "weekly",
        1,
        (10, 0),
        (12, 0),
    ),
    (
        "Grote zaal",
        "Koor De Lijster",
        "Koor De Lijster",
        "organisation",
        "non_profit",
        "weekly",
        0,
        (19, 30),
        (22, 0),
    ),
    (
        "Sporthal",
        "Ouderengym",
        "Buurtsport Slotermeer",
        "organisation",
        "non_profit",
        "weekly",
        2,
        (10, 0),
        (11, 30),
    ),
    (
        "Sporthal",
        "Jeugdvoetbal",
        "Buurtsport Slotermeer",
        "organisation",
        "non_profit",
        "weekly",
        3,
        (16, 0),
        (18, 0),
    ),
    (
        "Sporthal",
        "Bedrijfsvolleybal",
        "Slotermeer Techniek BV",
        "organisation",
        "commercial",
        "weekly",
        1,
        (19, 0),
        (21, 0),
    ),
    (
        "Atelier",
        "Repair Café",
        "Repair Café Slotermeer",
        "organisation",
        "resident_initiative",
        "fortnightly",
        5,
        (13, 0),
        (16, 0),
    ),
    (
        "Keuken",
        "Samen koken",
        "Kookclub De Wilg",
        "organisation",
        "resident_initiative",
        "weekly",
        4,
        (16, 0),
        (20, 0),
    ),
    (
        "Vergaderkamer",
        "Bewonersoverleg",
        "Bewonerscommissie",
        "organisation",
        "resident_initiative",
        "monthly",
        0,
        (19, 30),
        (21, 30),
    ),
    (
        "Vergaderkamer",
        "Spreekuur wijkteam",
        "Wijkteam Slotermeer",
        "organisation",
        "internal",
        "weekly",
        2,
        (9, 0),
        (12, 0),
    ),
    (
        "Stiltekamer",
        "Meditatie",
        "Yvonne Martens",
        "person",
        "commercial",
        "weekly",
        3,
        (19, 0),
        (20, 30),
    ),
    (
        "Grote zaal",
        "Yoga",
        "Yoga Slotermeer",
        "organisation",
        "commercial",
        "weekly",
        2,
        (19, 30),
        (21, 0),
    ),
)


FAMILIES = (
    "De Jong",
    "Jansen",
    "El Idrissi",
    "Bakker",
    "Yilmaz",
    "Visser",
    "Smit",
    "Meijer",
    "Öztürk",
    "Mulder",
    "De Boer",
    "Pinas",
)


def _first(weekday: int, start: date) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def build_premises(organisation: Organisation) -> None:
    building = Building.objects.get(organisation=organisation, name="Buurthuis De Wilg")
    if Space.objects.filter(building=building).exists():
        return
    values = {
        field: getattr(building, field) for field in services.BuildingData.__dataclass_fields__
    }
    values["accepts_requests"] = True
    values["maintenance_fund"] = Fund.objects.filter(
        organisation=organisation, name="Reserve groot onderhoud"
    ).first()
    values["maintenance_contribution_cents"] = 12_000_00
    building = services.building_update(
        building=building, data=services.BuildingData(**values), actor=None
    )
    for name, planned, interval, cost in (
        ("Dakbedekking", 2029, 25, 48_000_00),
        ("Cv-ketel", 2027, 15, 9_500_00),
        ("Schilderwerk buiten", 2026, 6, 14_000_00),
        ("Vloer sporthal", 2031, 20, 36_000_00),
        ("Kozijnen", 2033, 30, 62_000_00),
        ("Keukeninrichting", 2030, 15, 18_000_00),
    ):
        services.maintenance_component_create(
            building=building,
            data=services.ComponentData(
                name=name,
                planned_year=planned,
                interval_years=interval,
                cost_cents=cost,
                price_year=2026,
            ),
            actor=None,
        )
    rooms: dict[str, Space] = {}
    for name, capacity, area, facilities, wheelchair, opens, closes, days in ROOMS:
        rooms[name] = services.space_create(
            building=building,
            data=services.SpaceData(
                name=name,
                capacity=capacity,
                area_m2=area,
                facilities=facilities,
                wheelchair_accessible=wheelchair,
                accessibility="Drempelvrij, lift naar de eerste verdieping, ringleiding in de grote zaal."
                if wheelchair
                else "Trap van vier treden, geen lift.",
                opens_at=time(opens),
                closes_at=time(closes),
                open_days=days,
            ),
            actor=None,
        )
    for name, (hour, daypart, day) in TARIFFS.items():
        services.space_tariffs_set(
            space=rooms[name],
            rows=[
                services.TariffRow(
                    customer_class=customer_class,
                    hour_cents=hour * share // 100,
                    daypart_cents=daypart * share // 100 if daypart else None,
                    day_cents=day * share // 100 if day else None,
                    vat_rate="21" if customer_class == "commercial" else "exempt",
                )
                for customer_class, share in DISCOUNT.items()
            ],
            actor=None,
        )
    add_ons = {
        name: services.add_on_create(
            organisation=organisation,
            data=services.AddOnData(
                name=name, kind=kind, unit=unit, price_cents=price, vat_rate=vat
            ),
            actor=None,
        )
        for name, kind, unit, price, vat in ADD_ONS
    }
    start, end = date(2026, 1, 5), date(2027, 6, 30)
    for room, title, customer, kind, customer_class, frequency, weekday, begin, finish in SERIES:
        services.booking_series_create(
            space=rooms[room],
            rule=services.SeriesRule(
                frequency=frequency,
                first_date=_first(weekday, start),
                last_date=end,
                start_time=time(*begin),
                end_time=time(*finish),
                skip_dates=tuple(
                    d
                    for d in (
                        date(2026, 12, 28),
                        date(2026, 12, 29),
                        date(2026, 12, 30),
                        date(2026, 12, 31),
                    )
                ),
                skip_holidays=True,
            ),
            details=services.BookingDetails(
                title=title,
                customer=services.Customer(name=customer, kind=kind, customer_class=customer_class),
                people=min(rooms[room].capacity or 10, 25),
                add_ons=(add_ons["Koffie en thee"],) if room == "Kleine zaal" else (),
            ),
            actor=None,
        )
    # A party in the big hall on the first Saturday of every month, a cleaning after it.
    saturday = _first(5, start)
    while saturday <= end:
        if saturday.day <= 7:
            services.booking_create(
                space=rooms["Grote zaal"],
                starts_at=to_utc(saturday, time(18)),
                ends_at=to_utc(saturday, time(23)),
                details=services.BookingDetails(
                    title="Feest",
                    customer=services.Customer(
                        name=f"Familie {saturday:%B}".title(), customer_class="resident_initiative"
                    ),
                    people=80,
                    add_ons=(add_ons["Schoonmaak na afloop"], add_ons["Geluidsinstallatie"]),
                ),
                actor=None,
            )
        saturday += timedelta(days=7)
    # Requests from the public, waiting for the coordinator.
    today = timezone.localdate()
    for offset, room, title, name in (
        (9, "Kleine zaal", "Verjaardag oma", "Mohamed Bouzid"),
        (12, "Vergaderkamer", "Vergadering VvE", "VvE Slotermeerlaan"),
        (20, "Atelier", "Workshop keramiek", "Lotte Kramer"),
    ):
        on = today + timedelta(days=offset)
        rooms_open = rooms[room]
        while on.weekday() not in rooms_open.open_weekdays:
            on += timedelta(days=1)
        services.booking_create(
            space=rooms_open,
            starts_at=to_utc(on, time(13)),
            ends_at=to_utc(on, time(15)),
            details=services.BookingDetails(
                title=title,
                customer=services.Customer(
                    name=name, email=f"{name.split()[0].lower()}@example.org"
                ),
                people=8,
            ),
            status="requested",
            actor=None,
        )


# Customers who pay late in the demo: their last invoices stay open (or partly paid).
LATE_PAYERS = {"Yvonne Martens"}
PARTLY_PAID = "Slotermeer Techniek BV"
LAST_INVOICED_MONTH = 11  # December's bookings are not invoiced yet


def build_booking_invoices(organisation: Organisation) -> None:
    """Invoice the year's bookings: parties one by one, the rest monthly per customer.

    Parties are invoiced two days after the party and paid within a week. Every other
    customer gets one invoice a month, dated the first of the next month and mostly
    paid twelve days later; November's invoices are paid through December's bank
    statement (`bank.py`). A late payer and a partly paid invoice show what open
    invoices look like. Runs once: nothing happens when any booking is invoiced.
    """
    if BookingInvoice.objects.filter(organisation=organisation).exists():
        return
    if not Booking.objects.filter(organisation=organisation).exists():
        return
    treasurer = User.objects.filter(email="penningmeester@demo.example").first()
    bank = Account.objects.get(organisation=organisation, number="1100")
    parties = Booking.objects.filter(
        organisation=organisation,
        title="Feest",
        status="confirmed",
        starts_at__lt=invoicing.month_bounds(date(2026, LAST_INVOICED_MONTH, 1))[1],
    ).order_by("starts_at")
    for party in parties:
        day = local(party.starts_at).date()
        invoice = invoicing.booking_invoice(
            booking=party, actor=treasurer, issue_date=day + timedelta(days=2)
        )
        sales.invoice_payment_register(
            invoice=invoice,
            actor=treasurer,
            date=day + timedelta(days=9),
            amount_cents=invoice.total_cents,
            bank_account=bank,
        )
    for month in range(1, LAST_INVOICED_MONTH + 1):
        first = date(2026, month, 1)
        issued = date(2026 + month // 12, month % 12 + 1, 1)
        invoices = invoicing.bookings_invoice(
            organisation=organisation,
            month=first,
            per=invoicing.PER_CUSTOMER,
            actor=treasurer,
            issue_date=issued,
        )
        if month == LAST_INVOICED_MONTH:
            continue  # paid through December's bank statement
        for invoice in invoices:
            name = invoice.customer.name
            if name in LATE_PAYERS and month >= 9:
                continue
            amount = invoice.total_cents
            if name == PARTLY_PAID and month == 10:
                amount = amount // 2
            sales.invoice_payment_register(
                invoice=invoice,
                actor=treasurer,
                date=issued + timedelta(days=12),
                amount_cents=amount,
                bank_account=bank,
            )
