from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "microreach.web.discovery"
    label = "discovery"
    verbose_name = _("Discovery")

    def ready(self) -> None:
        from microreach.web.audits.contracts import on_audits_stored
        from microreach.web.creators.contracts import on_data_changed
        from microreach.web.discovery import dashboard, services, tasks  # noqa: F401  (registers the job handler)
        from microreach.web.discovery.audit_figures import figures_from_audits, refresh_after_audits
        from microreach.web.discovery.contracts import audit_figures_provider_register
        from microreach.web.home import register_dashboard_section, register_nav_item

        on_data_changed("discovery.refresh", services.search_refresh_schedule)
        on_audits_stored("discovery.refresh", refresh_after_audits)
        audit_figures_provider_register("audits", figures_from_audits)
        register_dashboard_section(dashboard.sections)
        register_nav_item(dashboard.nav)
