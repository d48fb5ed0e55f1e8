"""Request ids (X-Request-ID in and out) and JSON log lines that carry them."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest

from microreach.web.ops.logs import logging_config, request_id_var


@pytest.mark.django_db
def test_a_request_gets_an_id_in_its_response(client):
    response = client.get("/accounts/login/")

    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_the_proxy_s_request_id_is_kept(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="edge-7f3a.1")

    assert response["X-Request-ID"] == "edge-7f3a.1"


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", ["a b", "x" * 129, "id\r\nSet-Cookie: a=b", "<script>"])
def test_a_hostile_request_id_is_replaced(client, hostile):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=hostile)

    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32


def test_json_log_lines_carry_the_request_id():
    stream = io.StringIO()
    config = logging_config(fmt="json", level="INFO")
    config["handlers"]["console"]["stream"] = stream
    config["handlers"]["console"]["class"] = "logging.StreamHandler"
    logging.config.dictConfig({**config, "disable_existing_loggers": False})
    token = request_id_var.set("req-42")
    try:
        logging.getLogger("microreach.requests").info("GET /x 200", extra={"status": 200, "duration_ms": 1.5})
    finally:
        request_id_var.reset(token)
        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)

    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert (line["message"], line["request_id"], line["status"], line["level"], line["logger"]) == (
        "GET /x 200",
        "req-42",
        200,
        "INFO",
        "microreach.requests",
    )


@pytest.mark.django_db
def test_each_request_is_logged_with_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="microreach.requests"):
        client.get("/accounts/login/", HTTP_X_REQUEST_ID="trace-1")

    records = [r for r in caplog.records if r.name == "microreach.requests"]
    assert [(r.getMessage(), r.request_id, r.status) for r in records] == [
        ("GET /accounts/login/ 200", "trace-1", 200)
    ]
