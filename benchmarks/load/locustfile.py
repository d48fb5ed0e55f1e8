"""The load test's scripted users (locust), against microreach on 127.0.0.1 (``run_load.py`` starts it).

- **Brand** (weight 3): logs in, searches creators (the search page, text and filters), opens a creator's
  audit and its page in search, lists a campaign's applicants, compares two or three of them.
- **Creator** (weight 2): logs in, browses the open briefs, opens one, applies (the first application of
  an account is recorded; the same account applying again is answered with the page and its message, as
  a person would see it — both count as answered requests).
- **API client** (weight 1): a brand's token pages through the creator search API and the accounts list.

``LOAD_TARGETS`` names the JSON file ``prepare.py`` wrote; ``LOAD_WAIT`` is each user's pause between two
actions in seconds, ``"0.2-1.0"`` by default (``"0"``: none, the server's saturation).
Every response other than the expected status is a failure, with its URL in the table's error column.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant, task

TARGETS: dict[str, Any] = json.loads(Path(os.environ["LOAD_TARGETS"]).read_text(encoding="utf-8"))
_WAIT = os.environ.get("LOAD_WAIT", "0.2-1.0")
if "-" in _WAIT:
    _low, _high = (float(v) for v in _WAIT.split("-", 1))
    WAIT = between(_low, _high)
else:
    WAIT = constant(float(_WAIT))


def _login(user: HttpUser, username: str) -> None:
    user.client.get("/accounts/login/", name="login page")
    token = user.client.cookies.get("csrftoken", "")
    with user.client.post(
        "/accounts/login/",
        data={"username": username, "password": TARGETS["password"], "csrfmiddlewaretoken": token},
        name="login",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"login as {username} answered {response.status_code}")


def _csrf(user: HttpUser) -> str:
    return str(user.client.cookies.get("csrftoken", ""))


class Brand(HttpUser):
    weight = 3
    wait_time = WAIT

    def on_start(self) -> None:
        _login(self, TARGETS["brand"])

    @task(4)
    def search(self) -> None:
        query = random.choice(TARGETS["searches"])
        params = {"q": query} if query else {}
        if random.random() < 0.3:
            params["network"] = "instagram"
        self.client.get("/discover/", params=params, name="page: search")

    @task(3)
    def audit(self) -> None:
        account = random.choice(TARGETS["accounts"])
        self.client.get(f"/audits/{account['network']}/{account['handle']}/", name="page: audit")

    @task(2)
    def applicants(self) -> None:
        if not TARGETS["campaigns"]:
            return
        campaign = random.choice(TARGETS["campaigns"])
        self.client.get(f"/campaigns/{campaign['campaign']}/applicants/", name="page: applicants")

    @task(1)
    def compare(self) -> None:
        comparable = [c for c in TARGETS["campaigns"] if len(c["applications"]) >= 2]
        if not comparable:
            return
        campaign = random.choice(comparable)
        chosen = random.sample(campaign["applications"], min(3, len(campaign["applications"])))
        self.client.get(
            f"/campaigns/{campaign['campaign']}/compare/", params={"id": chosen}, name="page: compare"
        )

    @task(1)
    def creator(self) -> None:
        account = random.choice(TARGETS["accounts"])
        self.client.get(f"/discover/creators/{account['id']}/", name="page: creator")


class Creator(HttpUser):
    weight = 2
    wait_time = WAIT

    def on_start(self) -> None:
        _login(self, TARGETS["creator"])

    @task(3)
    def briefs(self) -> None:
        self.client.get("/campaigns/", name="page: briefs")

    @task(3)
    def brief(self) -> None:
        if TARGETS["briefs"]:
            item = random.choice(TARGETS["briefs"])
            self.client.get(f"/campaigns/{item['campaign']}/brief/", name="page: brief")

    @task(1)
    def apply(self) -> None:
        fitting = [b for b in TARGETS["briefs"] if b["accounts"]]
        if not fitting:
            return
        item = random.choice(fitting)
        self.client.post(
            f"/campaigns/{item['campaign']}/brief/",
            data={
                "account": item["accounts"][0],
                "pitch": "Linen is my whole feed.",
                "accept_brief": "on",
                "proposed_fee": "140",
                "csrfmiddlewaretoken": _csrf(self),
            },
            headers={"Referer": f"{self.host}/campaigns/{item['campaign']}/brief/"},
            name="post: apply",
        )


class ApiClient(HttpUser):
    weight = 1
    wait_time = WAIT

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {TARGETS['api_token']}"

    @task(3)
    def search(self) -> None:
        query = random.choice(TARGETS["searches"])
        offset = 0
        for _page in range(3):  # a client pages on while there is a next page (three at most)
            params: dict[str, Any] = {"limit": 24, "offset": offset}
            if query:
                params["q"] = query
            response = self.client.get("/api/discovery/search", params=params, name="api: search")
            if response.status_code != 200:
                return
            offset = response.json().get("next_offset")
            if offset is None:
                return

    @task(1)
    def accounts(self) -> None:
        offset = random.randrange(0, max(1, len(TARGETS["accounts"])), 50)
        self.client.get(
            "/api/creators/accounts", params={"limit": 50, "offset": offset}, name="api: accounts"
        )
