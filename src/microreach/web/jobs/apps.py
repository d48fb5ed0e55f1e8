from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "microreach.web.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from microreach.web.home import register_dashboard_section
        from microreach.web.jobs import dashboard, tasks  # noqa: F401  (registers the job handlers)

        register_dashboard_section(dashboard.sections)
