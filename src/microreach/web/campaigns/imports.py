"""Publishing the campaign side of an import: brands, campaigns, applications, shipments, drafts,
messages, sales and campaign posts, upserted by their natural keys.

``web/wiring.py`` lists ``publish_campaign_records`` (through ``campaigns.contracts.campaign_records_publish``)
in ``RECORD_PUBLISHERS``, read by the creators import: it runs inside the import's one publishing
transaction, after accounts and posts, so a refusal here rolls the whole import back. Every row is
checked against the import and the live data — an unknown parent, a state the state machines do not
allow there — and refused with its file and line. Only changed rows are written, so importing the same
files again changes nothing. Applicants known only from the data get an inactive placeholder user
(``accounts.services.placeholder_creator_user_ensure``); shipments never carry an address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation

from microreach.core.money import CENT
from microreach.sources.columns import LIVE_TABLES, NETWORKS
from microreach.web.accounts.contracts import (
    brand_upsert,
    organisations_by_external_key,
    placeholder_creator_user_ensure,
)
from microreach.web.bounds import numeric_bounds
from microreach.web.campaigns import brief_checks, content_checks, machine
from microreach.web.campaigns.campaign_dates import DATE_FIELDS, date_problems
from microreach.web.campaigns.import_rows import UpsertCounts, changed_fields, imported_times_set
from microreach.web.campaigns.machine import A, C
from microreach.web.campaigns.models import (
    MAX_DELIVERABLE_COUNT,
    ActivityEvent,
    Application,
    Campaign,
    CampaignPost,
    ContentDraft,
    Message,
    ReviewState,
    Sale,
    Shipment,
)
from microreach.web.campaigns.services.sales import sale_commission
from microreach.web.creators.contracts import (
    CreatorAccount,
    PostRef,
    PublishCounts,
    RecordsRefused,
    RowProblem,
    StagedRecords,
    creator_accounts_by_handle,
    post_refs_by_network_id,
)

# Record type -> natural key (staged columns), in publishing order: parents first. Declared once with
# the record's columns (``sources.columns.LIVE_TABLES``).
PUBLISHING_ORDER = (
    "brand",
    "campaign",
    "application",
    "shipment",
    "draft",
    "message",
    "sale",
    "campaign_post",
)
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    record_type: LIVE_TABLES[record_type].natural_key for record_type in PUBLISHING_ORDER
}

MAX_PROBLEMS = 100
DELIVERABLE = re.compile(r"^(?P<network>[a-z]+):(?P<kind>[a-z_]+)(?::(?P<count>[1-9]\d{0,2}))?$")
# Application states in which a parcel may exist, and those it has reached the creator in.
SHIPPED_STATES = frozenset({A.SHIPPED, A.RECEIVED, A.CONTENT_SUBMITTED, A.APPROVED, A.PUBLISHED, A.NO_SHOW})
RECEIVED_STATES = frozenset({A.RECEIVED, A.CONTENT_SUBMITTED, A.APPROVED, A.PUBLISHED, A.NO_SHOW})

CampaignKey = tuple[str, str]  # brand_key, campaign_key
ApplicationKey = tuple[str, str, str, str]  # brand_key, campaign_key, network, handle


def _app_key(row: dict[str, Any]) -> ApplicationKey:
    return (row["brand_key"], row["campaign_key"], row["network"], row["handle"])


def _where(row: dict[str, Any]) -> str:
    return f"{row['network']}/@{row['handle']} in campaign {row['campaign_key']} of brand {row['brand_key']}"


@dataclass
class _Publisher:
    staged: StagedRecords
    brands: dict[str, Any] = field(default_factory=dict)  # brand_key -> Organisation
    campaigns: dict[CampaignKey, Campaign] = field(default_factory=dict)
    applications: dict[ApplicationKey, Application] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    problem_count: int = 0
    events: list[ActivityEvent] = field(default_factory=list)
    creator_users: dict[str, int] = field(default_factory=dict)

    # --- shared ---------------------------------------------------------------------------------

    def refuse(self, row: dict[str, Any], field_name: str, code: str, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(RowProblem(str(row["file"]), int(row["line"]), field_name, code, reason))

    def stop_if_refused(self, record_type: str) -> None:
        if self.problem_count:
            raise RecordsRefused(record_type, self.problems, self.problem_count)

    def event(
        self, campaign: Campaign, name: str, *, application: Application | None = None, **data: Any
    ) -> None:
        self.events.append(
            ActivityEvent(
                organisation_id=campaign.organisation_id,
                campaign=campaign,
                application_id_ref=application.pk if application else None,
                event=name,
                data={"batch": self.staged.batch_id, **data},
            )
        )

    def brand_for(self, keys: Iterable[str]) -> None:
        missing = sorted({k for k in keys if k not in self.brands})
        if missing:
            self.brands.update(organisations_by_external_key(keys=missing))

    def campaign_for(self, keys: Iterable[CampaignKey]) -> None:
        wanted = {k for k in keys if k not in self.campaigns}
        if not wanted:
            return
        self.brand_for(b for b, _c in wanted)
        by_org = {self.brands[b].pk: b for b, _c in wanted if b in self.brands}
        live = Campaign.objects.filter(
            organisation_id__in=list(by_org), external_key__in=sorted({c for _b, c in wanted})
        )
        for campaign in live:
            key = (by_org[campaign.organisation_id], campaign.external_key)
            if key in wanted:
                self.campaigns[key] = campaign

    def resolve_campaign(self, row: dict[str, Any]) -> Campaign | None:
        campaign = self.campaigns.get((row["brand_key"], row["campaign_key"]))
        if campaign is None:
            self.refuse(
                row,
                "campaign_key",
                "unknown_parent",
                f"no campaign {row['campaign_key']} of brand {row['brand_key']} in microreach or in this import",
            )
        return campaign

    def application_for(self, rows: list[dict[str, Any]]) -> None:
        """Load the live applications the rows name (those of this import are already known)."""
        wanted = {_app_key(r) for r in rows} - set(self.applications)
        if not wanted:
            return
        self.campaign_for((b, c) for b, c, _n, _h in wanted)
        accounts = creator_accounts_by_handle(keys={(n, h) for _b, _c, n, h in wanted})
        pairs = {}
        for key in wanted:
            campaign = self.campaigns.get(key[:2])
            account = accounts.get(key[2:])
            if campaign is not None and account is not None:
                pairs[(campaign.pk, account.account_id)] = key
        live = Application.objects.filter(
            campaign_id__in=sorted({c for c, _a in pairs}), account_id__in=sorted({a for _c, a in pairs})
        ).select_related("campaign")
        for app in live:
            found = pairs.get((app.campaign_id, app.account_id))
            if found is not None:
                self.applications[found] = app

    def resolve_application(self, row: dict[str, Any]) -> Application | None:
        app = self.applications.get(_app_key(row))
        if app is None:
            self.refuse(
                row,
                "handle",
                "unknown_parent",
                f"no application of {_where(row)} in microreach or in this import",
            )
        return app

    def require_state(
        self, row: dict[str, Any], app: Application, allowed: frozenset[str], what: str
    ) -> bool:
        if app.state in allowed:
            return True
        self.refuse(
            row,
            "handle",
            "inconsistent_state",
            f"the application of {_where(row)} is {app.state}: {what}",
        )
        return False

    # --- brands -----------------------------------------------------------------------------------

    def publish_brands(self) -> UpsertCounts:
        counts = UpsertCounts()
        for row in self.staged.rows("brand"):
            counts.rows += 1
            org, outcome = brand_upsert(
                external_key=row["brand_key"],
                name=row["name"],
                country=row["country"],
                currency=row["currency"],
                jurisdictions=list(row["jurisdictions"]),
            )
            self.brands[row["brand_key"]] = org
            counts.add(outcome)
        return counts

    # --- campaigns --------------------------------------------------------------------------------

    def _deliverables(self, row: dict[str, Any]) -> list[dict[str, Any]] | None:
        out = []
        for item in row["deliverables"]:
            found = DELIVERABLE.match(item)
            if found is None or found["network"] not in NETWORKS:
                self.refuse(
                    row,
                    "deliverables",
                    "bad_format",
                    f"{item!r} is not network:kind:count (instagram:reel:1), with a known network",
                )
                return None
            count = int(found["count"] or 1)
            if count > MAX_DELIVERABLE_COUNT:
                self.refuse(
                    row,
                    "deliverables",
                    "out_of_range",
                    f"{item!r} asks for more than {MAX_DELIVERABLE_COUNT}",
                )
                return None
            out.append({"network": found["network"], "kind": found["kind"], "count": count})
        return out

    def _campaign_values(self, row: dict[str, Any], org: Any) -> dict[str, Any] | None:
        deliverables = self._deliverables(row)
        ok = deliverables is not None
        # The dates' rules of the campaign service and the wizard (one home), in the same words; an import
        # records past campaigns too, so a ship-by date is judged for its order, not against today.
        for problem in date_problems(**{name: row[name] for name in DATE_FIELDS}, today=None):
            self.refuse(row, problem.field, str(problem.code), problem.message)
            ok = False
        # Each number within its live field's bounds (web.bounds: digits and validators of the model):
        # the file format only knows the kind (an amount, a small integer), the model what is allowed.
        for name, bounds in numeric_bounds(Campaign).items():
            value = row.get(name)
            if value is not None and not bounds.contains(value):
                self.refuse(row, name, "out_of_range", f"{value} is outside [{bounds.lower}, {bounds.upper}]")
                ok = False
        if not ok:
            return None
        products = []
        if row["product_name"]:
            value = (row["product_value"] or Decimal("0")).quantize(CENT)
            products.append(
                {
                    "name": row["product_name"],
                    "unit_value": str(value),
                    "variants": list(row["product_variants"]),
                }
            )

        def lower(name: str) -> list[str]:
            return [str(v).strip().lower() for v in row[name]]

        def upper(name: str) -> list[str]:
            return [str(v).strip().upper() for v in row[name]]

        values: dict[str, Any] = {
            "title": row["title"],
            "what_to_say": row["what_to_say"],
            "what_not_to_say": row["what_not_to_say"],
            "mandatory_mentions": [str(v).strip().lstrip("@") for v in row["mandatory_mentions"]],
            "mandatory_hashtags": [str(v).strip().lstrip("#") for v in row["mandatory_hashtags"]],
            "tone": row["tone"],
            "examples": "",
            "products": products,
            "deliverables": deliverables,
            "compensation": row["compensation"],
            "fee": row["fee"],
            "commission_rate": row["commission_rate"],
            "networks": lower("networks"),
            "tiers": lower("tiers"),
            "topics": lower("topics"),
            "countries": upper("countries"),
            "languages": lower("languages"),
            "min_quality_score": None
            if row["min_quality_score"] is None
            else float(row["min_quality_score"]),
            "max_fake_share": row["max_fake_share"],
            "creators_wanted": row["creators_wanted"],
            "applications_close_on": row["applications_close_on"],
            "ship_by": row["ship_by"],
            "publication_start": row["publication_start"],
            "publication_end": row["publication_end"],
            "min_days_online": row["min_days_online"],
            "review_days": row["review_days"],
            "auto_approve": row["auto_approve"],
            "jurisdictions": upper("jurisdictions") or list(org.default_jurisdictions or []),
            "currency": (row["currency"] or org.currency or "EUR").upper(),
            "budget": row["budget"],
            "state": row["state"],
            "published_at": row["published_at"],
            "ended_at": row["ended_at"],
        }
        if row["created_at"] is not None:
            values["created_at"] = row["created_at"]
        # the texts and codes of a brief are checked as the campaign service checks them (one home)
        values, brief_problems = brief_checks.brief_clean(
            values, stored=self.campaigns.get((row["brand_key"], row["campaign_key"]))
        )
        for brief_problem in brief_problems:
            self.refuse(row, brief_problem.field, str(brief_problem.code), brief_problem.message)
        return None if brief_problems else values

    def publish_campaigns(self) -> UpsertCounts:
        counts = UpsertCounts()
        rows = self.staged.rows("campaign")
        self.campaign_for((r["brand_key"], r["campaign_key"]) for r in rows)
        new: list[tuple[Campaign, dict[str, Any]]] = []
        for row in rows:
            counts.rows += 1
            org = self.brands.get(row["brand_key"])
            if org is None:
                self.refuse(
                    row,
                    "brand_key",
                    "unknown_parent",
                    f"no brand {row['brand_key']} in microreach or in this import",
                )
                continue
            if org.kind == "creator":
                self.refuse(row, "brand_key", "not_allowed", f"{row['brand_key']} is a creator, not a brand")
                continue
            values = self._campaign_values(row, org)
            if values is None:
                continue
            key = (row["brand_key"], row["campaign_key"])
            campaign = self.campaigns.get(key)
            if campaign is None:
                created_at = values.pop("created_at", None)
                campaign = Campaign(organisation_id=org.pk, external_key=row["campaign_key"], **values)
                new.append((campaign, {"created_at": created_at}))
                self.campaigns[key] = campaign
                counts.inserted += 1
                continue
            previous = campaign.state
            changed = changed_fields(campaign, values)
            if not changed:
                counts.unchanged += 1
                continue
            campaign.save(update_fields=changed)
            counts.updated += 1
            if previous != campaign.state:
                self.event(campaign, "campaign.imported", state=campaign.state, previous=previous)
        self.stop_if_refused("campaign")
        Campaign.objects.bulk_create([c for c, _fix in new])
        imported_times_set(Campaign, new)
        for campaign, _fix in new:
            self.event(campaign, "campaign.imported", state=campaign.state)
        return counts

    # --- applications -------------------------------------------------------------------------------

    def _creator_user(self, account: CreatorAccount) -> int:
        has_creator = account.creator_key is not None
        if has_creator and account.claimed_by_id:
            return int(account.claimed_by_id)
        key = (
            account.creator_key if account.creator_key is not None else f"{account.network}:{account.handle}"
        )
        if key not in self.creator_users:
            self.creator_users[key] = placeholder_creator_user_ensure(
                key=key,
                name=account.creator_name if has_creator else account.handle,
                country=account.creator_country if has_creator else account.country,
            )
        return self.creator_users[key]

    def publish_applications(self) -> UpsertCounts:
        counts = UpsertCounts()
        rows = self.staged.rows("application")
        self.application_for(rows)
        accounts = creator_accounts_by_handle(keys={(r["network"], r["handle"]) for r in rows})
        new: list[tuple[Application, dict[str, Any]]] = []
        for row in rows:
            counts.rows += 1
            campaign = self.resolve_campaign(row)
            account = accounts.get((row["network"], row["handle"]))
            if account is None:
                self.refuse(
                    row,
                    "handle",
                    "unknown_parent",
                    f"no account {row['network']}/@{row['handle']} in microreach or in this import",
                )
            if campaign is None or account is None:
                continue
            if campaign.state == C.DRAFT:
                self.refuse(
                    row,
                    "state",
                    "inconsistent_state",
                    f"campaign {row['campaign_key']} is a draft: nobody can apply yet",
                )
                continue
            if row["state"] in machine.ACCEPTED_STATES and row["accepted_at"] is None:
                self.refuse(
                    row,
                    "accepted_at",
                    "missing_value",
                    f"an application in state {row['state']} was accepted",
                )
                continue
            values = {
                "pitch": row["pitch"],
                "proposed_fee": row["proposed_fee"],
                "agreed_fee": row["agreed_fee"],
                "promo_code": row["promo_code"],
                "tracking_link": row["tracking_link"],
                "state": row["state"],
                "brief_accepted_at": row["applied_at"],
                "accepted_at": row["accepted_at"],
            }
            key = _app_key(row)
            app = self.applications.get(key)
            if app is None:
                app = Application(
                    organisation_id=campaign.organisation_id,
                    campaign=campaign,
                    account_id=account.account_id,
                    creator_user_id=self._creator_user(account),
                    followers=account.followers,
                    **values,
                )
                new.append((app, {"created_at": row["applied_at"]}))
                self.applications[key] = app
                counts.inserted += 1
                continue
            previous = app.state
            changed = changed_fields(app, values)
            if not changed:
                counts.unchanged += 1
                continue
            app.save(update_fields=[*changed, "updated_at"])
            counts.updated += 1
            if previous != app.state:
                self.event(
                    app.campaign, "application.imported", application=app, state=app.state, previous=previous
                )
        self.stop_if_refused("application")
        Application.objects.bulk_create([a for a, _fix in new], batch_size=500)
        imported_times_set(Application, new)
        for app, _fix in new:
            self.event(app.campaign, "application.imported", application=app, state=app.state)
        if new:
            from microreach.web.campaigns.services.application import application_figures_refresh

            application_figures_refresh(application_ids=[a.pk for a, _fix in new])
        return counts

    # --- what hangs off an application ------------------------------------------------------------

    def publish_children(
        self,
        record_type: str,
        model: type[models.Model],
        existing: Callable[[list[int]], dict[Any, Any]],
        build: Callable[[dict[str, Any], Application], tuple[Any, dict[str, Any], dict[str, Any]] | None],
    ) -> UpsertCounts:
        """Upsert rows that hang off an application: ``build`` checks a row and gives its key in
        ``existing``, its values and the timestamps Django would overwrite on insert (or None)."""
        counts = UpsertCounts()
        rows = self.staged.rows(record_type)
        self.application_for(rows)
        resolved = [(row, self.resolve_application(row)) for row in rows]
        live = existing(sorted({app.pk for _row, app in resolved if app is not None}))
        new: list[tuple[Any, dict[str, Any]]] = []
        seen: set[Any] = set()
        for row, app in resolved:
            counts.rows += 1
            if app is None:
                continue
            built = build(row, app)
            if built is None:
                continue
            key, values, fix = built
            if key in seen:
                # Two import keys naming one row (a handle written in two cases): the last one wins.
                counts.rows -= 1
                continue
            seen.add(key)
            obj = live.get(key)
            if obj is None:
                obj = model(organisation_id=app.organisation_id, **values)
                new.append((obj, fix))
                counts.inserted += 1
                continue
            changed = changed_fields(obj, {**values, **{k: v for k, v in fix.items() if v is not None}})
            if not changed:
                counts.unchanged += 1
                continue
            obj.save(update_fields=changed)
            counts.updated += 1
        self.stop_if_refused(record_type)
        model.objects.bulk_create([obj for obj, _fix in new], batch_size=500)
        imported_times_set(model, new)
        return counts

    def shipment(
        self, row: dict[str, Any], app: Application
    ) -> tuple[Any, dict[str, Any], dict[str, Any]] | None:
        if not self.require_state(
            row, app, machine.ACCEPTED_STATES, "only an accepted application has a parcel"
        ):
            return None
        if row["shipped_at"] is not None and app.state not in SHIPPED_STATES:
            self.require_state(
                row, app, SHIPPED_STATES, "its parcel cannot have left (shipped_at must be empty)"
            )
            return None
        if row["received_at"] is not None:
            if row["shipped_at"] is None or row["received_at"] < row["shipped_at"]:
                self.refuse(
                    row, "received_at", "inconsistent_state", "a parcel is received after it is shipped"
                )
                return None
            if not self.require_state(row, app, RECEIVED_STATES, "its parcel cannot have been received"):
                return None
        values = {
            "application_id": app.pk,
            "variant": row["variant"],
            "carrier": row["carrier"],
            "tracking_number": row["tracking_number"],
            "cost": row["cost"],
            "shipped_at": row["shipped_at"],
            "received_at": row["received_at"],
        }
        return app.pk, values, {}

    def draft(
        self, row: dict[str, Any], app: Application
    ) -> tuple[Any, dict[str, Any], dict[str, Any]] | None:
        if not self.require_state(
            row, app, machine.ACCEPTED_STATES, "only an accepted creator submits content"
        ):
            return None
        if row["version"] < 1:
            self.refuse(row, "version", "out_of_range", "versions start at 1")
            return None
        campaign = app.campaign
        # Stored check messages are worded in the installation's language, whoever runs the import.
        with translation.override(settings.LANGUAGE_CODE):
            items = content_checks.draft_checks(
                caption=row["caption"],
                jurisdictions=list(campaign.jurisdictions),
                mandatory_mentions=list(campaign.mandatory_mentions),
                mandatory_hashtags=list(campaign.mandatory_hashtags),
                declared_retouched=row["declared_retouched"],
                declared_virtual=row["declared_virtual"],
            )
        status = content_checks.check_status(items)
        if row["review_state"] == ReviewState.APPROVED and status == content_checks.ERROR:
            codes = ", ".join(sorted({i.code for i in items if i.severity == content_checks.ERROR}))
            self.refuse(
                row,
                "review_state",
                "inconsistent_state",
                f"the draft fails the brief and disclosure checks ({codes}): it cannot be approved",
            )
            return None
        values = {
            "application_id": app.pk,
            "deliverable": row["deliverable"],
            "version": row["version"],
            "caption": row["caption"],
            "link": row["link"],
            "planned_for": row["planned_for"],
            "declared_retouched": row["declared_retouched"],
            "declared_virtual": row["declared_virtual"],
            "checks": content_checks.as_json(items),
            "check_status": status,
            "review_state": row["review_state"],
            "review_comment": row["review_comment"],
            "brand_confirmed_wording": row["review_state"] == ReviewState.APPROVED
            and status == content_checks.CONFIRM,
            "reviewed_at": row["reviewed_at"],
        }
        return (app.pk, row["deliverable"], row["version"]), values, {"submitted_at": row["submitted_at"]}

    def message(self, row: dict[str, Any], app: Application) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        from_brand = row["author"] == "brand"
        values = {
            "application_id": app.pk,
            "from_brand": from_brand,
            "author_id": None if from_brand else app.creator_user_id,
            "body": row["body"],
        }
        return (app.pk, from_brand, row["sent_at"]), values, {"created_at": row["sent_at"]}

    def campaign_post(
        self, row: dict[str, Any], app: Application, posts: dict[tuple[int, str], PostRef]
    ) -> tuple[Any, dict[str, Any], dict[str, Any]] | None:
        if not self.require_state(
            row, app, frozenset({A.PUBLISHED}), "only a published application has posts"
        ):
            return None
        post = posts.get((app.account_id, row["network_post_id"]))
        if post is None:
            self.refuse(
                row,
                "network_post_id",
                "unknown_parent",
                f"no post {row['network_post_id']} of {row['network']}/@{row['handle']} in microreach or in this import",
            )
            return None
        url = (
            row["url"]
            or post.url
            or f"https://{row['network']}.invalid/{row['handle']}/{row['network_post_id']}"
        )
        values = {
            "application_id": app.pk,
            "post_id": post.post_id,
            "deliverable": row["deliverable"],
            "url": url,
            "published_at": row["published_at"] or post.published_at,
            "removed_at": row["removed_at"],
        }
        return (app.pk, post.post_id), values, {}

    # --- sales ------------------------------------------------------------------------------------

    def publish_sales(self) -> UpsertCounts:
        counts = UpsertCounts()
        rows = self.staged.rows("sale")
        self.campaign_for((r["brand_key"], r["campaign_key"]) for r in rows)
        campaign_ids = sorted({c.pk for c in self.campaigns.values() if c.pk is not None})
        codes = {
            (a.campaign_id, a.promo_code.upper()): a.pk
            for a in Application.objects.filter(campaign_id__in=campaign_ids).exclude(promo_code="")
        }
        live = {(s.campaign_id, s.order_ref): s for s in Sale.objects.filter(campaign_id__in=campaign_ids)}
        new: list[Sale] = []
        for row in rows:
            counts.rows += 1
            campaign = self.resolve_campaign(row)
            if campaign is None:
                continue
            if row["currency"] and row["currency"].upper() != campaign.currency:
                self.refuse(
                    row,
                    "currency",
                    "not_allowed",
                    f"the amount is in {row['currency']} but campaign {row['campaign_key']} counts in {campaign.currency}",
                )
                continue
            code = row["promo_code"].upper()
            values = {
                "application_id": codes.get((campaign.pk, code)),
                "promo_code": code,
                "amount": row["amount"],
                "commission": sale_commission(
                    amount=row["amount"], rate=campaign.commission_rate, currency=campaign.currency
                ),
                "sold_on": row["ordered_at"].date(),
            }
            sale = live.get((campaign.pk, row["order_ref"]))
            if sale is None:
                sale = Sale(
                    organisation_id=campaign.organisation_id,
                    campaign=campaign,
                    order_ref=row["order_ref"],
                    **values,
                )
                live[(campaign.pk, row["order_ref"])] = sale
                new.append(sale)
                counts.inserted += 1
                continue
            changed = changed_fields(sale, values)
            if changed:
                sale.save(update_fields=changed)
                counts.updated += 1
            else:
                counts.unchanged += 1
        self.stop_if_refused("sale")
        Sale.objects.bulk_create(new, batch_size=500)
        return counts

    # --- all --------------------------------------------------------------------------------------

    def run(self) -> PublishCounts:
        present = self.staged.record_types
        out: PublishCounts = {}
        if "brand" in present:
            out["brand"] = self.publish_brands().as_dict()
        if "campaign" in present:
            out["campaign"] = self.publish_campaigns().as_dict()
        if "application" in present:
            out["application"] = self.publish_applications().as_dict()
        if "shipment" in present:
            out["shipment"] = self.publish_children(
                "shipment",
                Shipment,
                lambda ids: {s.application_id: s for s in Shipment.objects.filter(application_id__in=ids)},
                self.shipment,
            ).as_dict()
        if "draft" in present:
            out["draft"] = self.publish_children(
                "draft",
                ContentDraft,
                lambda ids: {
                    (d.application_id, d.deliverable, d.version): d
                    for d in ContentDraft.objects.filter(application_id__in=ids)
                },
                self.draft,
            ).as_dict()
        if "message" in present:
            out["message"] = self.publish_children(
                "message",
                Message,
                lambda ids: {
                    (m.application_id, m.from_brand, m.created_at): m
                    for m in Message.objects.filter(application_id__in=ids)
                },
                self.message,
            ).as_dict()
        if "sale" in present:
            out["sale"] = self.publish_sales().as_dict()
        if "campaign_post" in present:
            rows = self.staged.rows("campaign_post")
            self.application_for(rows)
            posts = post_refs_by_network_id(
                keys={
                    (app.account_id, r["network_post_id"])
                    for r in rows
                    if (app := self.applications.get(_app_key(r))) is not None
                }
            )
            out["campaign_post"] = self.publish_children(
                "campaign_post",
                CampaignPost,
                lambda ids: {
                    (p.application_id, p.post_id): p
                    for p in CampaignPost.objects.filter(application_id__in=ids)
                },
                lambda row, app: self.campaign_post(row, app, posts),
            ).as_dict()
        ActivityEvent.objects.bulk_create(self.events, batch_size=500)
        return out


def publish_campaign_records(staged: StagedRecords) -> PublishCounts:
    """The campaign side of one import (the creators import calls it inside its transaction)."""
    return _Publisher(staged).run()
