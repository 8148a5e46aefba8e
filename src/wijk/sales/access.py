"""Fetching one invoice or customer, only inside the reader's organisation (else 404)."""

from __future__ import annotations

from django.http import Http404

from wijk.organisations.access import OrganisationAccess

from .models import Customer, Invoice


def access_invoice(*, access: OrganisationAccess, invoice_id: int) -> Invoice:
    try:
        return (
            Invoice.objects.for_organisation(access.organisation)
            .select_related("customer", "entry", "credit_of", "sent_by")
            .get(pk=invoice_id)
        )
    except Invoice.DoesNotExist as exc:
        raise Http404 from exc


def access_customer(*, access: OrganisationAccess, customer_id: int) -> Customer:
    try:
        return Customer.objects.for_organisation(access.organisation).get(pk=customer_id)
    except Customer.DoesNotExist as exc:
        raise Http404 from exc
