"""The people of a community enterprise: one registry of persons.

A `Person` is anyone the enterprise keeps a record of: a member, a volunteer, a paid
worker, a contact at a partner, a customer. A person need not have a login; a
volunteer who logs their own hours does, through the optional link to a `User`. This
is different from `organisations.Membership`, which is the *role of a login* in the
organisation (board, treasurer, ...).

The registry keeps as little personal data as the work needs. Every field of every
model here is classified in `privacy.FIELD_HANDLING` (export, anonymise, retain, not
personal); a test fails on a field that is not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.organisations.models import Organisation, OrganisationOwnedQuerySet


class PersonQuerySet(OrganisationOwnedQuerySet["Person"]):
    def not_anonymised(self) -> PersonQuerySet:
        return self.filter(anonymised_at__isnull=True)


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="persons")
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    postcode = models.CharField(
        _("postcode (4 digits)"),
        max_length=4,
        blank=True,
        help_text=_("Only the four digits, enough to know the neighbourhood."),
    )
    is_volunteer = models.BooleanField(_("volunteer"), default=False)
    is_staff_member = models.BooleanField(_("paid worker"), default=False)
    is_contact = models.BooleanField(_("contact person"), default=False)
    is_customer = models.BooleanField(_("customer"), default=False)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    member_until = models.DateField(_("member until"), null=True, blank=True)
    membership_fee_cents = models.PositiveIntegerField(
        _("yearly membership fee"), null=True, blank=True
    )
    skills = models.CharField(
        _("skills"),
        max_length=300,
        blank=True,
        help_text=_("For volunteers: what they like to do, separated by commas."),
    )
    availability = models.CharField(
        _("availability"),
        max_length=200,
        blank=True,
        help_text=_("For volunteers: when they can help, for example “Tuesday mornings”."),
    )
    notes = models.TextField(_("notes"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | Q(anonymised_at__isnull=False),
                name="person_named_unless_anonymised",
            ),
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=r"^[1-9][0-9]{3}$"),
                name="person_postcode_four_digits",
            ),
            models.CheckConstraint(
                condition=Q(member_until__isnull=True)
                | (Q(member_since__isnull=False) & Q(member_until__gte=models.F("member_since"))),
                name="person_membership_period_valid",
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="person_one_per_login",
            ),
        ]

    def __str__(self) -> str:
        if self.anonymised_at is not None:
            return str(_("Anonymised person %(id)s") % {"id": self.pk})
        return self.name

    @property
    def is_member(self) -> bool:
        today = timezone.localdate()
        return self.member_since is not None and (
            self.member_until is None or self.member_until >= today
        )

    def kinds(self) -> list[str]:
        labels = []
        if self.is_member:
            labels.append(str(_("member")))
        elif self.member_until is not None:
            labels.append(str(_("former member")))
        for flag, label in (
            (self.is_volunteer, _("volunteer")),
            (self.is_staff_member, _("paid worker")),
            (self.is_contact, _("contact person")),
            (self.is_customer, _("customer")),
        ):
            if flag:
                labels.append(str(label))
        return labels


class Purpose(models.TextChoices):
    NEWSLETTER = "newsletter", _("Newsletter by e-mail")
    PHOTOS = "photos", _("Photos in publications")
    CONTACT = "contact", _("Being contacted about activities")
    PARTNERS = "partners", _("Sharing details with partners")


class ConsentQuerySet(OrganisationOwnedQuerySet["Consent"]):
    pass


class Consent(models.Model):
    """One consent given or withdrawn. The current state is the latest record per purpose."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    given = models.BooleanField(_("consent given"))
    recorded_on = models.DateField(_("date"))
    wording_version = models.CharField(
        _("wording version"),
        max_length=40,
        help_text=_("Which text the person agreed to, for example “2026-01”."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=[choice.value for choice in Purpose]),
                name="consent_purpose_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.given}"


class VolunteerHoursQuerySet(OrganisationOwnedQuerySet["VolunteerHours"]):
    pass


class VolunteerHours(models.Model):
    """Hours a volunteer gave, logged by the volunteer (from a phone) or a coordinator."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="hours", verbose_name=_("volunteer")
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_hours",
        verbose_name=_("activity"),
    )
    session = models.ForeignKey(
        "activities.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_hours",
        verbose_name=_("session"),
    )
    description = models.CharField(_("what you did"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = VolunteerHoursQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organisation", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0) & Q(minutes__lte=24 * 60),
                name="volunteer_hours_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.minutes} min"

    @property
    def hours(self) -> str:
        return f"{self.minutes // 60}:{self.minutes % 60:02d}"


class VolunteerAllowanceQuerySet(OrganisationOwnedQuerySet["VolunteerAllowance"]):
    pass


class VolunteerAllowance(models.Model):
    """A volunteer allowance paid (vrijwilligersvergoeding), in cents.

    This is the register used to warn before the legal yearly maximum
    (`settings.WIJK_VOLUNTEER_ALLOWANCE_MAX_CENTS`) is passed; the payment itself is
    booked in the books by the treasurer.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="allowances", verbose_name=_("volunteer")
    )
    date = models.DateField(_("date paid"))
    amount_cents = models.PositiveIntegerField(_("amount"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = VolunteerAllowanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer allowance")
        verbose_name_plural = _("volunteer allowances")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="allowance_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.amount_cents}"


class DecisionQuerySet(OrganisationOwnedQuerySet["Decision"]):
    pass


class Decision(models.Model):
    """The decision register: what the board or the general meeting decided."""

    class Body(models.TextChoices):
        BOARD = "board", _("Board")
        GENERAL_MEETING = "general_meeting", _("General meeting")

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        POSTPONED = "postponed", _("Postponed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    body = models.CharField(_("decided by"), max_length=20, choices=Body.choices)
    text = models.TextField(_("decision"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    votes = models.CharField(
        _("votes"),
        max_length=100,
        blank=True,
        help_text=_("For example “12 for, 2 against, 1 abstained”."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__in=["board", "general_meeting"]), name="decision_body_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["adopted", "rejected", "postponed"]),
                name="decision_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_outcome_display()}"


class JobQuerySet(OrganisationOwnedQuerySet["Job"]):
    pass


class Job(models.Model):
    """A paid position, including supported and participation jobs."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular job")
        SUPPORTED = "supported", _("Supported job (beschut werk)")
        PARTICIPATION = "participation", _("Participation job")
        TRAINEE = "trainee", _("Apprenticeship or work placement")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("job title"), max_length=120)
    kind = models.CharField(_("kind of job"), max_length=20, choices=Kind.choices)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    funding_source = models.CharField(_("funding source"), max_length=120, blank=True)
    from_neighbourhood = models.BooleanField(_("filled from the neighbourhood"), default=False)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("filled by"),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["regular", "supported", "participation", "trainee"]),
                name="job_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=60),
                name="job_hours_per_week_range",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="job_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PartnerQuerySet(OrganisationOwnedQuerySet["Partner"]):
    pass


class Partner(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        HOUSING = "housing", _("Housing corporation")
        WELFARE = "welfare", _("Welfare organisation")
        SCHOOL = "school", _("School")
        COMPANY = "company", _("Company")
        FUND = "fund", _("Charitable fund")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind of partner"), max_length=20, choices=Kind.choices)
    contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("contact person"),
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="partner_name_unique"),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "municipality",
                        "housing",
                        "welfare",
                        "school",
                        "company",
                        "fund",
                        "other",
                    ]
                ),
                name="partner_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContractQuerySet(OrganisationOwnedQuerySet["Contract"]):
    pass


class Contract(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("Service contract")
        RIGHT_TO_CHALLENGE = "right_to_challenge", _("Right-to-challenge agreement")
        GRANT = "grant", _("Grant agreement")
        LEASE = "lease", _("Lease")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("partner")
    )
    title = models.CharField(_("title"), max_length=160)
    kind = models.CharField(_("kind of contract"), max_length=20, choices=Kind.choices)
    value_cents = models.PositiveBigIntegerField(_("value"), null=True, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    deliverables = models.TextField(_("deliverables and conditions"), blank=True)
    # Where the money of this contract is booked: its page adds up what the books hold.
    income_account = models.ForeignKey(
        "ledger.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("income account"),
    )
    fund = models.ForeignKey(
        "ledger.Fund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fund"),
    )

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["service", "right_to_challenge", "grant", "lease", "other"]),
                name="contract_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ContractDeadline(models.Model):
    """A date by which something is due under a contract: a report, a renewal, a payment."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("contract")
    )
    due_on = models.DateField(_("due on"))
    description = models.CharField(_("what is due"), max_length=200)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.description}"


class MembershipFeeInvoice(models.Model):
    """The sales invoice of one member's fee for one year: at most one per member and year.

    The invoice itself (number, posting, payment) lives in `sales`; this row only ties
    it to the person and the year, so a second run of the fee invoicing skips them.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="fee_invoices", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    invoice = models.OneToOneField(
        "sales.Invoice", on_delete=models.PROTECT, related_name="+", verbose_name=_("invoice")
    )
    amount_cents = models.PositiveIntegerField(_("fee"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership fee invoice")
        verbose_name_plural = _("membership fee invoices")
        ordering = ["-year", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "year"], name="membership_fee_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="membership_fee_invoice_positive"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="membership_fee_invoice_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.invoice}"


class ShareMovementQuerySet(OrganisationOwnedQuerySet["ShareMovement"]):
    pass


class ShareMovement(models.Model):
    """One line in the register of member shares (ledencertificaten) of a cooperative.

    The register is a history that is never changed: shares are issued to a member,
    transferred from one member to another, or redeemed (paid back). A mistake is
    undone by a *correction*: a new row that moves the same shares back and, when the
    original was booked, reverses its journal entry. What a member holds is the sum
    of the shares moved to them minus the shares moved away from them.

    Issue and redemption are money: they are booked against the member capital
    account (RGS BLasOlsOsl, 0750). A transfer changes only who holds the shares.
    """

    class Kind(models.TextChoices):
        ISSUE = "issue", _("Issue")
        TRANSFER = "transfer", _("Transfer")
        REDEMPTION = "redemption", _("Redemption")
        CORRECTION = "correction", _("Correction")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    from_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shares_out",
        verbose_name=_("from"),
    )
    to_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shares_in",
        verbose_name=_("to"),
    )
    count = models.PositiveIntegerField(_("number of shares"))
    nominal_value_cents = models.PositiveIntegerField(_("nominal value per share"))
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    entry = models.OneToOneField(
        "ledger.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ShareMovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("share movement")
        verbose_name_plural = _("share movements")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["issue", "transfer", "redemption", "correction"]),
                name="share_movement_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(count__gt=0) & Q(nominal_value_cents__gt=0),
                name="share_movement_positive",
            ),
            # Who gives and who gets, by kind; a correction points to what it corrects.
            models.CheckConstraint(
                condition=(
                    Q(kind="issue")
                    & Q(from_person__isnull=True)
                    & Q(to_person__isnull=False)
                    & Q(corrects__isnull=True)
                )
                | (
                    Q(kind="transfer")
                    & Q(from_person__isnull=False)
                    & Q(to_person__isnull=False)
                    & ~Q(from_person=models.F("to_person"))
                    & Q(corrects__isnull=True)
                )
                | (
                    Q(kind="redemption")
                    & Q(from_person__isnull=False)
                    & Q(to_person__isnull=True)
                    & Q(corrects__isnull=True)
                )
                | (
                    Q(kind="correction")
                    & Q(corrects__isnull=False)
                    & (Q(from_person__isnull=False) | Q(to_person__isnull=False))
                ),
                name="share_movement_parties_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.count}"

    @property
    def value_cents(self) -> int:
        return self.count * self.nominal_value_cents


class ShiftQuerySet(OrganisationOwnedQuerySet["Shift"]):
    pass


class Shift(models.Model):
    """A stretch of work for volunteers at an activity or session, with how many are needed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        related_name="shifts",
        verbose_name=_("activity"),
    )
    session = models.ForeignKey(
        "activities.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shifts",
        verbose_name=_("session"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    task = models.CharField(_("task"), max_length=120)
    volunteers_needed = models.PositiveSmallIntegerField(_("volunteers needed"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["organisation", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(volunteers_needed__gte=1) & Q(volunteers_needed__lte=50),
                name="shift_volunteers_needed_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.start_time:%H:%M} {self.task}"


class ShiftSignup(models.Model):
    """A volunteer who said they will come to a shift."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, related_name="signups", verbose_name=_("shift")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="shift_signups", verbose_name=_("volunteer")
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)

    class Meta:
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        ordering = ["shift", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "person"], name="shift_signup_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shift_id}: {self.person_id}"
