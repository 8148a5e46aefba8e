"""Every write to the registry of persons: validated, in a transaction, logged.

The audit log records only the person's number, never their name: the log is never
changed, so it must not hold data that anonymisation has to remove.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.activities.models import Activity, Session
from wijk.core.models import audit_record
from wijk.ledger.money import format_cents
from wijk.organisations.models import Membership, Organisation

from . import privacy
from .models import (
    Consent,
    Contract,
    ContractDeadline,
    Decision,
    Job,
    Partner,
    Person,
    Purpose,
    VolunteerAllowance,
    VolunteerHours,
)

POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}$")
PHONE_RE = re.compile(r"^[0-9 +()-]{6,30}$")
# Former members are anonymised this many years after they left.
RETENTION_YEARS_FORMER_MEMBERS = 2


@dataclass(frozen=True)
class PersonData:
    name: str
    email: str = ""
    phone: str = ""
    postcode: str = ""
    is_volunteer: bool = False
    is_staff_member: bool = False
    is_contact: bool = False
    is_customer: bool = False
    member_since: date | None = None
    member_until: date | None = None
    membership_fee_cents: int | None = None
    skills: str = ""
    availability: str = ""
    notes: str = ""
    user: User | None = field(default=None)


def _clean(
    organisation: Organisation, data: PersonData, current: Person | None
) -> dict[str, object]:
    errors: dict[str, list[ValidationError]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [ValidationError(_("Give the person's name."))]
    email = data.email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [
                ValidationError(_("Give a valid e-mail address, or leave it empty."))
            ]
    phone = data.phone.strip()
    if phone and not PHONE_RE.match(phone):
        errors["phone"] = [
            ValidationError(_("Give a phone number with digits only, or leave it empty."))
        ]
    postcode = (
        data.postcode.strip()[:4] if data.postcode.strip()[:4].isdigit() else data.postcode.strip()
    )
    if postcode and not POSTCODE_RE.match(postcode):
        errors["postcode"] = [
            ValidationError(_("Give the four digits of the postcode, for example 3521."))
        ]
    if data.member_until and not data.member_since:
        errors["member_since"] = [ValidationError(_("Give the date the membership started."))]
    elif data.member_until and data.member_since and data.member_until < data.member_since:
        errors["member_until"] = [ValidationError(_("The membership cannot end before it starts."))]
    if data.membership_fee_cents is not None and not data.member_since:
        errors["membership_fee"] = [
            ValidationError(_("Only a member pays a membership fee; give the date they joined."))
        ]
    if data.user is not None:
        if not Membership.objects.filter(organisation=organisation, user=data.user).exists():
            errors["user"] = [ValidationError(_("This login does not belong to the organisation."))]
        else:
            taken = Person.objects.for_organisation(organisation).filter(user=data.user)
            if current is not None:
                taken = taken.exclude(pk=current.pk)
            if taken.exists():
                errors["user"] = [
                    ValidationError(_("This login is already linked to another person."))
                ]
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "email": email,
        "phone": phone,
        "postcode": postcode,
        "is_volunteer": data.is_volunteer,
        "is_staff_member": data.is_staff_member,
        "is_contact": data.is_contact,
        "is_customer": data.is_customer,
        "member_since": data.member_since,
        "member_until": data.member_until,
        "membership_fee_cents": data.membership_fee_cents,
        "skills": data.skills.strip(),
        "availability": data.availability.strip(),
        "notes": data.notes.strip(),
        "user": data.user,
    }


@transaction.atomic
def person_create(*, organisation: Organisation, data: PersonData, actor: User | None) -> Person:
    values = _clean(organisation, data, None)
    person = Person.objects.create(organisation=organisation, **values)
    audit_record(
        action="person.create",
        actor=actor,
        organisation=organisation,
        obj=person,
        data={"id": person.pk},
    )
    return person


@transaction.atomic
def person_update(*, person: Person, data: PersonData, actor: User | None) -> Person:
    if person.anonymised_at is not None:
        raise ValidationError(_("This person has been anonymised and cannot be changed."))
    values = _clean(person.organisation, data, person)
    for key, value in values.items():
        setattr(person, key, value)
    person.save()
    audit_record(
        action="person.update",
        actor=actor,
        organisation=person.organisation,
        obj=person,
        data={"id": person.pk},
    )
    return person


@transaction.atomic
def consent_record(
    *,
    person: Person,
    purpose: str,
    given: bool,
    recorded_on: date,
    wording_version: str,
    actor: User | None,
) -> Consent:
    errors: dict[str, list[ValidationError]] = {}
    if person.anonymised_at is not None:
        raise ValidationError(_("This person has been anonymised and cannot be changed."))
    if purpose not in Purpose.values:
        errors["purpose"] = [ValidationError(_("Choose a purpose."))]
    if recorded_on > timezone.localdate():
        errors["recorded_on"] = [ValidationError(_("The date cannot be in the future."))]
    wording_version = wording_version.strip()
    if not wording_version:
        errors["wording_version"] = [
            ValidationError(_("Say which version of the text the person saw, for example 2026-01."))
        ]
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        organisation=person.organisation,
        person=person,
        purpose=purpose,
        given=given,
        recorded_on=recorded_on,
        wording_version=wording_version,
    )
    audit_record(
        action="consent.given" if given else "consent.withdrawn",
        actor=actor,
        organisation=person.organisation,
        obj=consent,
        data={"id": person.pk, "purpose": purpose},
    )
    return consent


def anonymisation_blockers(*, person: Person) -> list[str]:
    """Why `person` cannot be anonymised now; empty when it can."""
    reasons = []
    for blocker in privacy.blockers():
        reason = blocker(person)
        if reason:
            reasons.append(str(reason))
    return reasons


@transaction.atomic
def person_anonymise(*, person: Person, actor: User | None) -> Person:
    """Empty every identifying field of the person and of the rows that point to them.

    The books are not touched: journal entries keep their lines, totals and hash
    chain. Refused while a blocker (money owed, open bookings, ...) says so.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        raise ValidationError(_("This person has already been anonymised."))
    reasons = anonymisation_blockers(person=person)
    if reasons:
        raise ValidationError([ValidationError(reason) for reason in reasons])
    # Mark it first: the database allows an empty name only for an anonymised person.
    Person.objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
    privacy.anonymise_rows(person)
    person.refresh_from_db()
    audit_record(
        action="person.anonymise",
        actor=actor,
        organisation=person.organisation,
        obj=person,
        data={"id": person.pk},
    )
    return person


def retention_cutoff(today: date) -> date:
    """Members who left on or before this date are due for anonymisation."""
    try:
        return today.replace(year=today.year - RETENTION_YEARS_FORMER_MEMBERS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - RETENTION_YEARS_FORMER_MEMBERS, day=28)


def retention_due(*, today: date, organisation: Organisation | None = None) -> list[Person]:
    """Former members who left long enough ago and are no longer anything else."""
    persons = Person.objects.not_anonymised().filter(
        member_until__isnull=False,
        member_until__lte=retention_cutoff(today),
        is_volunteer=False,
        is_staff_member=False,
        is_contact=False,
        is_customer=False,
    )
    if organisation is not None:
        persons = persons.filter(organisation=organisation)
    return list(persons.select_related("organisation").order_by("organisation__slug", "pk"))


@dataclass(frozen=True)
class RetentionOutcome:
    person: Person
    anonymised: bool
    reasons: list[str]


# Financial records are kept this many full years after the year they belong to
# (the fiscal retention duty, art. 52 AWR), then purged.
RETENTION_YEARS_FINANCIAL = 7


@dataclass(frozen=True)
class PurgeOutcome:
    allowances: int
    fee_links: int
    customers: int

    @property
    def total(self) -> int:
        return self.allowances + self.fee_links + self.customers


def financial_records_purge(*, today: date, dry_run: bool) -> PurgeOutcome:
    """Purge personal financial records older than seven full years.

    - volunteer allowances paid before 1 January of (this year - 7) are deleted (the
      payment itself stays in the books);
    - links between a member and a fee invoice of such a year are deleted;
    - the sales customer of an anonymised person whose last invoice is that old loses
      name, e-mail and address.

    Not purged: posted journal entries and sent invoices (never changed; their hash
    chain must stay valid) and the register of member shares (a register the
    cooperative keeps for as long as it exists).
    """
    from wijk.sales import services as sales

    from .models import MembershipFeeInvoice

    first_kept_year = today.year - RETENTION_YEARS_FINANCIAL
    allowances = VolunteerAllowance.objects.filter(date__year__lt=first_kept_year)
    fee_links = MembershipFeeInvoice.objects.filter(year__lt=first_kept_year)
    customers = sales.customers_to_purge(before_year=first_kept_year)
    outcome = PurgeOutcome(allowances.count(), fee_links.count(), len(customers))
    if dry_run or not outcome.total:
        return outcome
    with transaction.atomic():
        allowances.delete()
        fee_links.delete()
        for customer in customers:
            sales.customer_purge(customer=customer, actor=None)
        audit_record(
            action="retention.purge",
            actor=None,
            organisation=None,
            obj=None,
            data={"count": outcome.total},
        )
    return outcome


def retention_apply(*, today: date, dry_run: bool) -> list[RetentionOutcome]:
    """Anonymise former members due under the retention rule; blocked ones are reported."""
    outcomes = []
    for person in retention_due(today=today):
        reasons = anonymisation_blockers(person=person)
        if reasons or dry_run:
            outcomes.append(RetentionOutcome(person, False, reasons))
            continue
        person_anonymise(person=person, actor=None)
        outcomes.append(RetentionOutcome(person, True, []))
    return outcomes


# --- Volunteer hours and allowances -----------------------------------------------------


def allowance_maximum_cents() -> int:
    return int(settings.WIJK_VOLUNTEER_ALLOWANCE_MAX_CENTS)


def allowance_month_maximum_cents() -> int:
    return int(settings.WIJK_VOLUNTEER_ALLOWANCE_MONTH_MAX_CENTS)


@transaction.atomic
def hours_log(
    *,
    person: Person,
    date: date,
    minutes: int,
    actor: User | None,
    activity: Activity | None = None,
    session: Session | None = None,
    description: str = "",
) -> VolunteerHours:
    errors: dict[str, list[ValidationError]] = {}
    if person.anonymised_at is not None:
        raise ValidationError(_("This person has been anonymised and cannot be changed."))
    if date > timezone.localdate():
        errors["date"] = [ValidationError(_("The date cannot be in the future."))]
    elif date < timezone.localdate() - timedelta(days=366):
        errors["date"] = [ValidationError(_("Log hours within a year of the day you worked."))]
    if not 0 < minutes <= 24 * 60:
        errors["minutes"] = [
            ValidationError(_("Give the time you worked: more than 0 and at most 24 hours."))
        ]
    organisation = person.organisation
    if activity is not None and activity.organisation_id != organisation.pk:
        errors["activity"] = [ValidationError(_("Unknown activity."))]
    if session is not None:
        if session.organisation_id != organisation.pk:
            errors["session"] = [ValidationError(_("Unknown session."))]
        elif activity is not None and session.activity_id != activity.pk:
            errors["session"] = [ValidationError(_("This session belongs to another activity."))]
        else:
            activity = session.activity
    if errors:
        raise ValidationError(errors)
    entry = VolunteerHours.objects.create(
        organisation=organisation,
        person=person,
        date=date,
        minutes=minutes,
        activity=activity,
        session=session,
        description=description.strip()[:200],
        entered_by=actor,
    )
    audit_record(
        action="hours.log",
        actor=actor,
        organisation=organisation,
        obj=entry,
        data={"id": person.pk, "minutes": minutes, "date": date.isoformat()},
    )
    return entry


@transaction.atomic
def hours_delete(*, entry: VolunteerHours, actor: User | None) -> None:
    audit_record(
        action="hours.delete",
        actor=actor,
        organisation=entry.organisation,
        obj=entry,
        data={"id": entry.person_id, "minutes": entry.minutes, "date": entry.date.isoformat()},
    )
    entry.delete()


def allowance_year_total(*, person: Person, year: int) -> int:
    total = VolunteerAllowance.objects.filter(person=person, date__year=year).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return int(total or 0)


def allowance_month_total(*, person: Person, year: int, month: int) -> int:
    total = VolunteerAllowance.objects.filter(
        person=person, date__year=year, date__month=month
    ).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


@transaction.atomic
def allowance_record(
    *,
    person: Person,
    date: date,
    amount_cents: int,
    actor: User | None,
    note: str = "",
    over_maximum_confirmed: bool = False,
) -> VolunteerAllowance:
    """Record an allowance paid. Passing the legal yearly maximum needs an explicit yes."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    errors: dict[str, list[ValidationError]] = {}
    if person.anonymised_at is not None:
        raise ValidationError(_("This person has been anonymised and cannot be changed."))
    if date > timezone.localdate():
        errors["date"] = [ValidationError(_("The date cannot be in the future."))]
    if amount_cents <= 0:
        errors["amount"] = [ValidationError(_("Give an amount above zero."))]
    if errors:
        raise ValidationError(errors)
    # The Belastingdienst sets two maxima, a year's and a month's (by the date paid);
    # above either the whole allowance is taxed. Passing one needs an explicit yes.
    maximum = allowance_maximum_cents()
    total = allowance_year_total(person=person, year=date.year) + amount_cents
    month_maximum = allowance_month_maximum_cents()
    month_total = (
        allowance_month_total(person=person, year=date.year, month=date.month) + amount_cents
    )
    over: list[ValidationError] = []
    if month_total > month_maximum:
        over.append(
            ValidationError(
                _(
                    "With this amount the allowances of %(month)s come to %(total)s, "
                    "above the tax-free maximum of %(maximum)s a month."
                )
                % {
                    "month": formats.date_format(date, "F Y"),
                    "total": format_cents(month_total),
                    "maximum": format_cents(month_maximum),
                },
                code="over_maximum",
            )
        )
    if total > maximum:
        over.append(
            ValidationError(
                _(
                    "With this amount the allowances of %(year)s come to %(total)s, "
                    "above the tax-free maximum of %(maximum)s. Above it the whole "
                    "allowance is taxed. Tick the box below if you still want to record it."
                )
                % {
                    "year": date.year,
                    "total": format_cents(total),
                    "maximum": format_cents(maximum),
                },
                code="over_maximum",
            )
        )
    elif over:
        over.append(
            ValidationError(
                _(
                    "Above it the whole allowance is taxed. Tick the box below if you still "
                    "want to record it."
                ),
                code="over_maximum",
            )
        )
    if over and not over_maximum_confirmed:
        raise ValidationError({"amount": over})
    allowance = VolunteerAllowance.objects.create(
        organisation=person.organisation,
        person=person,
        date=date,
        amount_cents=amount_cents,
        note=note.strip()[:200],
    )
    audit_record(
        action="allowance.record",
        actor=actor,
        organisation=person.organisation,
        obj=allowance,
        data={"id": person.pk, "amount": format_cents(amount_cents), "over": bool(over)},
    )
    return allowance


# --- Decision register ------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    organisation: Organisation,
    date: date,
    body: str,
    text: str,
    outcome: str,
    actor: User | None,
    votes: str = "",
) -> Decision:
    errors: dict[str, list[ValidationError]] = {}
    text = text.strip()
    if not text:
        errors["text"] = [ValidationError(_("Write down what was decided."))]
    if date > timezone.localdate():
        errors["date"] = [ValidationError(_("The date cannot be in the future."))]
    if body not in Decision.Body.values:
        errors["body"] = [ValidationError(_("Choose who decided."))]
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = [ValidationError(_("Choose the outcome."))]
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        organisation=organisation,
        date=date,
        body=body,
        text=text,
        outcome=outcome,
        votes=votes.strip()[:100],
    )
    audit_record(
        action="decision.record",
        actor=actor,
        organisation=organisation,
        obj=decision,
        data={"date": date.isoformat()},
    )
    return decision


# --- Jobs, partners and contracts -------------------------------------------------------


@dataclass(frozen=True)
class JobData:
    title: str
    kind: str
    hours_per_week: Decimal
    start_date: date
    end_date: date | None = None
    funding_source: str = ""
    from_neighbourhood: bool = False
    person: Person | None = None


@transaction.atomic
def job_create(*, organisation: Organisation, data: JobData, actor: User | None) -> Job:
    errors: dict[str, list[ValidationError]] = {}
    title = data.title.strip()
    if not title:
        errors["title"] = [ValidationError(_("Give the job a title."))]
    if data.kind not in Job.Kind.values:
        errors["kind"] = [ValidationError(_("Choose the kind of job."))]
    if not Decimal(0) < data.hours_per_week <= Decimal(60):
        errors["hours_per_week"] = [
            ValidationError(_("Give the hours per week: more than 0, at most 60."))
        ]
    if data.end_date is not None and data.end_date < data.start_date:
        errors["end_date"] = [ValidationError(_("The end cannot be before the start."))]
    if data.person is not None and (
        data.person.organisation_id != organisation.pk or data.person.anonymised_at is not None
    ):
        errors["person"] = [ValidationError(_("Unknown person."))]
    if errors:
        raise ValidationError(errors)
    job = Job.objects.create(
        organisation=organisation,
        title=title,
        kind=data.kind,
        hours_per_week=data.hours_per_week,
        start_date=data.start_date,
        end_date=data.end_date,
        funding_source=data.funding_source.strip(),
        from_neighbourhood=data.from_neighbourhood,
        person=data.person,
    )
    audit_record(
        action="job.create",
        actor=actor,
        organisation=organisation,
        obj=job,
        data={"name": title},
    )
    return job


@transaction.atomic
def partner_create(
    *,
    organisation: Organisation,
    name: str,
    kind: str,
    actor: User | None,
    contact: Person | None = None,
) -> Partner:
    errors: dict[str, list[ValidationError]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [ValidationError(_("Give the partner's name."))]
    elif Partner.objects.for_organisation(organisation).filter(name__iexact=name).exists():
        errors["name"] = [ValidationError(_("%(name)s already exists.") % {"name": name})]
    if kind not in Partner.Kind.values:
        errors["kind"] = [ValidationError(_("Choose the kind of partner."))]
    if contact is not None and (
        contact.organisation_id != organisation.pk or contact.anonymised_at is not None
    ):
        errors["contact"] = [ValidationError(_("Unknown person."))]
    if errors:
        raise ValidationError(errors)
    partner = Partner.objects.create(
        organisation=organisation, name=name, kind=kind, contact=contact
    )
    audit_record(
        action="partner.create",
        actor=actor,
        organisation=organisation,
        obj=partner,
        data={"name": name},
    )
    return partner


@dataclass(frozen=True)
class ContractData:
    title: str
    kind: str
    start_date: date
    end_date: date | None = None
    value_cents: int | None = None
    deliverables: str = ""


@transaction.atomic
def contract_create(*, partner: Partner, data: ContractData, actor: User | None) -> Contract:
    errors: dict[str, list[ValidationError]] = {}
    title = data.title.strip()
    if not title:
        errors["title"] = [ValidationError(_("Give the contract a title."))]
    if data.kind not in Contract.Kind.values:
        errors["kind"] = [ValidationError(_("Choose the kind of contract."))]
    if data.end_date is not None and data.end_date < data.start_date:
        errors["end_date"] = [ValidationError(_("The end cannot be before the start."))]
    if data.value_cents is not None and data.value_cents < 0:
        errors["value"] = [ValidationError(_("Give an amount of zero or more."))]
    if errors:
        raise ValidationError(errors)
    contract = Contract.objects.create(
        organisation=partner.organisation,
        partner=partner,
        title=title,
        kind=data.kind,
        start_date=data.start_date,
        end_date=data.end_date,
        value_cents=data.value_cents,
        deliverables=data.deliverables.strip(),
    )
    if data.end_date is not None:
        ContractDeadline.objects.create(
            organisation=partner.organisation,
            contract=contract,
            due_on=data.end_date,
            description=_("Contract ends: renew or close"),
        )
    audit_record(
        action="contract.create",
        actor=actor,
        organisation=partner.organisation,
        obj=contract,
        data={"name": title, "partner": partner.name},
    )
    return contract


@transaction.atomic
def deadline_add(
    *, contract: Contract, due_on: date, description: str, actor: User | None
) -> ContractDeadline:
    description = description.strip()
    if not description:
        raise ValidationError({"description": [ValidationError(_("Say what is due."))]})
    deadline = ContractDeadline.objects.create(
        organisation=contract.organisation,
        contract=contract,
        due_on=due_on,
        description=description,
    )
    audit_record(
        action="deadline.add",
        actor=actor,
        organisation=contract.organisation,
        obj=deadline,
        data={"name": contract.title, "date": due_on.isoformat()},
    )
    return deadline


@transaction.atomic
def deadline_done(*, deadline: ContractDeadline, actor: User | None) -> ContractDeadline:
    if deadline.done_on is not None:
        raise ValidationError(_("This deadline is already done."))
    deadline.done_on = timezone.localdate()
    deadline.save(update_fields=["done_on"])
    audit_record(
        action="deadline.done",
        actor=actor,
        organisation=deadline.organisation,
        obj=deadline,
        data={"name": deadline.contract.title, "date": deadline.due_on.isoformat()},
    )
    return deadline


# Deadlines are announced by e-mail this many days ahead (and at once when overdue).
REMINDER_DAYS = 14


@dataclass(frozen=True)
class ReminderOutcome:
    organisation: Organisation
    deadlines: list[ContractDeadline]
    recipients: list[str]


def deadline_reminders_send(*, today: date, dry_run: bool) -> list[ReminderOutcome]:
    """E-mail the board and coordinators once about each open deadline that comes near.

    One message per organisation lists its deadlines due within `REMINDER_DAYS` that
    were not announced before; each is then marked as reminded, so a daily run sends
    every deadline once.
    """
    from wijk.organisations.roles import MANAGE_PARTNERS

    due = (
        ContractDeadline.objects.filter(
            done_on__isnull=True,
            reminded_on__isnull=True,
            due_on__lte=today + timedelta(days=REMINDER_DAYS),
        )
        .select_related("contract__partner", "organisation")
        .order_by("organisation__slug", "due_on", "pk")
    )
    by_organisation: dict[int, list[ContractDeadline]] = {}
    for deadline in due:
        by_organisation.setdefault(deadline.organisation_id, []).append(deadline)
    outcomes = []
    for deadlines in by_organisation.values():
        organisation = deadlines[0].organisation
        recipients = sorted(
            set(
                Membership.objects.filter(
                    organisation=organisation, role__in=MANAGE_PARTNERS, user__is_active=True
                ).values_list("user__email", flat=True)
            )
        )
        outcomes.append(ReminderOutcome(organisation, deadlines, recipients))
        if dry_run or not recipients:
            continue
        with transaction.atomic():
            ContractDeadline.objects.filter(pk__in=[d.pk for d in deadlines]).update(
                reminded_on=today
            )
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Coming deadlines of %(organisation)s") % {
                    "organisation": organisation.name
                }
                body = render_to_string(
                    "community/email/deadlines.txt",
                    {"organisation": organisation, "deadlines": deadlines, "today": today},
                )
            # Sent last: when sending fails, the deadlines stay unannounced for the next run.
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return outcomes
