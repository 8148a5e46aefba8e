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
    "budget.set_for": _("Budget of %(for)s for account %(account)s set for %(year)s: %(amount)s."),
    "building.create": _("Building %(name)s added."),
    "building.update": _("Building %(name)s changed."),
    "space.create": _("Room %(name)s added to %(building)s."),
    "space.update": _("Room %(name)s in %(building)s changed."),
    "tariff.set": _("Tariff for %(space)s set."),
    "tariff.remove": _("Tariff for %(space)s removed."),
    "add_on.create": _("Extra %(name)s added."),
    "add_on.update": _("Extra %(name)s changed."),
    "maintenance.create": _("Maintenance of %(name)s planned for %(building)s."),
    "maintenance.update": _("Maintenance of %(name)s for %(building)s changed."),
    "booking.create": _("%(space)s booked on %(start)s for %(title)s."),
    "booking_series.create": _("%(space)s booked %(count)s times for %(title)s."),
    "booking.confirmed": _("Booking of %(space)s on %(start)s confirmed."),
    "booking.declined": _("Booking request for %(space)s on %(start)s declined."),
    "booking.cancelled": _("Booking of %(space)s on %(start)s cancelled."),
    "bookings.invoice": _("%(count)s invoices made for %(bookings)s bookings of %(month)s."),
    "activity.create": _("Activity %(name)s added."),
    "activity.update": _("Activity %(name)s changed."),
    "ledger.import_opening": _("Opening balance %(year)s imported from %(file)s: %(total)s."),
    "ledger.import_xaf": _("Audit file %(file)s imported: %(entries)s entries."),
    "expense_claim.submit": _("Expense claim %(claim)s submitted: %(amount)s."),
    "expense_claim.approve": _("Expense claim %(claim)s approved as %(role)s."),
    "expense_claim.reject": _("Expense claim %(claim)s rejected: %(reason)s"),
    "expense_claim.post": _("Expense claim %(claim)s posted in the books."),
    "expense_claim.pay": _("Expense claim %(claim)s paid: %(amount)s."),
    "expense_policy.update": _("Second approval for expense claims now above %(threshold)s."),
    "customer.create": _("Customer %(name)s added."),
    "customer.update": _("Customer %(name)s changed."),
    "sales_settings.update": _("Invoice settings changed."),
    "invoice.create": _("Draft invoice for %(customer)s saved."),
    "invoice.update": _("Draft invoice for %(customer)s changed."),
    "invoice.delete_draft": _("Draft invoice for %(customer)s deleted."),
    "invoice.send": _("Invoice %(number)s sent and posted: %(amount)s."),
    "invoice.email": _("Invoice %(number)s e-mailed to %(email)s."),
    "invoice.email_failed": _("Invoice %(number)s could not be e-mailed to %(email)s."),
    "invoice.credit": _("Credit note %(number)s made for invoice %(original)s."),
    "invoice.payment": _("Payment of %(amount)s registered for invoice %(number)s."),
    "person.create": _("Person %(id)s added."),
    "person.update": _("Details of person %(id)s changed."),
    "person.anonymise": _("Person %(id)s anonymised."),
    "consent.given": _("Person %(id)s gave consent for %(purpose)s."),
    "consent.withdrawn": _("Person %(id)s did not give or withdrew consent for %(purpose)s."),
    "session.create": _("Session of %(name)s on %(date)s added."),
    "session.update": _("Session of %(name)s on %(date)s changed."),
    "registration.add": _("Person %(id)s registered for %(name)s on %(date)s."),
    "registration.remove": _("Registration of person %(id)s for %(name)s on %(date)s removed."),
    "hours.log": _("%(minutes)s volunteer minutes of person %(id)s on %(date)s logged."),
    "hours.delete": _("%(minutes)s volunteer minutes of person %(id)s on %(date)s removed."),
    "allowance.record": _("Volunteer allowance of %(amount)s for person %(id)s recorded."),
    "decision.record": _("Decision of %(date)s recorded."),
    "job.create": _("Job %(name)s added."),
    "partner.create": _("Partner %(name)s added."),
    "contract.create": _("Contract %(name)s with %(partner)s added."),
    "deadline.add": _("Deadline of %(date)s added to %(name)s."),
    "deadline.done": _("Deadline of %(date)s of %(name)s done."),
    "customer.create_for_person": _("Customer made for person %(id)s."),
    "customer.purge": _("Details of customer %(id)s purged after the retention period."),
    "membership_fees.invoice": _("%(count)s membership fees of %(year)s invoiced (%(amount)s)."),
    "shares.issue": _("%(count)s shares issued to person %(id)s."),
    "shares.transfer": _("%(count)s shares transferred from person %(from)s to person %(id)s."),
    "shares.redeem": _("%(count)s shares of person %(id)s redeemed."),
    "shares.correct": _("Share register line %(line)s corrected."),
    "shift.create": _("Shift %(task)s on %(date)s added."),
    "shift.signup": _("Person %(id)s signed up for the shift of %(date)s."),
    "shift.withdraw": _("Person %(id)s withdrew from the shift of %(date)s."),
    "contract.link_books": _("Contract %(name)s linked to the books."),
    "retention.purge": _("%(count)s financial records older than seven years purged."),
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
