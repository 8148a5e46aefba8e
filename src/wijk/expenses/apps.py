from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpensesConfig(AppConfig):
    name = "wijk.expenses"
    label = "expenses"
    verbose_name = _("Expense claims")

    def ready(self) -> None:
        from wijk.banking.matching import register_match_source, register_matcher
        from wijk.community.privacy import register_blocker

        from .matching import claim_match_source, match_claim_payments
        from .selectors import person_open_claims_reason

        # An imported bank statement books the payout of an approved claim by itself;
        # the treasurer matches what is left by hand on the reconciliation page.
        register_matcher(match_claim_payments)
        register_match_source(claim_match_source)

        # A person whose claim is still to be decided or paid is not anonymised.
        register_blocker(person_open_claims_reason)
