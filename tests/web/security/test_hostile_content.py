"""Hostile content (issue 14): what a hostile brand or creator types, imports or uploads never runs.

- XSS: a payload in every user-text field a template renders, shown through every page that shows it,
  comes out as text (no script element, no event handler, no non-http(s) link); stored links that are not
  http(s) (written before the rule) render as plain text; the forms, the API and import files refuse them.
- Uploads: polyglots, a zero-filled "video", right-to-left-override names, wrong declared types and
  oversize files are refused with a 4xx saying what is wrong; files are served as downloads.
- Exports: creator-typed text never reaches a spreadsheet as a formula (CSV and XLSX).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image

from microreach.sources.links import is_http_url
from microreach.sources.spreadsheets import safe_text
from microreach.web.accounts.models import Organisation, User
from microreach.web.campaigns import uploads as campaign_uploads
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import (
    Application,
    Campaign,
    CampaignPost,
    ContentDraft,
    Message,
    Shipment,
)
from microreach.web.campaigns.services.deliverable import draft_submit
from microreach.web.campaigns.services.shipment import shipment_confirm_address, shipment_mark_shipped
from microreach.web.creators.models import Creator, SocialAccount
from microreach.web.discovery import services as discovery_services
from microreach.web.discovery.models import Shortlist, ShortlistEntry
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

SCRIPT_LINKS = (
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "/relative/path",
    'https://ok.example/"onmouseover="alert(1)',
)


def payload(tag: str) -> str:
    """A payload whose escaped form proves the field was rendered (``tag`` names the field)."""
    return f'<script>x("{tag}")</script>"><img src=x onerror=alert("{tag}")>'


def short_payload(tag: str) -> str:
    """For short columns (postcode, phone): still markup, still tagged."""
    return f"<b>{tag}</b>"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "hx-get", "hx-post", "poster", "srcset")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")


def assert_no_executable_markup(html: str, tags: list[str]) -> None:
    """No element comes from user text: no event handler, no injected <script>/<img>/<b>, every URL
    attribute is same-site or http(s); and each ``tags`` field was rendered (escaped) on the page."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        # the page's own handlers (if any) are fixed text; none carries what a user typed
        handlers = {name: v for name, v in attrs.items() if name.startswith("on")}
        assert not any("alert" in v or "x(" in v for v in handlers.values()), (tag, attrs)
        for name in _URL_ATTRIBUTES:
            value = attrs.get(name)
            if not value:
                continue
            scheme = _SCHEME.match(value)
            assert scheme is None or scheme.group(1).lower() in ("http", "https", "mailto"), (tag, attrs)
            assert not re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:")), attrs
            assert not value.startswith("//"), (tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/") or "nonce" in attrs, attrs
    for t in tags:
        assert f'x("{t}")' not in html.replace("&quot;", '"').replace("&#x27;", "'") or (
            f"&lt;script&gt;x(&quot;{t}&quot;)" in html
        ), t
        assert f"<b>{t}</b>" not in html, t
        assert f"&lt;script&gt;x(&quot;{t}&quot;)" in html or f"&lt;b&gt;{t}&lt;/b&gt;" in html, (
            f"field {t} is not shown on this page"
        )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    """A brand and a creator at the end of a campaign, every text field they typed holding a payload
    (stored straight in the database, as an old row or another entry point would have it)."""
    brand_user, brand_tenant = h.brand()
    Organisation.objects.filter(pk=h.org_of(brand_user)).update(name=payload("brand_name"))
    campaign = h.open_campaign(brand_tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(brand_tenant, creator_tenant, app, "published")
    Campaign.objects.filter(pk=campaign.pk).update(
        title=payload("title"),
        what_to_say=payload("what_to_say"),
        what_not_to_say=payload("what_not_to_say"),
        tone=payload("tone"),
        examples=payload("examples"),
        mandatory_mentions=[payload("mention")],
        mandatory_hashtags=[payload("hashtag")],
        products=[{"name": payload("product"), "unit_value": "59.00", "variants": [payload("variant")]}],
    )
    creator_user = User.objects.get(pk=creator_tenant.user_id)
    account = app.account
    Creator.objects.filter(pk=account.creator_id).update(name=payload("creator_name"))
    SocialAccount.objects.filter(pk=account.pk).update(
        display_name=payload("display_name"), bio=payload("bio"), external_url="javascript:alert('bio')"
    )
    Application.objects.filter(pk=app.pk).update(pitch=payload("pitch"))
    Shipment.objects.filter(application=app).update(
        recipient=payload("recipient"),
        street=payload("street"),
        postcode=short_payload("pc"),
        city=payload("city"),
        phone=short_payload("phone"),
        carrier=payload("carrier"),
        tracking_number=payload("tracking"),
    )
    Message.objects.create(
        organisation_id=app.organisation_id, application=app, from_brand=False, body=payload("message")
    )
    ContentDraft.objects.filter(application=app).update(
        caption=payload("caption"), link="javascript:alert('draft')", review_comment=payload("review")
    )
    CampaignPost.objects.filter(application=app).update(url="javascript:alert('post')")
    discovery_services.search_index_refresh(account_ids=[account.pk])
    shortlist = Shortlist.objects.create(organisation_id=h.org_of(brand_user), name=payload("shortlist"))
    ShortlistEntry.objects.create(
        organisation_id=h.org_of(brand_user),
        shortlist=shortlist,
        account_id=account.pk,
        note=payload("note"),
    )
    return {
        "brand": brand_user,
        "creator": creator_user,
        "campaign": campaign,
        "app": app,
        "account": account,
        "shortlist": shortlist,
    }


# (who, url template, fields the page must show); every page is checked for executable markup.
PAGES = [
    ("brand", "/campaigns/", ["title"]),
    (
        "brand",
        "/campaigns/{campaign}/",
        [
            "title",
            "what_to_say",
            "what_not_to_say",
            "tone",
            "examples",
            "mention",
            "hashtag",
            "product",
            "variant",
        ],
    ),
    ("brand", "/campaigns/{campaign}/applicants/", ["title"]),
    ("brand", "/campaigns/{campaign}/compare/", ["title"]),
    ("brand", "/campaigns/applications/{app}/", ["title", "pitch", "message", "caption", "review"]),
    ("brand", "/discover/", ["bio", "display_name"]),
    ("brand", "/discover/creators/{account}/", ["bio", "display_name", "shortlist"]),
    ("brand", "/discover/shortlists/", ["shortlist"]),
    ("brand", "/discover/shortlists/{shortlist}/", ["shortlist", "note"]),
    ("brand", "/reports/campaigns/{campaign}/", ["title", "brand_name"]),
    ("brand", "/accounts/home/", ["title", "brand_name", "shortlist"]),
    ("brand", "/accounts/team/", ["brand_name"]),
    ("creator", "/campaigns/", ["title"]),
    (
        "creator",
        "/campaigns/{campaign}/brief/",
        [
            "title",
            "what_to_say",
            "what_not_to_say",
            "tone",
            "examples",
            "mention",
            "hashtag",
            "product",
            "variant",
        ],
    ),
    ("creator", "/campaigns/applications/{app}/", ["title", "pitch", "message", "caption", "review"]),
    ("creator", "/creators/mine/", []),
    ("creator", "/accounts/home/", []),
]


@pytest.mark.parametrize(("who", "url", "fields"), PAGES, ids=[f"{w}:{u}" for w, u, _f in PAGES])
def test_payloads_in_every_text_field_render_as_text(client_for, world, who, url, fields):
    # given a world whose every text field holds markup and whose stored links are javascript:
    path = url.format(
        campaign=world["campaign"].pk,
        app=world["app"].pk,
        account=world["account"].pk,
        shortlist=world["shortlist"].pk,
    )
    # when the page is read by the side that sees it
    response = client_for(world[who]).get(path, follow=True)
    # then it answers, shows each field as text, and has no executable markup nor script link
    assert response.status_code == 200, path
    assert_no_executable_markup(response.content.decode(), fields)


def test_address_and_shipping_fields_render_as_text(client_for):
    # given an accepted creator whose confirmed address holds markup in every field
    brand_user, brand_tenant = h.brand()
    campaign = h.open_campaign(brand_tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(brand_tenant, creator_tenant, app, "accepted")
    shipment_confirm_address(
        tenant=creator_tenant,
        application_id=app.pk,
        variant="M",
        recipient=payload("recipient"),
        street=payload("street"),
        postcode=short_payload("pc"),
        city=payload("city"),
        country="FR",
        phone=short_payload("phone"),
    )
    page = client_for(brand_user).get(f"/campaigns/applications/{app.pk}/")
    assert_no_executable_markup(page.content.decode(), ["recipient", "street", "pc", "city", "phone"])
    # when the brand ships with a hostile carrier and tracking number, the creator reads them as text
    Shipment.objects.filter(application=app).update(address_confirmed_at=datetime(2026, 11, 27, tzinfo=UTC))
    shipment_mark_shipped(
        tenant=brand_tenant,
        application_id=app.pk,
        carrier=payload("carrier")[:100],
        tracking_number=payload("tracking")[:100],
    )
    creator_page = client_for(User.objects.get(pk=creator_tenant.user_id)).get(
        f"/campaigns/applications/{app.pk}/"
    )
    assert_no_executable_markup(creator_page.content.decode(), ["carrier", "tracking"])


def test_stored_script_links_are_shown_as_plain_text(client_for, world):
    brand = client_for(world["brand"])
    page = brand.get(f"/campaigns/applications/{world['app'].pk}/").content.decode()
    assert '<span class="not-a-link">javascript:alert(&#x27;draft&#x27;)</span>' in page
    assert '<span class="not-a-link">javascript:alert(&#x27;post&#x27;)</span>' in page
    creator_page = brand.get(f"/discover/creators/{world['account'].pk}/").content.decode()
    assert '<span class="not-a-link">javascript:alert(&#x27;bio&#x27;)</span>' in creator_page


def test_http_links_stay_links(client_for, world):
    ContentDraft.objects.filter(application=world["app"]).update(link="https://cdn.example/reel.mp4")
    SocialAccount.objects.filter(pk=world["account"].pk).update(external_url="https://linktr.ee/lea")
    brand = client_for(world["brand"])
    page = brand.get(f"/campaigns/applications/{world['app'].pk}/").content.decode()
    assert '<a href="https://cdn.example/reel.mp4" rel="noopener noreferrer nofollow ugc">' in page
    creator_page = brand.get(f"/discover/creators/{world['account'].pk}/").content.decode()
    assert '<a href="https://linktr.ee/lea" rel="noopener noreferrer nofollow ugc">' in creator_page


@pytest.mark.parametrize("link", SCRIPT_LINKS)
def test_the_link_rule_refuses_every_non_http_link(link):
    assert not is_http_url(link)


# --- links at entry --------------------------------------------------------------------------------


def _received():
    _brand_user, brand_tenant = h.brand()
    campaign = h.open_campaign(brand_tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(brand_tenant, creator_tenant, app, "received")
    return brand_tenant, creator_tenant, User.objects.get(pk=creator_tenant.user_id), app


@pytest.mark.parametrize("link", SCRIPT_LINKS[:5])
def test_the_api_refuses_a_draft_with_a_script_link_and_stores_nothing(client_for, link):
    _bt, _ct, creator_user, app = _received()
    response = client_for(creator_user).post(
        f"/api/campaigns/applications/{app.pk}/drafts",
        {"deliverable": "instagram reel 1", "caption": h.CAPTION_OK, "link": link},
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert "http" in response.content.decode()
    assert not ContentDraft.objects.filter(application=app).exists()


def test_the_draft_form_refuses_a_script_link(client_for):
    _bt, _ct, creator_user, app = _received()
    response = client_for(creator_user).post(
        f"/campaigns/applications/{app.pk}/draft/",
        {"deliverable": "instagram reel 1", "caption": h.CAPTION_OK, "link": "javascript:alert(1)"},
        follow=True,
    )
    assert response.status_code in (200, 400)
    # said once, under the field (two validators used to say it twice)
    assert response.content.decode().count("Only an http:// or https:// link is accepted.") == 1
    assert not ContentDraft.objects.filter(application=app).exists()


def test_the_service_refuses_a_script_link_from_any_caller():
    _bt, creator_tenant, _cu, app = _received()
    with pytest.raises(InvalidInput) as refused:
        draft_submit(
            tenant=creator_tenant,
            application_id=app.pk,
            deliverable="instagram reel 1",
            caption=h.CAPTION_OK,
            link="javascript:alert(1)",
        )
    assert (refused.value.code, refused.value.details["field"]) == ("invalid_url", "link")
    assert not ContentDraft.objects.filter(application=app).exists()


def test_a_post_link_must_be_http(client_for):
    _brand_user, brand_tenant = h.brand()
    campaign = h.open_campaign(brand_tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(brand_tenant, creator_tenant, app, "approved")
    creator = client_for(User.objects.get(pk=creator_tenant.user_id))
    response = creator.post(
        f"/api/campaigns/applications/{app.pk}/posts",
        {"url": "javascript:alert(1)", "deliverable": "instagram reel 1"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert not CampaignPost.objects.filter(application=app).exists()


def test_an_import_refuses_a_script_external_url_with_its_line(tmp_path):
    from microreach.sources import validate_file

    path = tmp_path / "accounts.csv"
    path.write_text(
        "# microreach: record_type=account, version=1\n"
        "network,handle,followers,external_url\n"
        "instagram,good,10,https://linktr.ee/good\n"
        "instagram,bad,10,javascript:alert(1)\n",
        encoding="utf-8",
    )
    report = validate_file(path)
    assert not report.ok
    assert [(e.line, e.field) for e in report.errors] == [(4, "external_url")]
    assert "http" in report.errors[0].reason


# --- uploads ---------------------------------------------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 6)).save(out, format="GIF")
    return out.getvalue()


HOSTILE_UPLOADS = [
    # (name, content, declared type, expected code)
    ("cover.gif", _gif() + b"<html><script>alert(1)</script></html>", "image/gif", "markup_in_file"),
    ("cover.gif", b"GIF89a<svg onload=alert(1)>", "image/gif", "damaged_file"),
    (
        "reel.mp4",
        h.mp4_box(b"ftyp", b"isom\x00\x00\x02\x00isom") + b"<html><body><script>alert(1)</script>",
        "video/mp4",
        "damaged_file",
    ),
    (
        "reel.mp4",
        h.mp4_box(b"ftyp", b"isom\x00\x00\x02\x00isom")
        + h.mp4_box(b"free", b"<svg onload=alert(1)>")
        + h.mp4_box(b"moov")
        + h.mp4_box(b"mdat"),
        "video/mp4",
        "markup_in_file",
    ),
    ("reel.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4096, "video/mp4", "damaged_file"),
    ("page.html", b"<!doctype html><script>alert(1)</script>", "text/html", "unsupported_file"),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "image/svg+xml",
        "unsupported_file",
    ),
    ("cover.png", _png(), "text/html", "type_mismatch"),
    ("cover.png", _png(), "image/gif", "type_mismatch"),
]


@pytest.mark.parametrize(
    ("name", "content", "declared", "code"),
    HOSTILE_UPLOADS,
    ids=[f"{i}-{row[3]}" for i, row in enumerate(HOSTILE_UPLOADS)],
)
def test_hostile_uploads_are_refused_with_a_clear_message(client_for, name, content, declared, code):
    _bt, _ct, creator_user, app = _received()
    response = client_for(creator_user).post(
        f"/api/campaigns/applications/{app.pk}/drafts/upload",
        {
            "deliverable": "instagram reel 1",
            "caption": h.CAPTION_OK,
            "media": SimpleUploadedFile(name, content, content_type=declared),
        },
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["code"], error["details"]["field"]) == (code, "media")
    assert name in error["message"]
    assert not ContentDraft.objects.filter(application=app).exists()


def test_a_100_mb_zero_filled_video_is_refused_without_reading_it_all(tmp_path):
    # given a 100 MB file: an ftyp box, then zeros (written sparse, read from disk like a real upload)
    path = tmp_path / "zero.mp4"
    with path.open("wb") as out:
        out.write(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
        out.truncate(100 * 2**20)
    with path.open("rb") as handle:
        upload = SimpleUploadedFile("zero.mp4", b"", content_type="video/mp4")
        upload.file, upload.size = handle, path.stat().st_size
        with pytest.raises(InvalidInput) as refused:
            campaign_uploads.checked_upload(upload, field="media", allow_video=True)
    assert refused.value.code == "damaged_file"
    assert "zero.mp4" in refused.value.message


def test_a_right_to_left_override_name_is_stored_and_served_without_it(client_for):
    _brand_tenant, _ct, creator_user, app = _received()
    creator = client_for(creator_user)
    response = creator.post(
        f"/api/campaigns/applications/{app.pk}/drafts/upload",
        {
            "deliverable": "instagram reel 1",
            "caption": h.CAPTION_OK,
            "media": SimpleUploadedFile("cover\u202egpj.html", _png(), content_type="image/png"),
        },
    )
    assert response.status_code == 201, response.content
    draft = ContentDraft.objects.get(pk=response.json()["id"])
    assert draft.media.name.rsplit("/", 1)[-1] == "covergpj.png"
    got = creator.get(f"/api/campaigns/drafts/{draft.pk}/media")
    assert got["Content-Disposition"] == 'attachment; filename="covergpj.png"'
    assert (got["Content-Type"], got["X-Content-Type-Options"]) == ("image/png", "nosniff")


def test_a_file_stored_before_the_checks_is_served_as_a_download_never_sniffed(client_for):
    _brand_tenant, creator_tenant, creator_user, app = _received()
    draft = draft_submit(
        tenant=creator_tenant, application_id=app.pk, deliverable="instagram reel 1", caption=h.CAPTION_OK
    )
    draft.media.save("old.html", io.BytesIO(b"<script>alert(1)</script>"))
    got = client_for(creator_user).get(f"/campaigns/drafts/{draft.pk}/media/")
    assert got.status_code == 200
    assert got["Content-Type"] == "application/octet-stream"
    assert got["Content-Disposition"].startswith("attachment")
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Security-Policy"].startswith("sandbox")


def test_images_and_captures_have_their_own_size_limits(client_for, monkeypatch):
    _bt, _ct, creator_user, app = _received()
    monkeypatch.setattr(campaign_uploads, "IMAGE_MAX_BYTES", 64)
    response = client_for(creator_user).post(
        f"/api/campaigns/applications/{app.pk}/drafts/upload",
        {
            "deliverable": "instagram reel 1",
            "caption": h.CAPTION_OK,
            "media": SimpleUploadedFile("big.png", _png(), content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert (response.json()["error"]["code"], response.json()["error"]["details"]["limit_bytes"]) == (
        "file_too_large",
        64,
    )
    # a video is held to the video limit, not the image one
    video = client_for(creator_user).post(
        f"/api/campaigns/applications/{app.pk}/drafts/upload",
        {
            "deliverable": "instagram reel 1",
            "caption": h.CAPTION_OK,
            "media": SimpleUploadedFile("reel.mp4", h.minimal_mp4(), content_type="video/mp4"),
        },
    )
    assert video.status_code == 201, video.content


# --- exports ---------------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def test_addresses_csv_escapes_formulas_in_every_creator_typed_cell(client_for):
    brand_user, brand_tenant = h.brand()
    campaign = h.open_campaign(brand_tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(brand_tenant, creator_tenant, app, "shipped")
    Shipment.objects.filter(application=app).update(
        variant=FORMULAS[0], recipient=FORMULAS[1], street=FORMULAS[2], city=FORMULAS[3], phone=FORMULAS[4]
    )
    body = client_for(brand_user).get(f"/campaigns/{campaign.pk}/addresses.csv").content.decode()
    row = list(csv.reader(io.StringIO(body)))[1]
    assert row[2:5] == [safe_text(FORMULAS[0]), safe_text(FORMULAS[1]), safe_text(FORMULAS[2])]
    assert (row[6], row[8]) == ("'" + FORMULAS[3], "'" + FORMULAS[4])
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_shortlist_csv_escapes_the_note_and_names(client_for):
    brand_user, _bt = h.brand()
    account = factories.account(display_name="=cmd|' /C calc'!A0")
    discovery_services.search_index_refresh(account_ids=[account.pk])
    shortlist = Shortlist.objects.create(organisation_id=h.org_of(brand_user), name="list")
    ShortlistEntry.objects.create(
        organisation_id=h.org_of(brand_user), shortlist=shortlist, account_id=account.pk, note="@SUM(1)"
    )
    body = client_for(brand_user).get(f"/discover/shortlists/{shortlist.pk}/export.csv").content.decode()
    cells = [c for row in csv.reader(io.StringIO(body)) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1)" in cells
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)


def test_report_files_escape_formulas_in_user_text(client_for):
    brand_user, brand_tenant = h.brand()
    campaign = h.open_campaign(brand_tenant)
    creator_tenant, app = h.apply(campaign, handle="lea")
    app = h.advance(brand_tenant, creator_tenant, app, "published")
    CampaignPost.objects.filter(application=app).update(deliverable='=HYPERLINK("http://evil")')
    brand = client_for(brand_user)
    csv_body = brand.get(f"/reports/campaigns/{campaign.pk}/report.csv").content.decode()
    cells = [c for row in csv.reader(io.StringIO(csv_body)) for c in row]
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    workbook = load_workbook(io.BytesIO(brand.get(f"/reports/campaigns/{campaign.pk}/report.xlsx").content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(("=", "+", "@", "\t", "\r"))), (
                    sheet.title,
                    value,
                )


def test_audit_followers_output_keeps_usernames_as_read(tmp_path):
    """Not an export of someone else's text: the operator's own file, scored and joined back to it by
    username. A quote added before '@' or '=' would break that join, so usernames are written as read."""
    from microreach.config.loader import DEFAULT_MODEL, load_fake_model
    from microreach.evaluation.profiles import score_profiles_file

    profiles = tmp_path / "profiles.csv"
    profiles.write_text(
        "username,followers,following,posts\n=cmd|' /C calc'!A0,10,2000,0\nlea,500,300,40\n", encoding="utf-8"
    )
    out = tmp_path / "scores.csv"
    score_profiles_file(profiles, out, None, model=load_fake_model(DEFAULT_MODEL))
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["username", "fake_probability", "audience_type"]
    assert [r[0] for r in rows[1:]] == ["=cmd|' /C calc'!A0", "lea"]


@pytest.mark.parametrize("value", FORMULAS)
def test_safe_text_neutralises_every_formula_start_and_is_idempotent(value):
    once = safe_text(value)
    assert once == "'" + value
    assert safe_text(once) == once


def test_created_at_is_not_touched_by_the_export_rule():
    # numbers, dates and None pass unchanged through the cell rule
    from microreach.sources.spreadsheets import safe_cell

    when = datetime(2026, 1, 1, tzinfo=UTC)
    assert [safe_cell(v) for v in (-5, 1.5, None, when, "ok")] == [-5, 1.5, None, when, "ok"]
