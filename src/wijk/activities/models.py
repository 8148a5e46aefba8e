"""Activities and services the enterprise runs.

An `Activity` is a lasting line of work (a neighbourhood restaurant, green
maintenance for the municipality, language lessons, a repair café). Ledger lines may
carry an activity as a dimension, so the books show the result of each activity.

A `Session` is one occasion of an activity (Tuesday's language café). Participants
are counted without names: a tally typed in by the coordinator plus the visitors who
sign in at the door (`DoorSignIn`, by QR code or short link: only an optional
four-digit postcode and age band, never a name). Registration of named persons
(`Registration`) is optional. Volunteer hours without a name are kept on the
session; hours that volunteers log themselves live in `community.VolunteerHours`.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.organisations.models import Organisation, OrganisationOwnedQuerySet
from wijk.premises.models import Building


class Category(models.TextChoices):
    CARE = "care", _("Care and welfare")
    ENERGY = "energy", _("Energy")
    PUBLIC_SPACE = "public_space", _("Public space and green")
    FOOD = "food", _("Food")
    EDUCATION = "education", _("Education and language")
    CULTURE = "culture", _("Culture")
    YOUTH = "youth", _("Youth")
    ELDERLY = "elderly", _("Elderly")
    HOSPITALITY = "hospitality", _("Hospitality")
    OTHER = "other", _("Other")


class ActivityQuerySet(OrganisationOwnedQuerySet["Activity"]):
    pass


class Activity(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="activities"
    )
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    description = models.TextField(_("description"), blank=True)
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("building"),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    responsible = models.ForeignKey(
        "community.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities_responsible",
        verbose_name=_("responsible person"),
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="activity_name_unique"),
            models.CheckConstraint(
                condition=Q(category__in=[choice.value for choice in Category]),
                name="activity_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def new_door_token() -> str:
    return secrets.token_urlsafe(9)


class SessionQuerySet(OrganisationOwnedQuerySet["Session"]):
    pass


class Session(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"), null=True, blank=True)
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("building"),
    )
    participants_counted = models.PositiveIntegerField(
        _("participants counted"),
        default=0,
        help_text=_("Visitors counted by hand, without names, besides those who signed in."),
    )
    volunteer_minutes = models.PositiveIntegerField(_("volunteer minutes"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    door_token = models.CharField(max_length=32, unique=True, default=new_door_token)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["organisation", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.date:%Y-%m-%d} {self.start_time:%H:%M}"


class AgeBand(models.TextChoices):
    CHILD = "0-12", _("12 or younger")
    TEEN = "13-17", _("13 to 17")
    YOUNG = "18-26", _("18 to 26")
    ADULT = "27-66", _("27 to 66")
    OLDER = "67+", _("67 or older")


class DoorSignIn(models.Model):
    """One visitor counted at the door: no name, at most a postcode and an age band."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="sign_ins")
    postcode = models.CharField(_("postcode (4 digits)"), max_length=4, blank=True)
    age_band = models.CharField(_("age"), max_length=5, choices=AgeBand.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sign-in at the door")
        verbose_name_plural = _("sign-ins at the door")
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=r"^[1-9][0-9]{3}$"),
                name="door_sign_in_postcode_four_digits",
            ),
            models.CheckConstraint(
                condition=Q(age_band="") | Q(age_band__in=[choice.value for choice in AgeBand]),
                name="door_sign_in_age_band_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.pk}"


class Registration(models.Model):
    """A named person signed up for a session (optional; most sessions only count)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "community.Person",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="registration_once"),
        ]

    def __str__(self) -> str:
        return str(self.session)
