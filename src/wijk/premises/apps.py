from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PremisesConfig(AppConfig):
    name = "wijk.premises"
    label = "premises"
    verbose_name = _("Premises")

    def ready(self) -> None:
        from wijk.community.privacy import register_blocker
        from wijk.core.report_registry import CommandReport, register

        from .occupancy import occupancy_command_report
        from .selectors import person_open_bookings_reason

        # A person with a booking still to come is not anonymised.
        register_blocker(person_open_bookings_reason)

        register(
            "occupancy",
            CommandReport(
                build=occupancy_command_report,
                formats=("csv",),
                help="Booked over available hours per room and month (calendar year).",
            ),
        )
