from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "microreach.web.audits"
    label = "audits"
    verbose_name = _("Audits")

    def ready(self) -> None:
        from microreach.web.audits import dashboard, tasks
        from microreach.web.creators.contracts import on_data_changed
        from microreach.web.home import register_dashboard_section

        on_data_changed("audits", tasks.on_data_changed)
        register_dashboard_section(dashboard.sections)
