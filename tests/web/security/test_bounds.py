"""Hostile class "bounds on every numeric input": every form, API endpoint and import column.

The numeric inputs are enumerated, not listed: the numeric fields of every form class of
``microreach.web.*.forms``, the numeric properties and parameters of the OpenAPI schema, the number
columns of the import format. A new numeric input is covered the day it is added, and fails here if it
has no bounds. Each gets just-above and just-below its bounds, NaN, infinities, ``1e400`` and huge
integers (refused with a 4xx or a form error, nothing stored), and its bounds themselves (accepted).
The bounds are the model's (``web.bounds``), and a page never fails because a stored row is odd.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import polars as pl
import pytest
from django import forms
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

import microreach.web
from microreach.sources.columns import (
    LIVE_TABLES,
    MAX_AMOUNT,
    MAX_COUNT,
    RECORD_COLUMNS,
    ColumnKind,
    stored_fields,
)
from microreach.sources.validation import MAX_SMALL_INTEGER, validate_frame
from microreach.web.accounts.models import User
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.bounds import bounds_of, numeric_bounds
from microreach.web.campaigns.forms import ApplyForm, CampaignForm, DecisionForm, ShipForm
from microreach.web.campaigns.models import Application, Campaign, Shipment
from microreach.web.creators import services as creator_services
from microreach.web.creators.models import Creator, ProfileClaim, SocialAccount
from microreach.web.errors import ProblemMiddleware
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

HUGE_INTEGER = "1" + "0" * 30
MEGABYTES_25 = 25 * 1024 * 1024


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # The API counts requests per user in the cache; these tests send a few hundred.
    cache.clear()
    yield
    cache.clear()


def _step(kind: str, places: int | None) -> Decimal:
    if kind == "integer":
        return Decimal(1)
    if places is not None:
        return Decimal(1).scaleb(-places)
    return Decimal("0.000001")


# ------------------------------------------------------------------------------------ stored odd rows

ODD_AMOUNTS = ["1000000000000", "1e300", "-5", "12.3456"]


def _store_raw(model: type[models.Model], pk: int, **values: str) -> None:
    """Write values as an older version (or another program) could have: straight into the table."""
    columns = ", ".join(f'"{model._meta.get_field(name).column}" = %s' for name in values)
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{model._meta.db_table}" SET {columns} WHERE id = %s', [*values.values(), pk])


@pytest.mark.parametrize("odd", ODD_AMOUNTS)
def test_an_odd_stored_amount_takes_no_page_down(odd, client_for):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite keeps a number its column cannot hold")
    # given an open campaign with an applicant, whose amounts hold what the columns cannot
    brand_user, brand_tenant = h.brand()
    campaign = h.open_campaign(brand_tenant)
    creator_tenant, app = h.apply(campaign)
    _store_raw(Campaign, campaign.pk, fee=odd, budget=odd, commission_rate=odd)
    _store_raw(Application, app.pk, proposed_fee=odd, agreed_fee=odd)
    viewer, _viewer_tenant, _account = h.audited_creator()
    operator = factories.user(staff=True)
    operator.is_superuser = True
    operator.save()
    pages = {
        viewer: ["/campaigns/", "/api/campaigns/feed", f"/campaigns/{campaign.pk}/brief/"],
        User.objects.get(pk=creator_tenant.user_id): ["/campaigns/", f"/campaigns/applications/{app.pk}/"],
        brand_user: [
            "/campaigns/",
            f"/campaigns/{campaign.pk}/",
            f"/campaigns/{campaign.pk}/edit/",
            f"/campaigns/{campaign.pk}/applicants/",
            f"/campaigns/{campaign.pk}/compare/?id={app.pk}",
            f"/campaigns/applications/{app.pk}/",
            f"/reports/campaigns/{campaign.pk}/",
            "/api/campaigns",
            f"/api/campaigns/{campaign.pk}",
            f"/api/campaigns/{campaign.pk}/applicants",
            f"/api/campaigns/applications/{app.pk}",
        ],
        operator: [
            "/admin/campaigns/campaign/",
            f"/admin/campaigns/campaign/{campaign.pk}/change/",
            "/admin/campaigns/application/",
            f"/admin/campaigns/application/{app.pk}/change/",
        ],
    }
    # when each page is read, then none fails
    failed = []
    for user, urls in pages.items():
        client = client_for(user)
        client.raise_request_exception = False
        failed += [(url, status) for url in urls if (status := client.get(url).status_code) >= 500]
    assert failed == []
    # and the brand can repair the campaign through the API
    repaired = client_for(brand_user).put(
        f"/api/campaigns/{campaign.pk}",
        json.dumps(_campaign_body(fee="100.00", budget="2000.00")),
        content_type="application/json",
    )
    assert repaired.status_code == 200, repaired.content
    campaign.refresh_from_db()
    assert (campaign.fee, campaign.budget) == (Decimal("100.00"), Decimal("2000.00"))


# ---------------------------------------------------------------------------- the findings, one by one


def _campaign_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Bounds",
        "deliverables": [{"network": "instagram", "kind": "reel", "count": 1}],
        "compensation": "fee",
        "fee": "100.00",
        **h.open_dates_iso(),
    }
    body.update(overrides)
    return body


def _json_with(body: dict[str, Any], path: tuple[Any, ...], literal: str) -> str:
    """``body`` as JSON text with the value at ``path`` written as ``literal`` (1e400, NaN... as is)."""
    marker = "__BOUNDS_VALUE__"
    target: Any = body
    for key in path[:-1]:
        if isinstance(key, int):
            while len(target) <= key:
                target.append({})
        elif key not in target or not isinstance(target[key], dict | list):
            target[key] = [] if isinstance(path[path.index(key) + 1], int) else {}
        target = target[key]
    if isinstance(path[-1], int):
        while len(target) <= path[-1]:
            target.append(None)
    target[path[-1]] = marker
    return json.dumps(body).replace(f'"{marker}"', literal)


def _problems(response) -> list[str]:
    if _is_invalid_search(response):
        # the search's filters answer as docs/search.md says: one problem per filter, by its name
        return [f"query.{p['field']}" for p in response.json()["error"]["details"]["problems"]]
    if response.status_code != 422:
        return []
    return [p["location"] for p in response.json()["error"]["details"]["problems"]]


def _is_invalid_search(response) -> bool:
    return response.status_code == 400 and response.json()["error"]["code"] == "invalid_search"


@pytest.mark.parametrize("fee", [HUGE_INTEGER, "1e400", "NaN", "Infinity", "-1", "10000000000"])
def test_a_hostile_fee_is_refused_by_the_api_and_nothing_is_stored(fee, client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    brand = client_for(user)
    for method, url in (("post", "/api/campaigns"), ("put", f"/api/campaigns/{campaign.pk}")):
        response = getattr(brand, method)(
            url, _json_with(_campaign_body(), ("fee",), fee), content_type="application/json"
        )
        assert response.status_code == 422, (method, fee, response.content)
        assert _problems(response) == ["body.payload.fee"]
    assert list(Campaign.objects.values_list("pk", "fee")) == [(campaign.pk, Decimal("150.00"))]


@pytest.mark.parametrize("fee", [HUGE_INTEGER, "1e400", "NaN", "Infinity", "-1", "10000000000", "1.001"])
def test_a_hostile_fee_is_a_form_error_and_nothing_is_stored(fee, client_for):
    user, _tenant = h.brand()
    response = client_for(user).post("/campaigns/new/", _campaign_form(fee=fee))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["fee"]
    assert Campaign.objects.count() == 0


def test_a_claim_check_of_a_huge_or_unknown_id_is_404_and_changes_nothing(client_for):
    creator = client_for(factories.creator_user())
    creator.raise_request_exception = False
    for claim_id in ("9999999999999999999999999", "99999", "9223372036854775808"):
        assert creator.post(f"/creators/claims/{claim_id}/check/").status_code == 404, claim_id
    assert ProfileClaim.objects.count() == 0


def test_a_second_claim_of_an_account_whose_creator_row_was_left_is_not_a_500(client_for):
    # given an account claimed once, then re-linked away from the creator row its claim made
    first = factories.creator_user()
    account = factories.account(handle="twice", bio="")
    SocialAccount.objects.filter(pk=account.pk).update(creator=None)
    claim = creator_services.claim_start(tenant=tenant_for(first), network="instagram", handle="twice")
    SocialAccount.objects.filter(pk=account.pk).update(bio=claim.code, creator=None)
    creator_services.claim_verify(tenant=tenant_for(first), claim_id=claim.pk)
    SocialAccount.objects.filter(pk=account.pk).update(creator=None)
    # when another creator claims it and checks
    second = factories.creator_user()
    again = creator_services.claim_start(tenant=tenant_for(second), network="instagram", handle="twice")
    SocialAccount.objects.filter(pk=account.pk).update(bio=f"{claim.code} {again.code}")
    client = client_for(second)
    client.raise_request_exception = False
    response = client.post(f"/creators/claims/{again.pk}/check/", follow=True)
    # then a clear refusal: the profile stays the first creator's
    assert response.status_code == 200
    assert "already" in response.content.decode().lower()
    assert Creator.objects.get(external_key="claimed:instagram:twice").claimed_by_id == first.pk
    # and the first creator checking again takes the same row back, without a unique error
    client = client_for(first)
    assert client.post(f"/creators/claims/{claim.pk}/check/").status_code == 302
    assert SocialAccount.objects.get(pk=account.pk).creator.claimed_by_id == first.pk
    assert Creator.objects.filter(external_key="claimed:instagram:twice").count() == 1


def _answer(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def test_a_unique_error_a_view_did_not_catch_is_a_409_not_a_500():
    middleware = ProblemMiddleware(_answer)
    response = middleware.process_exception(
        RequestFactory().post("/campaigns/new/"), IntegrityError("UNIQUE")
    )
    assert response is not None and response.status_code == 409
    api_response = middleware.process_exception(
        RequestFactory().post("/api/campaigns"), IntegrityError("UNIQUE")
    )
    assert api_response is not None and api_response.status_code == 409
    assert json.loads(api_response.content)["error"]["code"] == "conflict"


def test_a_25_mb_body_is_413_for_the_api_and_the_forms(client_for):
    user, _tenant = h.brand()
    brand = client_for(user)
    big = b'{"title": "' + b"a" * MEGABYTES_25 + b'"}'
    api = brand.post("/api/campaigns", big, content_type="application/json")
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "too_large"
    page = brand.post(
        "/campaigns/new/", b"title=" + b"a" * MEGABYTES_25, content_type="application/x-www-form-urlencoded"
    )
    assert page.status_code == 413
    assert Campaign.objects.count() == 0


def test_multipart_without_a_boundary_is_400(client_for):
    user, _tenant = h.brand()
    brand = client_for(user)
    brand.raise_request_exception = False
    for url in ("/api/campaigns", "/campaigns/new/"):
        response = brand.post(url, b"title=x", content_type="multipart/form-data")
        assert response.status_code in (400, 415), (url, response.status_code)
    assert Campaign.objects.count() == 0


# ------------------------------------------------------------------------------------------ forms


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for app in pkgutil.iter_modules(microreach.web.__path__):
        if not app.ispkg:
            continue
        try:
            module = importlib.import_module(f"microreach.web.{app.name}.forms")
        except ModuleNotFoundError:
            continue
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, forms.BaseForm)
            and value.__module__ == module.__name__
        ]
    return found


NUMERIC_FORM_FIELDS = [
    pytest.param(form, name, id=f"{form.__name__}.{name}")
    for form in _form_classes()
    for name, field in form.base_fields.items()
    if isinstance(field, forms.IntegerField)  # DecimalField and FloatField are IntegerFields in Django
]


def _form_field_bounds(field: forms.IntegerField) -> tuple[Decimal, Decimal, Decimal]:
    places = getattr(field, "decimal_places", None)
    kind = (
        "decimal"
        if isinstance(field, forms.DecimalField)
        else "float"
        if isinstance(field, forms.FloatField)
        else "integer"
    )
    assert field.min_value is not None and field.max_value is not None, "a numeric field without bounds"
    return Decimal(str(field.min_value)), Decimal(str(field.max_value)), _step(kind, places)


def test_every_form_has_been_found():
    assert {f.__name__ for f in _form_classes()} >= {"CampaignForm", "ApplyForm", "DecisionForm", "ShipForm"}
    assert len(NUMERIC_FORM_FIELDS) >= 12


@pytest.mark.parametrize(("form", "name"), NUMERIC_FORM_FIELDS)
def test_every_numeric_form_field_refuses_what_is_out_of_its_bounds(form, name):
    field = form.base_fields[name]
    lower, upper, step = _form_field_bounds(field)
    hostile = [
        str(upper + step),
        str(lower - step),
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "1e400",
        HUGE_INTEGER,
        "9" * 5000,
    ]
    for value in hostile:
        with pytest.raises(ValidationError):
            field.clean(value)
    for value in (str(lower), str(upper)):
        field.clean(value)


FORMS_OF_MODELS = [
    (CampaignForm, Campaign),
    (ApplyForm, Application),
    (DecisionForm, Application),
    (ShipForm, Shipment),
]


@pytest.mark.parametrize(("form", "model"), FORMS_OF_MODELS)
def test_the_forms_bounds_are_the_models(form, model):
    columns = numeric_bounds(model)
    shared = [name for name in form.base_fields if name in columns]
    assert shared
    for name in shared:
        field, bounds = form.base_fields[name], columns[name]
        # a share typed in percent (PercentField) has the column's bounds times its scale
        scale = getattr(field, "scale", 1)
        assert (field.min_value, field.max_value, getattr(field, "decimal_places", None)) == (
            None if bounds.lower is None else bounds.lower * scale,
            None if bounds.upper is None else bounds.upper * scale,
            bounds.decimal_places,
        ), name


def _campaign_form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Bounds",
        "deliverables": "instagram reel 1",
        "compensation": "fee",
        "fee": "100",
        "unknown_figures": "audit",
        "creators_wanted": "5",
        **h.open_dates_iso(),
        "min_days_online": "30",
        "review_days": "10",
    }
    data.update(overrides)
    return data


CAMPAIGN_FORM_NUMBERS = [
    name for form, name in (p.values for p in NUMERIC_FORM_FIELDS) if form is CampaignForm
]


@pytest.mark.parametrize("name", CAMPAIGN_FORM_NUMBERS)
def test_the_campaign_page_refuses_each_number_out_of_bounds_and_stores_nothing(name, client_for):
    user, _tenant = h.brand()
    client = client_for(user)
    lower, upper, step = _form_field_bounds(CampaignForm.base_fields[name])
    for value in (str(upper + step), str(lower - step), "NaN", "1e400"):
        response = client.post("/campaigns/new/", _campaign_form(**{name: value}))
        assert response.status_code == 200, (name, value)
        assert list(response.context["form"].errors) == [name], (name, value)
    assert Campaign.objects.count() == 0


def test_the_campaign_page_stores_every_number_at_its_bounds(client_for):
    user, _tenant = h.brand()
    client = client_for(user)
    for end in (0, 1):
        values = {
            name: _form_field_bounds(CampaignForm.base_fields[name])[end] for name in CAMPAIGN_FORM_NUMBERS
        }
        response = client.post("/campaigns/new/", _campaign_form(**{k: str(v) for k, v in values.items()}))
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        stored = Campaign.objects.order_by("-pk").values(*values).first()
        assert stored is not None
        # a share typed in percent is stored as the fraction
        scales = {k: Decimal(getattr(CampaignForm.base_fields[k], "scale", 1)) for k in values}
        assert {k: Decimal(str(v)) * scales[k] for k, v in stored.items()} == values


# -------------------------------------------------------------------------------------------- API


def _openapi() -> dict[str, Any]:
    from microreach.web.api.router import api

    return api.get_openapi_schema()


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _branches(schema: dict[str, Any], spec: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema, spec)
    return [_resolve(b, spec) for b in schema.get("anyOf", schema.get("allOf", []))] or [schema]


def _numeric(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any] | None:
    return next((b for b in _branches(schema, spec) if b.get("type") in ("integer", "number")), None)


def _numeric_properties(schema: dict[str, Any], spec: dict[str, Any], prefix: tuple[Any, ...] = ()) -> list:
    out = []
    for name, prop in _resolve(schema, spec).get("properties", {}).items():
        number = _numeric(prop, spec)
        if number is not None:
            out.append(((*prefix, name), number))
            continue
        for branch in _branches(prop, spec):
            if branch.get("type") == "array" and "items" in branch:
                out += _numeric_properties(branch["items"], spec, (*prefix, name, 0))
            elif "properties" in branch:
                out += _numeric_properties(branch, spec, (*prefix, name))
    return out


def _filled(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _body_inputs() -> list:
    spec = _openapi()
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                numbers = _numeric_properties(content["application/json"]["schema"], spec)
                if numbers:
                    found.append(pytest.param(method, path, numbers, id=f"{method} {path}"))
    return found


def _query_inputs() -> list:
    spec = _openapi()
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                number = _numeric(parameter.get("schema", {}), spec)
                if parameter.get("in") == "query" and number is not None:
                    found.append(
                        pytest.param(
                            method, path, parameter["name"], number, id=f"{method} {path} {parameter['name']}"
                        )
                    )
    return found


def _path_inputs() -> list:
    spec = _openapi()
    return [
        pytest.param(method, path, id=f"{method} {path}")
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if any(
            p.get("in") == "path" and _numeric(p.get("schema", {}), spec)
            for p in operation.get("parameters", [])
        )
    ]


BODY_INPUTS = _body_inputs()
QUERY_INPUTS = _query_inputs()
PATH_INPUTS = _path_inputs()


def _limits(number: dict[str, Any]) -> tuple[Decimal, Decimal, Decimal]:
    assert "minimum" in number and "maximum" in number, f"a numeric input without bounds: {number}"
    lower, upper = Decimal(str(number["minimum"])), Decimal(str(number["maximum"]))
    places = max(_places(lower), _places(upper))
    return lower, upper, _step(number["type"] if number["type"] == "integer" else "decimal", places or 6)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _is_identifier(where: tuple[Any, ...]) -> bool:
    """Ids are not amounts: any integer is allowed in, an unknown one is a 4xx (tested on their own)."""
    return where[-1] == "id" or str(where[-1]).endswith("_id")


def _hostile_literals(number: dict[str, Any]) -> list[str]:
    lower, upper, step = _limits(number)
    return [
        str(upper + step),
        str(lower - step),
        "NaN",
        '"NaN"',
        "Infinity",
        "-Infinity",
        "1e400",
        HUGE_INTEGER,
    ]


def test_the_api_inputs_have_been_found():
    names = {path[-1] for p in BODY_INPUTS for path, _n in p.values[2]}
    assert {
        "fee",
        "budget",
        "commission_rate",
        "proposed_fee",
        "agreed_fee",
        "cost",
        "unit_value",
        "count",
    } <= names
    assert {p.values[2] for p in QUERY_INPUTS} >= {"page", "per_page"}
    assert len(PATH_INPUTS) > 20


@pytest.mark.parametrize(("method", "path", "numbers"), BODY_INPUTS)
def test_every_numeric_body_property_refuses_what_is_out_of_its_bounds(method, path, numbers, client_for):
    client = client_for(h.brand()[0])
    client.raise_request_exception = False
    url = _filled(path)
    for where, number in numbers:
        suffix = "." + ".".join(str(part) for part in where)
        if _is_identifier(where):
            for literal in (HUGE_INTEGER, "-1", "NaN", "1e400"):
                response = getattr(client, method)(
                    url, _json_with({}, where, literal), content_type="application/json"
                )
                assert 400 <= response.status_code < 500, (suffix, literal, response.status_code)
            continue
        for literal in _hostile_literals(number):
            response = getattr(client, method)(
                url, _json_with({}, where, literal), content_type="application/json"
            )
            assert response.status_code == 422, (suffix, literal, response.status_code)
            assert any(
                found.startswith("body.") and found.endswith(suffix) for found in _problems(response)
            ), (
                suffix,
                literal,
                _problems(response),
            )
        lower, upper = _limits(number)[:2]
        for literal in (str(lower), str(upper)):
            response = getattr(client, method)(
                url, _json_with({}, where, literal), content_type="application/json"
            )
            assert not any(found.endswith(suffix) for found in _problems(response)), (suffix, literal)
            assert response.status_code < 500


@pytest.mark.parametrize(("method", "path", "name", "number"), QUERY_INPUTS)
def test_every_numeric_query_parameter_refuses_what_is_out_of_its_bounds(
    method, path, name, number, client_for
):
    client = client_for(h.brand()[0])
    client.raise_request_exception = False
    for literal in _hostile_literals(number):
        response = getattr(client, method)(_filled(path) + "?" + urlencode({name: literal.strip('"')}))
        assert response.status_code == 422 or _is_invalid_search(response), (
            name,
            literal,
            response.status_code,
        )
        assert f"query.{name}" in _problems(response), (name, literal)
    lower, upper = _limits(number)[:2]
    for literal in (str(lower), str(upper)):
        response = getattr(client, method)(_filled(path) + "?" + urlencode({name: literal}))
        assert f"query.{name}" not in _problems(response), (name, literal)
        assert response.status_code < 500


@pytest.mark.parametrize(("method", "path"), PATH_INPUTS)
def test_every_id_in_a_path_answers_4xx_when_huge_negative_or_unknown(method, path, client_for):
    client = client_for(h.brand()[0])
    client.raise_request_exception = False
    for value in ("9999999999999999999999999", "9223372036854775808", "-1", "2147483647"):
        url = re.sub(r"\{[^}]+\}", value, path)
        response = (
            getattr(client, method)(url, "{}", content_type="application/json")
            if method != "get"
            else client.get(url)
        )
        assert 400 <= response.status_code < 500, (url, response.status_code)


def test_the_api_stores_every_campaign_number_at_its_bounds(client_for):
    spec = _openapi()
    schema = spec["paths"]["/api/campaigns"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    top = [(where[0], number) for where, number in _numeric_properties(schema, spec) if len(where) == 1]
    client = client_for(h.brand()[0])
    for end in (0, 1):
        values = {name: _limits(number)[end] for name, number in top if name != "organisation_id"}
        body = _campaign_body(**{k: str(v) for k, v in values.items()})
        response = client.post("/api/campaigns", json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.content
        stored = Campaign.objects.filter(pk=response.json()["id"]).values(*values).get()
        assert {k: Decimal(str(v)) for k, v in stored.items()} == values


# ---------------------------------------------------------------------------------------- imports

NUMBER_KINDS = (ColumnKind.COUNT, ColumnKind.INTEGER, ColumnKind.SHARE, ColumnKind.AMOUNT)
KIND_RANGES = {
    ColumnKind.COUNT: (Decimal(0), Decimal(MAX_COUNT), Decimal(1)),
    ColumnKind.INTEGER: (Decimal(0), Decimal(MAX_SMALL_INTEGER), Decimal(1)),
    ColumnKind.SHARE: (Decimal(0), Decimal(1), Decimal("0.000001")),
    ColumnKind.AMOUNT: (Decimal(0), Decimal(MAX_AMOUNT), Decimal("0.01")),
}
IMPORT_NUMBERS = [
    pytest.param(record_type, spec, id=f"{record_type}.{spec.name}")
    for record_type, specs in RECORD_COLUMNS.items()
    for spec in specs
    if spec.kind in NUMBER_KINDS
]


def test_the_import_numbers_have_been_found():
    assert len(IMPORT_NUMBERS) > 40


@pytest.mark.parametrize(("record_type", "spec"), IMPORT_NUMBERS)
def test_every_import_number_column_refuses_what_is_out_of_its_bounds(record_type, spec):
    lower, upper, step = KIND_RANGES[spec.kind]
    hostile = [
        str(upper + step),
        str(lower - step),
        "NaN",
        "nan",
        "inf",
        "-inf",
        "1e400",
        HUGE_INTEGER,
        "9" * 5000,
    ]
    frame = pl.DataFrame({spec.name: [*hostile, str(lower), str(upper)]})
    lines = pl.Series(range(1, len(frame) + 1)).to_numpy()
    check = validate_frame(
        record_type=record_type, frame=frame, lines=lines, file="x.csv", detail_budget=1000
    )
    refused = {error.line for error in check.errors if error.field == spec.name}
    assert refused == set(range(1, len(hostile) + 1)), [str(e) for e in check.errors if e.field == spec.name]


def _live_field(record_type: str, column: str) -> models.Field | None:
    live = LIVE_TABLES[record_type]
    name = stored_fields(record_type).get(column)
    if name is None:
        return None
    field = apps.get_model(live.model)._meta.get_field(name)
    return field if isinstance(field, models.Field) and not field.is_relation else None


@pytest.mark.parametrize(("record_type", "spec"), IMPORT_NUMBERS)
def test_every_import_number_fits_its_live_column(record_type, spec):
    field = _live_field(record_type, spec.name)
    if field is None or isinstance(field, models.JSONField):
        pytest.skip("published into a JSON document or another table")
    lower, upper = KIND_RANGES[spec.kind][:2]
    allowed, storage = bounds_of(field), bounds_of(field, validators=False)
    if record_type == "campaign" and spec.name in numeric_bounds(Campaign):
        # the web import holds a campaign's numbers to the model's bounds (tested below)
        lower = max(lower, Decimal(str(allowed.lower)))
        upper = min(upper, Decimal(str(allowed.upper)))
    # what passes the import is what the product allows, and what the column can hold
    assert allowed.lower is None or allowed.lower <= lower, (record_type, spec.name)
    assert allowed.upper is None or upper <= allowed.upper, (record_type, spec.name)
    assert storage.lower is None or storage.lower <= lower, (record_type, spec.name)
    assert storage.upper is None or upper <= storage.upper, (record_type, spec.name)


CAMPAIGNS_HEADER = "brand_key,campaign_key,title,applications_close_on,publication_start,publication_end,state,deliverables,compensation"
ACCOUNTS = (
    "# microreach: record_type=account, version=1\nnetwork,handle,followers\ninstagram,lea.cuisine,12000\n"
)
BRANDS = "# microreach: record_type=brand, version=1\nbrand_key,name,country,currency,jurisdictions\nverdure,Verdure,FR,EUR,FR\n"


def _import(tmp_path: Path, rows: list[dict[str, str]]):
    from microreach.web.accounts.models import Organisation
    from microreach.web.creators.imports import import_batch_create, import_files

    columns = sorted({name for row in rows for name in row})
    lines = [f"{CAMPAIGNS_HEADER},{','.join(columns)}"]
    for index, row in enumerate(rows):
        base = (
            f"verdure,c{index},Campaign {index},2026-08-01,2026-08-10,2026-08-31,draft,instagram:reel:1,fee"
        )
        lines.append(base + "," + ",".join(row.get(name, "") for name in columns))
    paths = []
    for name, text in (
        ("a", ACCOUNTS),
        ("b", BRANDS),
        ("c", "# microreach: record_type=campaign, version=1\n" + "\n".join(lines) + "\n"),
    ):
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    owner = Organisation.objects.filter(slug="follower-samples").first() or factories.organisation()
    Organisation.objects.filter(pk=owner.pk).update(slug="follower-samples")
    batch = import_batch_create(files=paths, source="simulator", organisation_id=owner.pk)
    return import_files(batch=batch)


def _campaign_import_limits() -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """Campaign columns whose model bounds are narrower than their kind's: the web import's to hold."""
    kinds = {spec.name: spec.kind for spec in RECORD_COLUMNS["campaign"]}
    out = {}
    for name, bounds in numeric_bounds(Campaign).items():
        if name not in kinds:
            continue
        out[name] = (Decimal(str(bounds.lower)), Decimal(str(bounds.upper)), KIND_RANGES[kinds[name]][2])
    return out


@pytest.mark.django_db(transaction=True)
def test_a_campaign_import_refuses_each_number_beyond_the_models_bounds_and_stores_the_bounds(tmp_path):
    from microreach.web.creators.imports import ImportRejected

    kinds = {spec.name: spec.kind for spec in RECORD_COLUMNS["campaign"]}
    beyond: list[dict[str, str]] = []
    for name, (lower, upper, _step_) in _campaign_import_limits().items():
        kind_lower, kind_upper, step = KIND_RANGES[kinds[name]]
        beyond += [
            {name: str(value)} for value in (upper + step, lower - step) if kind_lower <= value <= kind_upper
        ]
    assert {next(iter(row)) for row in beyond} >= {
        "commission_rate",
        "min_quality_score",
        "creators_wanted",
        "review_days",
        "min_days_online",
    }
    with pytest.raises(ImportRejected) as caught:
        _import(tmp_path, beyond)
    errors = caught.value.details["errors"]
    assert sorted((e["line"], e["field"], e["code"]) for e in errors) == sorted(
        (index + 3, next(iter(row)), "out_of_range") for index, row in enumerate(beyond)
    )
    assert Campaign.objects.count() == 0
    # the bounds themselves are published
    limits = _campaign_import_limits()
    at_bounds = [{name: str(bound[end]) for name, bound in limits.items()} for end in (0, 1)]
    _import(tmp_path, at_bounds)
    stored = list(Campaign.objects.order_by("external_key").values(*limits))
    assert [{k: Decimal(str(v)) for k, v in row.items()} for row in stored] == [
        {name: bound[end] for name, bound in limits.items()} for end in (0, 1)
    ]
