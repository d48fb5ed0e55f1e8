"""Forms of the campaigns pages: they parse text into the plain values the services take."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from microreach.web.bounds import PercentField, form_field, percent_form_field, text_max_length
from microreach.web.campaigns import address_checks, brief_tags, shipping
from microreach.web.campaigns.budget import fee_paid
from microreach.web.campaigns.choices import (
    Choices,
    countries_field,
    country_choices,
    deliverable_unit_text,
    jurisdiction_choices,
    keep_stored_choices,
    languages_field,
    network_choices,
    tier_choices,
    topics_field,
)
from microreach.web.campaigns.commands import CampaignChanges
from microreach.web.campaigns.message_templates import TEMPLATES
from microreach.web.campaigns.models import (
    CAPTION_MAX_CHARS,
    MAX_DELIVERABLE_COUNT,
    MESSAGE_MAX_CHARS,
    PITCH_MAX_CHARS,
    Application,
    ApplicationState,
    Campaign,
    CampaignPost,
    Compensation,
    ContentDraft,
    ReviewState,
    Shipment,
)
from microreach.web.creators.contracts import CreatorAccount
from microreach.web.discovery.contracts import ShortlistRef
from microreach.web.formatting import currency_symbol, money
from microreach.web.links import HttpUrlField
from microreach.web.money_input import money_form_field
from microreach.web.plain_text import text_form_field


def _split(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\n", ",").split(",") if p.strip()]


def _date_input() -> forms.DateInput:
    """An ``<input type=date>`` whose value is ISO (yyyy-mm-dd) whatever the language: the browser reads
    no other format, and French's 05/12/2026 would show an empty field (as the wizard's ``_DATE``)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    organisation_id = forms.TypedChoiceField(label=_("For the brand"), coerce=int, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    what_to_say = forms.CharField(
        label=_("What to say"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    what_not_to_say = forms.CharField(
        label=_("What not to say"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    mandatory_mentions = forms.CharField(
        label=_("Mandatory mentions (comma-separated, e.g. @maisonverte)"), required=False
    )
    mandatory_hashtags = forms.CharField(label=_("Mandatory hashtags (comma-separated)"), required=False)
    tone = forms.CharField(label=_("Tone"), max_length=300, required=False)
    examples = forms.CharField(label=_("Examples"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    products = forms.CharField(
        label=_("Products, one a line: name | unit value | variants"),
        help_text=_("e.g. Linen shirt | 59.00 | S, M, L"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    deliverables = forms.CharField(
        label=_("Deliverables, one a line: network kind count"),
        help_text=_("e.g. instagram reel 1"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    compensation = forms.ChoiceField(label=_("Compensation"), choices=Compensation.choices)
    fee = money_form_field(Campaign, "fee", label=_("Fee per creator"), required=False)
    commission_rate = form_field(Campaign, "commission_rate", label=_("Commission rate (%)"), required=False)
    networks = Choices(label=_("Networks"), choices=network_choices)
    tiers = Choices(label=_("Tiers"), choices=tier_choices)
    topics = topics_field()
    countries = countries_field()
    languages = languages_field()
    min_quality_score = form_field(
        Campaign, "min_quality_score", label=_("Minimum Audience Quality Score"), required=False
    )
    max_fake_share = percent_form_field(
        Campaign, "max_fake_share", label=_("Maximum fake-follower share (%)"), required=False
    )
    unknown_figures = forms.ChoiceField(
        label=_("Creators not audited yet"),
        choices=Campaign.UnknownFigures.choices,
        initial=Campaign.UnknownFigures.AUDIT,
        help_text=_("What the score and fake-share rules do with a creator who has no audit yet."),
    )
    creators_wanted = form_field(Campaign, "creators_wanted", label=_("Creators wanted"), initial=5)
    applications_close_on = forms.DateField(label=_("Applications close on"), widget=_date_input())
    ship_by = forms.DateField(label=_("Ship by"), required=False, widget=_date_input())
    publication_start = forms.DateField(label=_("Publication window start"), widget=_date_input())
    publication_end = forms.DateField(label=_("Publication window end"), widget=_date_input())
    min_days_online = form_field(Campaign, "min_days_online", label=_("Minimum days online"), initial=30)
    review_days = form_field(Campaign, "review_days", label=_("Review delay (days)"), initial=10)
    auto_approve = forms.BooleanField(label=_("Approve automatically after the review delay"), required=False)
    jurisdictions = Choices(
        label=_("Jurisdictions (empty: your organisation's defaults)"),
        choices=jurisdiction_choices,
        upper=True,
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False)
    budget = money_form_field(Campaign, "budget", label=_("Budget"), required=False)

    def __init__(self, *args: Any, brands: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if brands and len(brands) > 1:
            self.fields["organisation_id"].choices = brands
        else:
            del self.fields["organisation_id"]
        keep_stored_choices(self)

    def clean_deliverables(self) -> list[dict[str, Any]]:
        out = []
        for line in (self.cleaned_data.get("deliverables") or "").splitlines():
            parts = line.split()
            if not parts:
                continue
            count = parts[2] if len(parts) == 3 else ""
            if not (count.isdecimal() and len(count) <= 3 and 1 <= int(count) <= MAX_DELIVERABLE_COUNT):
                raise forms.ValidationError(_("Write each deliverable as: network kind count"))
            out.append({"network": parts[0].lower(), "kind": parts[1].lower(), "count": int(parts[2])})
        if not out:
            raise forms.ValidationError(_("Say at least one deliverable."))
        return out

    def clean_mandatory_mentions(self) -> list[str]:
        return self._tags(brief_tags.MENTIONS)

    def clean_mandatory_hashtags(self) -> list[str]:
        return self._tags(brief_tags.HASHTAGS)

    def _tags(self, field: str) -> list[str]:
        """Each a handle or a hashtag (``brief_tags``, the service's rule), each bad item named."""
        kept, problems = brief_tags.tags_clean(
            field=field, values=brief_tags.tags_split(self.cleaned_data.get(field) or "")
        )
        if problems:
            raise forms.ValidationError([p.message for p in problems])
        return kept

    def clean_products(self) -> list[dict[str, Any]]:
        out = []
        for line in (self.cleaned_data.get("products") or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2:
                raise forms.ValidationError(_("Write each product as: name | unit value | variants"))
            out.append(
                {
                    "name": parts[0],
                    "unit_value": parts[1],
                    "variants": _split(parts[2] if len(parts) > 2 else ""),
                }
            )
        return out

    def to_changes(self) -> CampaignChanges:
        data = dict(self.cleaned_data)
        if not data.get("organisation_id"):
            data.pop("organisation_id", None)
        return CampaignChanges.model_validate(data)

    @staticmethod
    def initial_from(campaign: Campaign) -> dict[str, Any]:
        initial: dict[str, Any] = {
            f: getattr(campaign, f) for f in CampaignForm.base_fields if hasattr(campaign, f)
        }
        initial["mandatory_mentions"] = ", ".join(f"@{m}" for m in campaign.mandatory_mentions)
        initial["mandatory_hashtags"] = ", ".join(f"#{h}" for h in campaign.mandatory_hashtags)
        for key in ("networks", "tiers", "countries", "languages", "topics", "jurisdictions"):
            initial[key] = list(getattr(campaign, key))
        initial["products"] = "\n".join(
            f"{p['name']} | {p['unit_value']} | {', '.join(p.get('variants', []))}" for p in campaign.products
        )
        initial["deliverables"] = "\n".join(
            f"{d['network']} {d['kind']} {d['count']}" for d in campaign.deliverables
        )
        return initial


# A proposed fee this far from the campaign's fixed fee (above three times it, or below a third of it) is
# asked again: it is more often a misread comma (150,50 typed, 15 050 read) than a price, and the fee cannot
# be changed after applying.
FEE_CONFIRM_RATIO = 3


class ApplyForm(forms.Form):
    account = forms.TypedChoiceField(label=_("Profile"), coerce=int)
    pitch = text_form_field(max_length=PITCH_MAX_CHARS, label=_("Your pitch"))
    proposed_fee = money_form_field(Application, "proposed_fee", label=_("Proposed fee"), required=False)
    # shown (as a checkbox) only once a fee far from the campaign's asks for it
    confirm_fee = forms.BooleanField(
        label=_("Yes, I propose this fee"), required=False, widget=forms.HiddenInput
    )
    accept_brief = forms.BooleanField(label=_("I accept the brief"), required=True)

    def __init__(
        self,
        *args: Any,
        accounts: list[CreatorAccount],
        paid: bool,
        currency: str = "",
        fee: Decimal | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [
            (a.account_id, f"@{a.handle} ({a.network_label})") for a in accounts
        ]
        self.currency, self.fee = currency, fee
        if not paid:
            del self.fields["proposed_fee"], self.fields["confirm_fee"]
            return
        field = self.fields["proposed_fee"]
        field.currency = currency
        field.label = _("Proposed fee (%(currency)s)") % {"currency": currency_symbol(currency)}
        example = money(fee if fee is not None else Decimal("150.50"), currency)
        field.help_text = (
            _("The campaign pays %(fee)s per creator. Your fee cannot be changed after you apply.")
            % {"fee": example}
            if fee is not None
            else _("For instance %(example)s. Your fee cannot be changed after you apply.")
            % {"example": example}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        proposed = data.get("proposed_fee")
        if proposed is None or not self.fee or data.get("confirm_fee"):
            return data
        if proposed > self.fee * FEE_CONFIRM_RATIO or proposed * FEE_CONFIRM_RATIO < self.fee:
            self.add_error(
                "proposed_fee",
                _(
                    "You propose %(proposed)s, the campaign pays %(fee)s: a fee more than three times the "
                    "campaign's, or less than a third of it, is asked again. Correct it, or tick “%(confirm)s”."
                )
                % {
                    "proposed": money(proposed, self.currency),
                    "fee": money(self.fee, self.currency),
                    "confirm": self.fields["confirm_fee"].label,
                },
            )
            self.fields["confirm_fee"].widget = forms.CheckboxInput()
        return data


class ApplicantFilters(forms.Form):
    """The applicants page's filters (a GET form). The fake share is typed in percent like Discover's
    (``fake_share_max``); ``max_fake`` (a fraction, the page's parameter before) still reads, for links
    kept from then. A value out of bounds is an error the page shows, never a filter silently dropped:
    "apply to all matching" with a dropped filter would act on every applicant."""

    state = forms.ChoiceField(
        label=_("State"), required=False, choices=lambda: [("", _("Every state")), *ApplicationState.choices]
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=lambda: [("", _("Every tier")), *tier_choices()]
    )
    min_score = form_field(Campaign, "min_quality_score", label=_("Min. score"), required=False)
    fake_share_max = percent_form_field(
        Campaign, "max_fake_share", label=_("Max. fake followers (%)"), required=False
    )
    # An old link's fraction, moved into ``fake_share_max`` by ``__init__``; kept as a field only to
    # name a value that is not a number.
    max_fake = form_field(Campaign, "max_fake_share", required=False, widget=forms.HiddenInput)
    hide_pods = forms.BooleanField(label=_("Hide pod flags"), required=False)

    def __init__(self, data: Any = None, **kwargs: Any):
        if data is not None and data.get("max_fake") and not data.get("fake_share_max"):
            # An old link's fraction is shown (and kept) as the percent the form asks for; a value that
            # is not a number stays under its old name, whose field says so.
            try:
                percent = float(data["max_fake"]) * PercentField.scale
            except ValueError:
                pass
            else:
                data = data.copy()
                data["fake_share_max"], data["max_fake"] = f"{percent:g}", ""
        super().__init__(data, **kwargs)
        for name in ("state", "tier", "min_score", "fake_share_max"):
            field = self.fields[name]
            field.widget.attrs.update({"aria-label": field.label, "placeholder": field.label})

    def filters(self) -> dict[str, Any]:
        """The valid filters, as the selectors take them (an invalid one is left out and shown as an
        error by the page; ``is_valid`` tells a bulk action to refuse)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "state": data.get("state") or "",
            "tier": data.get("tier") or "",
            "min_score": data.get("min_score"),
            "max_fake": data.get("fake_share_max"),
            "hide_pods": bool(data.get("hide_pods")),
        }


class DecisionForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Message template"),
        required=False,
        choices=[("", "—")] + [(k, v[0]) for k, v in TEMPLATES.items()],
    )
    agreed_fee = money_form_field(Application, "agreed_fee", label=_("Agreed fee"), required=False)
    message = text_form_field(
        max_length=MESSAGE_MAX_CHARS,
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_over_budget = forms.BooleanField(
        label=_("Accept even if the fees committed go over the campaign's budget"), required=False
    )

    def __init__(self, *args: Any, application: Application | None = None, **kwargs: Any):
        """``application``: the one decided on, whose currency the fee is read in and whose fee an empty
        "Agreed fee" agrees (the one the creator proposed, else the campaign's fixed fee)."""
        super().__init__(*args, **kwargs)
        if application is None:
            return
        field, campaign = self.fields["agreed_fee"], application.campaign
        field.currency = campaign.currency
        field.label = _("Agreed fee (%(currency)s)") % {"currency": currency_symbol(campaign.currency)}
        # what an empty field agrees: the service's rule (the proposed fee), paid as ``budget.fee_paid`` says
        paid = fee_paid(
            compensation=campaign.compensation, campaign_fee=campaign.fee, agreed_fee=application.proposed_fee
        )
        if application.proposed_fee is not None:
            field.help_text = _("Leave it empty to agree the fee the creator proposed: %(fee)s.") % {
                "fee": money(paid, campaign.currency)
            }
        elif paid:
            field.help_text = _("Leave it empty to agree the campaign’s fee: %(fee)s.") % {
                "fee": money(paid, campaign.currency)
            }

    def text(self) -> str:
        key = self.cleaned_data.get("template") or ""
        return (self.cleaned_data.get("message") or "").strip() or (str(TEMPLATES[key][1]) if key else "")


class MessageForm(forms.Form):
    body = text_form_field(
        max_length=MESSAGE_MAX_CHARS, label=_("Message"), widget=forms.Textarea(attrs={"rows": 2})
    )


def _country_choices() -> list[tuple[str, str]]:
    """No country yet, then every country (``choices.country_choices``)."""
    return [("", "—"), *country_choices()]


class CountryChoiceField(forms.ChoiceField):
    """A country chosen from the list, kept as its 2-letter code (as ``Shipment.country`` stores it)."""

    default_error_messages = {"invalid_choice": address_checks.COUNTRY_UNKNOWN}

    def to_python(self, value: Any) -> str:
        return address_checks.country_code(str(super().to_python(value)))  # "France" is refused as typed


def _address_line(name: str, label: Any, **kwargs: Any) -> forms.CharField:
    return text_form_field(label=label, max_length=text_max_length(Shipment, name), multiline=False, **kwargs)


class AddressForm(forms.Form):
    """The creator's shipping address: country from the list, postal code checked for that country, phone
    stored in E.164. On an error the page shows the form again with every field as typed."""

    variant = forms.ChoiceField(label=_("Variant"), required=False)
    # one line each, no control characters (``plain_text``: the API's ``AddressIn`` refuses the same), at most
    # what the column holds (``bounds``)
    recipient = _address_line("recipient", _("Recipient"))
    street = _address_line("street", _("Street"))
    postcode = _address_line("postcode", _("Postcode"))
    city = _address_line("city", _("City"))
    country = CountryChoiceField(label=_("Country"), choices=_country_choices)
    phone = _address_line(
        "phone",
        _("Phone (for the carrier)"),
        required=False,
        help_text=_(
            "With the country code if it is not a number of the country above, e.g. +33 6 12 34 56 78"
        ),
    )

    def __init__(self, *args: Any, variants: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = [(v, v) for v in variants] or [("", "—")]
        for field in self.fields.values():
            # no maxlength in the page: a browser cuts a longer pasted line without a word; the form names it
            field.widget.attrs.pop("maxlength", None)

    @classmethod
    def for_page(cls, *, variants: list[str], shipment: Shipment | None, country: str) -> AddressForm:
        """The form as the application page offers it: the address and variant confirmed (to change them),
        else an empty address in ``country`` (the creator's, else the campaign's)."""
        if shipment is not None and shipment.address_confirmed_at and not shipment.anonymised_at:
            names = ("variant", "recipient", "street", "postcode", "city", "country", "phone")
            return cls(variants=variants, initial={n: getattr(shipment, n) for n in names})
        return cls(variants=variants, initial={"country": country})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = data.get("country")
        if not country:
            return data  # the country's own error is shown; the rest cannot be checked without it
        checked = address_checks.address_check(
            country=country, postcode=data.get("postcode") or "", phone=data.get("phone") or ""
        )
        for name, message in checked.errors.items():
            self.add_error(name, message)
        if "postcode" in data and "postcode" not in checked.errors:
            data["postcode"] = checked.postcode
        if "phone" in data and "phone" not in checked.errors:
            data["phone"] = checked.phone
        return data


class CarrierInput(forms.TextInput):
    """A text input offering the declared carriers (``shipping.carrier_names``) as a datalist: a carrier
    missing from the list can still be typed (it is then shown without a tracking link)."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({"list": "carrier-choices", "autocomplete": "off", **(attrs or {})})

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        options = format_html_join(
            "", '<option value="{}"></option>', ((n,) for n in shipping.carrier_names())
        )
        return format_html(
            '{}<datalist id="carrier-choices">{}</datalist>',
            super().render(name, value, attrs, renderer),
            options,
        )


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=100, widget=CarrierInput())
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100)
    cost = money_form_field(Shipment, "cost", label=_("Shipping cost"), required=False)

    def clean(self) -> dict[str, Any]:
        """A declared carrier is stored under its name; a number that is not letters, digits, spaces or
        hyphens is refused. A number that does not have a declared carrier's format is accepted with a
        warning (``format_warning``): the brand sees it on the page and can correct it."""
        data = super().clean() or {}
        self.format_warning: str | None = None
        carrier, number = data.get("carrier"), data.get("tracking_number")
        if not carrier or not number:
            return data
        declared = shipping.carrier_for(carrier)
        problem = shipping.tracking_number_problem(carrier, number)
        if declared is not None:
            data["carrier"] = declared.name
            data["tracking_number"] = shipping.number_normalise(number)
            self.format_warning = problem
        elif problem is not None:
            self.add_error("tracking_number", problem)
        return data


class DraftForm(forms.Form):
    deliverable = forms.ChoiceField(label=_("Deliverable"))
    caption = text_form_field(
        max_length=CAPTION_MAX_CHARS, label=_("Caption"), widget=forms.Textarea(attrs={"rows": 4})
    )
    link = HttpUrlField(label=_("Media link"), required=False)
    media = forms.FileField(label=_("Media file"), required=False)
    # offered only when the draft to fix has a stored file (``has_media``): ticked, a resubmission without a
    # new file keeps that one (``services.deliverable.draft_submit``), so a caption fix needs no upload again
    keep_media = forms.BooleanField(
        label=_("Keep the media file you sent"),
        required=False,
        help_text=_("A new file attached above replaces it."),
    )
    planned_for = forms.DateField(label=_("Planned publication date"), required=False, widget=_date_input())
    declared_retouched = forms.BooleanField(label=_("The image is retouched"), required=False)
    declared_virtual = forms.BooleanField(label=_("The image is generated"), required=False)

    def __init__(self, *args: Any, deliverables: list[str], has_media: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["deliverable"].choices = [(d, deliverable_unit_text(d)) for d in deliverables]
        if not has_media:
            del self.fields["keep_media"]

    @classmethod
    def reopening(cls, *, drafts: Iterable[ContentDraft], deliverables: list[str]) -> DraftForm:
        """The next draft form: pre-filled with the newest draft the creator must fix (the brand asked for
        changes, or it failed the checks), so nothing is typed again, its media file kept unless the creator
        says otherwise; an empty form otherwise."""
        rework = draft_to_rework(drafts)
        if rework is None:
            return cls(deliverables=deliverables)
        return cls(
            deliverables=deliverables,
            has_media=bool(rework.media),
            initial={
                "keep_media": bool(rework.media),
                "deliverable": rework.deliverable,
                "caption": rework.caption,
                "link": rework.link,
                "planned_for": rework.planned_for,
                "declared_retouched": rework.declared_retouched,
                "declared_virtual": rework.declared_virtual,
            },
        )


def draft_to_rework(drafts: Iterable[ContentDraft]) -> ContentDraft | None:
    """The newest draft still to fix: changes requested by the brand, or blocked by the checks (a newer
    version supersedes it, so one still in these states is the current one)."""
    to_fix = (ReviewState.CHANGES_REQUESTED, ReviewState.BLOCKED)
    return max(
        (d for d in drafts if d.review_state in to_fix),
        key=lambda d: (d.submitted_at, d.pk),
        default=None,
    )


def drafts_all_sent(drafts: Iterable[ContentDraft], deliverables: list[str]) -> bool:
    """Every deliverable has a draft with the brand (waiting for its review) or approved: the creator has
    nothing to send until the brand answers, so the page offers a new version only on request."""
    sent = {d.deliverable for d in drafts if d.review_state in (ReviewState.SUBMITTED, ReviewState.APPROVED)}
    return bool(deliverables) and set(deliverables) <= sent


def posts_all_given(posts: Iterable[CampaignPost], deliverables: list[str]) -> bool:
    """Every deliverable has its published post's link: the link form is only to add or correct one."""
    given = {p.deliverable for p in posts if p.removed_at is None}
    return bool(deliverables) and set(deliverables) <= given


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("changes", _("Request changes"))]
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm_wording = forms.BooleanField(
        label=_("I confirm the equivalent disclosure wording"), required=False
    )

    def __init__(self, *args: Any, asks_wording: bool = True, **kwargs: Any):
        """``asks_wording``: the draft's disclosure wording waits for the brand's confirmation (its checks say
        "to confirm"); a draft whose checks do not ask it shows no such box (the service asks for it only then)."""
        super().__init__(*args, **kwargs)
        if not asks_wording:
            del self.fields["confirm_wording"]


class PostForm(forms.Form):
    deliverable = forms.ChoiceField(label=_("Deliverable"))
    url = HttpUrlField(label=_("Link of the published post"))
    screen_capture = forms.FileField(label=_("Screen capture (stories)"), required=False)

    def __init__(self, *args: Any, deliverables: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["deliverable"].choices = [(d, deliverable_unit_text(d)) for d in deliverables]


class PostAcceptForm(forms.Form):
    """The brand accepts a published post (a note says why when its checks did not all pass); the same
    post field asks for the checks to run again."""

    post = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    note = forms.CharField(
        label=_("Note (why you accept it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InviteForm(forms.Form):
    shortlist = forms.TypedChoiceField(label=_("Shortlist"), coerce=int)

    def __init__(self, *args: Any, shortlists: list[ShortlistRef], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["shortlist"].choices = [(s.shortlist_id, s.name) for s in shortlists]


class ShortlistInviteForm(InviteForm):
    """Posted from a shortlist's page: the shortlist, and the open campaign to invite its creators to (the
    service refuses a campaign that is not the brand's, or not open)."""

    campaign = forms.IntegerField(label=_("Open campaign"), min_value=1, max_value=2**63 - 1)


class SalesForm(forms.Form):
    file = forms.FileField(label=_("Shop CSV (order, date, amount, promo_code)"))


class ShipmentsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Shipping CSV (application or @handle, carrier, tracking number, cost)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
