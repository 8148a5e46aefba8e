from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "wijk.guide"
    label = "guide"
    verbose_name = _("Guide")

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        from . import signals

        post_migrate.connect(signals.index_after_migrate, sender=self)
        checks.register(signals.check_content, "wijk")
