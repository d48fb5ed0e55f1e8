"""Prepare the load test's installation: the demo (``microreach demo``'s data: simulated world, demo users,
audits, search, campaigns) on the database the environment names, then write what the scripted users need
to a JSON file — handles to open, searches to run, the brand's campaigns with applicants, the briefs open
to the demo creator, an API token of the brand.

Run by ``run_load.py`` in the app's environment (``DJANGO_SETTINGS_MODULE``, ``MICROREACH_DATA_DIR``,
``DATABASE_URL``): ``python benchmarks/load/prepare.py CREATORS TARGETS.json``. A second run on the same
data only checks (as the demo's second start does) and makes a new token.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console

SEARCHES = ["", "cuisine", "voyage", "mode", "sport", "beauté", "vegan", "paris", "famille", "tech"]


def main(creators: int, targets_path: Path) -> None:
    from microreach.cli.django_setup import setup_django
    from microreach.cli.runtime import DEMO_PASSWORD, _ensure_demo_users, _migrate

    setup_django()
    from microreach.web import demo_data
    from microreach.web.accounts.contracts import tenant_for
    from microreach.web.accounts.models import Membership, User
    from microreach.web.accounts.services import api_token_create
    from microreach.web.campaigns.models import Application, Campaign
    from microreach.web.campaigns.selectors import creator_feed
    from microreach.web.creators.models import SocialAccount

    console = Console(stderr=True)
    _migrate()
    _ensure_demo_users()
    brand_user = User.objects.get(username="brand")
    creator_user = User.objects.get(username="creator")
    brand_id = Membership.objects.filter(user=brand_user).values_list("organisation_id", flat=True).first()
    prepared = demo_data.demo_prepare(
        creators=creators,
        brand_id=brand_id,
        creator_user_id=creator_user.pk,
        today=date.today() - timedelta(days=1),
        console=console,
    )
    if prepared.failed:
        raise SystemExit("the demo failed to prepare: " + "; ".join(prepared.failed))
    handles = list(SocialAccount.objects.order_by("-followers").values_list("network", "handle", "id")[:300])
    applications: dict[int, list[int]] = {}
    for campaign_id, application_id in Application.objects.filter(
        campaign__organisation_id=brand_id
    ).values_list("campaign_id", "id"):
        applications.setdefault(campaign_id, []).append(application_id)
    with_applicants = [{"campaign": c, "applications": ids} for c, ids in sorted(applications.items())]
    feed = creator_feed(tenant=tenant_for(creator_user))
    briefs = [
        {"campaign": item.campaign.pk, "accounts": [a.account_id for a in item.fitting_accounts]}
        for item in feed
    ]
    _token, raw = api_token_create(user=brand_user, name="load test")
    targets = {
        "password": DEMO_PASSWORD,
        "brand": "brand",
        "creator": "creator",
        "accounts": [{"network": n, "handle": h, "id": i} for n, h, i in handles],
        "searches": SEARCHES,
        "campaigns": with_applicants
        or [
            {"campaign": pk, "applications": []}
            for pk in Campaign.objects.filter(organisation_id=brand_id).values_list("pk", flat=True)
        ],
        "briefs": briefs,
        "api_token": raw,
    }
    targets_path.write_text(json.dumps(targets, indent=1), encoding="utf-8")
    console.print(
        f"load targets: {len(handles)} accounts, {len(targets['campaigns'])} campaigns with applicants, "
        f"{len(briefs)} open briefs"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
