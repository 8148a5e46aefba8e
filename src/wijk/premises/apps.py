from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PremisesConfig(AppConfig):
    name = "wijk.premises"
    label = "premises"
    verbose_name = _("Premises")

    def ready(self) -> None:
        from wijk.core.report_registry import CommandReport, register

        from .occupancy import occupancy_command_report

        register(
            "occupancy",
            CommandReport(
                build=occupancy_command_report,
                formats=("csv",),
                help="Booked over available hours per room and month (calendar year).",
            ),
        )
