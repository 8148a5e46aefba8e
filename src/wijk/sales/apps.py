from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "wijk.sales"
    label = "sales"
    verbose_name = _("Sales invoices")

    def ready(self) -> None:
        from wijk.banking.matching import register_match_source, register_matcher
        from wijk.community.privacy import register_blocker

        from .matching import invoice_match_source, match_invoice_payments
        from .selectors import person_open_invoices_reason

        # A person who still owes money on an invoice is not anonymised.
        register_blocker(person_open_invoices_reason)

        # An imported bank statement books the payments of open invoices by itself;
        # the treasurer matches what is left by hand on the reconciliation page.
        register_matcher(match_invoice_payments)
        register_match_source(invoice_match_source)
