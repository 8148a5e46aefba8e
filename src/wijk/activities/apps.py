from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "wijk.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from wijk.community.privacy import register_blocker
        from wijk.core.report_registry import CommandReport, register

        from . import selectors, services

        register_blocker(services.open_registrations_blocker)
        register(
            "activities",
            CommandReport(
                build=selectors.activity_year_command_report,
                formats=("csv",),
                help="A row per activity: sessions, participants and volunteer hours in a year.",
            ),
        )
