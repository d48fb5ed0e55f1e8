from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "microreach.web.reporting"
    label = "reporting"
    verbose_name = _("Reports")

    def ready(self) -> None:
        import microreach.web.reporting.tasks  # noqa: F401  (registers the job handlers)
        from microreach.web.home import register_nav_item
        from microreach.web.reporting.dashboard import nav

        register_nav_item(nav)
