from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectionsConfig(AppConfig):
    name = "microreach.web.connections"
    label = "connections"
    verbose_name = _("Connected accounts")

    def ready(self) -> None:
        from microreach.web.connections import dashboard, tasks  # noqa: F401  (job handlers)
        from microreach.web.home import register_nav_item

        register_nav_item(dashboard.nav)
