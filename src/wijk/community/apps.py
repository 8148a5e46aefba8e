from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "wijk.community"
    label = "community"
    verbose_name = _("People")

    def ready(self) -> None:
        from wijk.activities.selectors import VOLUNTEER_MINUTES_PROVIDERS

        from .privacy import register_blocker
        from .selectors import volunteer_minutes_by_activity
        from .shares import person_shares_reason

        # A member whose shares are not redeemed is owed money by the cooperative.
        register_blocker(person_shares_reason)

        if volunteer_minutes_by_activity not in VOLUNTEER_MINUTES_PROVIDERS:
            VOLUNTEER_MINUTES_PROVIDERS.append(volunteer_minutes_by_activity)
