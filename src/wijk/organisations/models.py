"""Community enterprises, the people in them, and their neighbourhoods.

An `Organisation` is one community enterprise (wijkonderneming, bewonersbedrijf,
dorpsbedrijf). Everything an enterprise owns carries a foreign key to it, and every
query for such data goes through `.for_organisation(org)` or an `access_*` function
(see `access.py`), so one enterprise never sees another's records.

A `Membership` gives a user one role in one organisation; a person with several
roles has several memberships. People join through an `Invitation` sent by a board
member. `NeighbourhoodLink` ties the enterprise to the CBS areas (municipality,
district, neighbourhood) it works in, which the monitor later uses to compare
enterprises in priority neighbourhoods with others.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role
from .validators import CBS_CODE_REGEX

if TYPE_CHECKING:
    from wijk.accounts.models import User


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def for_user(self, user: User) -> Self:
        return self.filter(memberships__user=user).distinct()


class Organisation(models.Model):
    class LegalForm(models.TextChoices):
        FOUNDATION = "foundation", _("Foundation (stichting)")
        ASSOCIATION = "association", _("Association (vereniging)")
        COOPERATIVE = "cooperative", _("Cooperative (coöperatie)")
        OTHER = "other", _("Other")

    class TaxStatus(models.TextChoices):
        NONE = "none", _("No special status")
        ANBI = "anbi", _("ANBI (public benefit organisation)")
        SBBI = "sbbi", _("SBBI (social-interest organisation)")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in web addresses"),
        max_length=60,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens, for example de-boomgaard."),
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.FOUNDATION
    )
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    rsin = models.CharField(_("RSIN"), max_length=9, blank=True)
    tax_status = models.CharField(
        _("tax status"), max_length=10, choices=TaxStatus.choices, default=TaxStatus.NONE
    )
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("town or city"), max_length=100, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("first month of the financial year"),
        default=1,
        help_text=_("Most enterprises use the calendar year: month 1 (January)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="organisation_fiscal_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(kvk_number="") | Q(kvk_number__regex=r"^[0-9]{8}$"),
                name="organisation_kvk_format",
            ),
            models.CheckConstraint(
                condition=Q(rsin="") | Q(rsin__regex=r"^[0-9]{9}$"),
                name="organisation_rsin_format",
            ),
            models.CheckConstraint(
                condition=Q(legal_form__in=["foundation", "association", "cooperative", "other"]),
                name="organisation_legal_form_valid",
            ),
            models.CheckConstraint(
                condition=Q(tax_status__in=["none", "anbi", "sbbi"]),
                name="organisation_tax_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


_M = TypeVar("_M", bound=models.Model)


class OrganisationOwnedQuerySet(models.QuerySet[_M]):
    """Base for every queryset of enterprise-owned rows."""

    def for_organisation(self, organisation: Organisation) -> Self:
        return self.filter(organisation=organisation)


class MembershipQuerySet(OrganisationOwnedQuerySet["Membership"]):
    pass


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user__email", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class InvitationQuerySet(OrganisationOwnedQuerySet["Invitation"]):
    def open(self) -> Self:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mail invitation to take a role. Only a hash of the secret token is stored."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class NeighbourhoodLinkQuerySet(OrganisationOwnedQuerySet["NeighbourhoodLink"]):
    pass


class NeighbourhoodLink(models.Model):
    """A CBS area (municipality GM…, district WK… or neighbourhood BU…) the enterprise serves."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="neighbourhoods"
    )
    code = models.CharField(_("CBS code"), max_length=10)
    name = models.CharField(_("name"), max_length=120, blank=True)
    is_priority_area = models.BooleanField(
        _("priority neighbourhood"),
        default=False,
        help_text=_(
            "A neighbourhood with an accumulation of social problems "
            "(aandachtswijk, krachtwijk or focus area)."
        ),
    )

    objects = NeighbourhoodLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="neighbourhood_link_unique"
            ),
            models.CheckConstraint(
                condition=Q(code__regex=CBS_CODE_REGEX), name="neighbourhood_code_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def level(self) -> str:
        labels = {"GM": _("municipality"), "WK": _("district"), "BU": _("neighbourhood")}
        return str(labels[self.code[:2]])
