from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "wijk.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from wijk.community.privacy import register_blocker
        from wijk.core.reports import CommandReport, register_command_report

        from . import selectors, services

        register_blocker(services.open_registrations_blocker)
        register_command_report(
            "activities",
            CommandReport(
                build_csv=lambda organisation, year: selectors.activity_year_csv(
                    organisation=organisation, year=year
                ),
                help="A row per activity: sessions, participants and volunteer hours in a year.",
            ),
        )
