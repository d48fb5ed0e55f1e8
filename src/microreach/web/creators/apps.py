from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreatorsConfig(AppConfig):
    name = "microreach.web.creators"
    label = "creators"
    verbose_name = _("Creators and social data")

    def ready(self) -> None:
        from microreach.web.creators import dashboard, tasks  # noqa: F401  (registers the job handlers)
        from microreach.web.home import register_dashboard_section, register_nav_item

        register_dashboard_section(dashboard.sections)
        register_nav_item(dashboard.nav)
