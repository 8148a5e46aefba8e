from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpensesConfig(AppConfig):
    name = "wijk.expenses"
    label = "expenses"
    verbose_name = _("Expense claims")

    def ready(self) -> None:
        from wijk.community.privacy import register_blocker

        from .selectors import person_open_claims_reason

        # A person whose claim is still to be decided or paid is not anonymised.
        register_blocker(person_open_claims_reason)
