"""One relay under one name on the audit page: an account whose posts carry first-party reach is shown the
relay its peers are ranked on (per view) in its relay figure, in the peer table and in the stored summary;
its relay per reach, a measure of its own, is named apart with its own formula."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from microreach.web.audits import services as audit_services
from microreach.web.audits.models import AuditRecord
from microreach.web.engine_text import percent_text
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

HANDLE = "ines.voyages"


def _audited_with_reach() -> AuditRecord:
    """An Instagram account whose 20 posts each have 1,000 views, 500 of first-party reach and 10 shares +
    saves: relay 1 % per view, 2 % per reach."""
    account = factories.account(handle=HANDLE, followers=8_000, country="FR", language="fr")
    now = timezone.now()
    for k in range(20):
        factories.post(
            account=account,
            published_at=now - timedelta(days=2 * k + 2),
            likes=240 + k,
            comments=9,
            shares=4,
            saves=6,
            views=1_000,
            reach=500,
        )
    audit_services.audits_run(account_ids=[account.pk])
    return AuditRecord.objects.get(account=account, organisation__isnull=True, is_latest=True)


def _relay_cells(page: str) -> dict[str, str]:
    engagement = page.split('id="engagement"')[1].split("</article>")[0]
    figure = re.search(r'id="relay"><div class="figure">([^<]*)<', engagement)
    formula = re.search(r'id="relay">.*?data-formula="([^"]*)"', engagement, re.S)
    on_reach = re.search(r'id="relay-on-reach"><div class="figure">([^<]*)<', engagement)
    reach_formula = re.search(r'id="relay-on-reach">.*?data-formula="([^"]*)"', engagement, re.S)
    peers = engagement.split('id="peers"')[1].split("</table>")[0]
    rows = [re.findall(r'<td data-label="[^"]*">([^<]*)</td>', row) for row in peers.split("<tr>")[2:]]
    assert figure and formula and on_reach and reach_formula, engagement[:600]
    return {
        "relay": figure.group(1).strip(),
        "formula": html.unescape(formula.group(1)),
        "on_reach": on_reach.group(1).strip(),
        "reach_formula": html.unescape(reach_formula.group(1)),
        "peer_relay": rows[1][0].strip(),  # rows: engagement rate, relay rate; cells: value, percentile…
    }


def test_the_relay_figure_and_the_peer_table_show_one_relay_on_its_stated_basis(client_for):
    # given an audited account whose posts carry views and first-party reach
    record = _audited_with_reach()
    web = client_for(factories.member())
    # when a brand reads its audit page in English and in French
    english = web.get(f"/audits/instagram/{HANDLE}/").content.decode()
    french = web.get(f"/audits/instagram/{HANDLE}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then the stored summary's relay is the one per view, the basis peers are ranked on
    assert record.relay_rate == pytest.approx(0.01)
    cells = _relay_cells(english)
    # the relay figure and the peer table's relay row show that same value, under its formula per view
    with translation.override("en"):
        assert cells["relay"] == cells["peer_relay"] == percent_text(record.relay_rate, 2) == "1.00%"
    assert cells["formula"] == "(shares + saves) / views"
    # the relay per reach is its own figure, with its own name and formula
    assert (cells["on_reach"], cells["reach_formula"]) == ("2.00%", "(shares + saves) / reach")
    assert "median relay on first-party reach (known for this account, not for most of its peers)" in english
    # and so in French
    french_cells = _relay_cells(french)
    assert french_cells["relay"] == french_cells["peer_relay"] == "1,00\xa0%"
    assert french_cells["on_reach"] == "2,00\xa0%"
    assert "relais médian sur la portée propre au compte" in french
