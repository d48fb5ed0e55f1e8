"""How the apps are connected, in one place: who reacts to which event, which function runs each job
kind, what the home page and the navigation show, and the providers one app asks another for.

Every entry is a dotted path, read with ``import_string`` when first needed (``events.wired`` /
``events.resolve``): this module imports no app, and no app imports it, so the wiring adds no import
cycle. Plain module, not an app; no registry is filled at start-up or by a decorator — to connect
something, add a line here (the order of a list is the order things run or show).

Names are stable: an event handler's name is reported in the result of the job that delivered the
event; a job kind is stored in the ``Job`` rows (never rename one).
"""

from __future__ import annotations

from microreach.web.events import AuditsStored, DataChanged, UserErasing

# Event type -> {handler name: "dotted.path.to.handler"}; called in this order (by name, as before).
EVENT_HANDLERS: dict[type, dict[str, object]] = {
    DataChanged: {
        "audits": "microreach.web.audits.tasks.on_data_changed",
        "discovery.refresh": "microreach.web.discovery.services.search_refresh_schedule",
    },
    AuditsStored: {
        "campaigns.figures": "microreach.web.campaigns.services.application.application_figures_after_audits",
        "discovery.refresh": "microreach.web.discovery.audit_figures.refresh_after_audits",
    },
    # in this order: the replies on the claimed accounts go before the claims do
    UserErasing: {
        "campaigns": "microreach.web.campaigns.services.personal.on_user_erasing",
        "audits": "microreach.web.audits.services.on_user_erasing",
        "connections": "microreach.web.connections.deletion.on_user_erasing",
        "creators": "microreach.web.creators.services.on_user_erasing",
        # last: the e-mails to the person (their address is read before the row is anonymised)
        "accounts.emails": "microreach.web.accounts.erasure.on_user_erasing",
    },
}

# Stored job kind -> its handler: a plain function ``(job: jobs.contracts.Job) -> dict | None`` in the
# owning app's ``tasks.py``. ``jobs.contracts.job_enqueue`` refuses a kind missing here.
JOB_HANDLERS: dict[str, object] = {
    "email.send": "microreach.web.jobs.tasks.handle_email_send",
    "creators.import": "microreach.web.creators.tasks.handle_import",
    "creators.data_changed": "microreach.web.creators.tasks.handle_data_changed",
    "audits.refresh": "microreach.web.audits.tasks.handle_refresh",
    "connections.sync": "microreach.web.connections.tasks.handle_sync",
    "connections.plan": "microreach.web.connections.tasks.handle_plan",
    "connections.youtube_recent": "microreach.web.connections.tasks.handle_youtube_recent",
    "connections.youtube_profiles": "microreach.web.connections.tasks.handle_youtube_profiles",
    "connections.revoke": "microreach.web.connections.tasks.handle_revoke",
    "campaigns.worker_pass": "microreach.web.campaigns.tasks.handle_worker_pass",
    "campaigns.figures": "microreach.web.campaigns.tasks.handle_figures",
    "campaigns.post_verify": "microreach.web.campaigns.tasks.handle_post_verify",
    "campaigns.draft_poster": "microreach.web.campaigns.tasks.handle_draft_poster",
    "campaigns.shipping_pass": "microreach.web.campaigns.tasks.handle_shipping_pass",
    "reporting.refresh": "microreach.web.reporting.tasks.handle_refresh",
    "discovery.refresh": "microreach.web.discovery.tasks.handle_refresh",
    "inbox.digest": "microreach.web.inbox.tasks.handle_digest",
}

# Providers of the home page's sections: ``(tenant) -> list[home.Section]``, shown sorted by their
# ``order`` (ties in this order).
DASHBOARD_SECTIONS: list[object] = [
    "microreach.web.inbox.dashboard.sections",
    "microreach.web.jobs.dashboard.sections",
    "microreach.web.creators.dashboard.sections",
    "microreach.web.audits.dashboard.sections",
    "microreach.web.campaigns.dashboard.sections",
    "microreach.web.discovery.dashboard.sections",
]

# Providers of the navigation: ``(tenant) -> list[home.NavItem]``, sorted by ``order`` (ties in this order).
NAV_ITEMS: list[object] = [
    "microreach.web.inbox.dashboard.nav",
    "microreach.web.creators.dashboard.nav",
    "microreach.web.connections.dashboard.nav",
    "microreach.web.campaigns.dashboard.nav",
    "microreach.web.reporting.dashboard.nav",
    "microreach.web.discovery.dashboard.nav",
]

# Actions on a shortlist's page (read by ``discovery.contracts.shortlist_actions``):
# ``(*, tenant, shortlist_id) -> list[discovery.contracts.ShortlistAction]``.
SHORTLIST_ACTIONS: list[object] = [
    "microreach.web.campaigns.dashboard.shortlist_actions",
]

# Publishers of the import format's record types that live outside the creators app (read by
# ``creators.contracts.record_publishers``): name -> a function giving its natural keys (record type -> key
# columns, in publishing order) and the publisher ``(creators.contracts.StagedRecords) -> PublishCounts``, called
# inside the import's one publishing transaction.
RECORD_PUBLISHERS: dict[str, dict[str, object]] = {
    "campaigns": {
        "natural_keys": "microreach.web.campaigns.contracts.campaign_record_keys",
        "publisher": "microreach.web.campaigns.contracts.campaign_records_publish",
    },
}

# Providers of audit figures for the search read model (read by ``discovery.contracts``):
# name -> ``(account_ids) -> Iterable[discovery.contracts.AuditFigures]``.
AUDIT_FIGURES_PROVIDERS: dict[str, object] = {
    "audits": "microreach.web.discovery.audit_figures.figures_from_audits",
}

# Accounts whose posts the connections app syncs every 15 minutes (read by
# ``connections.contracts.frequent_account_ids``): name -> ``() -> set[int]``.
FREQUENT_ACCOUNTS: dict[str, object] = {
    "campaigns": "microreach.web.campaigns.verification.running_campaign_account_ids",
}
