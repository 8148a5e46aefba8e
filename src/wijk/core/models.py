"""The audit log: who did what, when, in which organisation.

Every service that changes data writes one `AuditEvent` inside its own transaction,
so the log and the change commit or roll back together. Events are only ever added.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def description(self) -> str:
        """A plain sentence for people; unknown actions fall back to their code."""
        template = ACTION_DESCRIPTIONS.get(self.action)
        if template is None:
            return self.action
        values = {key: str(value) for key, value in (self.data or {}).items()}
        if "role" in values:
            from wijk.organisations.roles import Role

            values["role"] = str(dict(Role.choices).get(values["role"], values["role"])).lower()
        try:
            return str(template) % values
        except (KeyError, ValueError, TypeError):
            return str(template).split("%")[0].strip()


# Descriptions of audit actions, shown in the activity log. Each capability adds its own.
ACTION_DESCRIPTIONS: dict[str, Any] = {
    "organisation.create": _("Organisation created."),
    "organisation.update": _("Organisation details changed."),
    "neighbourhood.add": _("Neighbourhood %(code)s linked."),
    "neighbourhood.remove": _("Neighbourhood %(code)s removed."),
    "membership.add": _("%(user)s became %(role)s."),
    "membership.end": _("%(user)s is no longer %(role)s."),
    "invitation.create": _("%(email)s invited as %(role)s."),
    "invitation.revoke": _("Invitation for %(email)s withdrawn."),
    "invitation.accept": _("%(email)s accepted the invitation as %(role)s."),
    "ledger.setup": _("Books set up with %(accounts)s accounts."),
    "account.create": _("Account %(number)s added."),
    "fund.create": _("Fund %(name)s added."),
    "fiscal_year.create": _("Fiscal year %(year)s opened."),
    "fiscal_year.close": _("Fiscal year %(year)s closed."),
    "period.close": _("Month %(month)s closed."),
    "entry.create": _("Entry saved as draft."),
    "entry.delete_draft": _("Draft entry deleted."),
    "entry.post": _("Entry %(number)s posted."),
    "budget.set": _("Budget for account %(account)s set for %(year)s: %(amount)s."),
    "building.create": _("Building %(name)s added."),
    "building.update": _("Building %(name)s changed."),
    "activity.create": _("Activity %(name)s added."),
    "activity.update": _("Activity %(name)s changed."),
    "bank_account.create": _("Bank account %(iban)s added."),
    "statement.import": _(
        "Bank statement %(file)s imported: %(imported)s new lines, %(already_present)s already present."
    ),
    "bank_line.book": _("Bank line of %(counterparty)s (%(amount)s) booked."),
    "bank_line.book_bulk": _("%(count)s bank lines booked to account %(account)s."),
    "bank_line.book_by_rules": _("%(count)s bank lines booked by rules."),
    "booking_rule.create": _("Booking rule %(rule)s added (account %(account)s)."),
    "network_analyst.add": _("%(email)s became network analyst."),
    "network_analyst.remove": _("%(email)s is no longer network analyst."),
}


def audit_record(
    *,
    action: str,
    actor: Any = None,
    organisation: Any = None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one event. Call it inside the service's transaction."""
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )
