"""Activities and services the enterprise runs.

An `Activity` is a lasting line of work (a neighbourhood restaurant, green
maintenance for the municipality, language lessons, a repair café). Ledger lines may
carry an activity as a dimension, so the books show the result of each activity.
Sessions, participant counts and volunteer hours build on this model.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
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
