from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "microreach.web.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from microreach.web.audits.contracts import on_audits_stored
        from microreach.web.campaigns import dashboard, imports, services, tasks  # noqa: F401  (job handlers)
        from microreach.web.creators.contracts import register_record_publisher
        from microreach.web.home import register_dashboard_section, register_nav_item

        on_audits_stored("campaigns.figures", services.application_figures_after_audits)
        # accounts in a running campaign: their connected posts are read more often
        from microreach.web.campaigns.verification import running_campaign_account_ids
        from microreach.web.connections.contracts import on_frequent_accounts

        on_frequent_accounts("campaigns", running_campaign_account_ids)
        register_dashboard_section(dashboard.sections)
        register_nav_item(dashboard.nav)
        # The campaign side of the import format is published by this context, in the import's transaction.
        register_record_publisher(
            name="campaigns", natural_keys=imports.NATURAL_KEYS, publisher=imports.publish_campaign_records
        )
