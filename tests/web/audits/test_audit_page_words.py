"""The audit page of a YouTube creator words what a brand decides on: relay not available and why (no
shares or saves read), one "How this is computed" per section, an audience mix adding up to 100 %, the pod
verdict in the words the applicants and the comparison also use."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from microreach.web.accounts.models import Membership
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.models import Application
from tests import factories
from tests.browser.test_audit_phone import HANDLE, youtube_world
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_youtube_audit_says_why_relay_is_missing_and_computes_once_per_section(
    tmp_path, django_capture_on_commit_callbacks
):
    # given a brand's audit of a YouTube creator whose videos carry no shares or saves
    admin = factories.member()
    with django_capture_on_commit_callbacks(execute=True):
        youtube_world(tmp_path, Membership.objects.get(user=admin).organisation_id)
    web = Client()
    web.force_login(admin)
    # when she reads the audit in English and in French
    body = web.get(f"/audits/youtube/{HANDLE}/").content.decode()
    french = web.get(f"/audits/youtube/{HANDLE}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then relay is said not available, and why, on its figure and on its row of the peer table
    why = "not available: none of the 12 YouTube posts read carries shares or saves, the counts relay is made of"
    assert body.count(why) == 2
    assert french.count("aucune des 12 publications YouTube") == 2
    # the authenticity section has one "How this is computed", holding both its evidences
    authenticity = body.split('id="authenticity"')[1].split("</article>")[0]
    assert authenticity.count("How this is computed") == 1
    assert authenticity.count('class="evidence-body"') == 2
    # the measured share's interval is said in plain words: what it means, and why its upper side is wider
    reading = authenticity.split('id="fake-interval-reading">')[1].split("</p>")[0]
    assert reading.startswith("How to read the 90% interval:") and "fake accounts unlike those" in reading
    assert re.search(r"here [\d,]+ followers", reading)
    assert "Comment lire l’intervalle à 90" in french and "côté haut" in french
    # the method says where the model's error rates come from in the reader's words, not the model file's
    assert (
        "error rates measured on simulated followers from 10 generators fitted to published figures" in body
    )
    assert "abonnés simulés par 10 générateurs ajustés sur des chiffres publiés" in french
    for code_words in ("simulated profiles of", "published-silent", "rates averaged"):
        assert code_words not in body and code_words not in french
    # the audience types read 91 % + 0 % + 0 % + 9 %: whole percentages adding up to 100
    shown = [int(p) for p in re.findall(r">(\d+)%</text>", authenticity)]
    assert sum(shown) == 100, shown
    # and the pod verdict is worded as on the applicants page and the comparison
    assert '<span class="pod-verdict flag ok" data-pod="none">no pod flagged</span>' in body


def test_applicants_and_comparison_word_the_pod_verdict_as_the_audit_page(client_for):
    # given a campaign with an audited applicant without pod, one in a pod and one never audited
    user = factories.member()
    campaign = h.open_campaign(tenant_for(user), title="Linen summer")
    apps = [h.apply(campaign, score=60.0 + i, handle=f"creator.{i}")[1] for i in range(3)]
    Application.objects.filter(pk=apps[1].pk).update(pod_flagged=True)
    Application.objects.filter(pk=apps[2].pk).update(audit_at=None)
    web = client_for(user)
    # when the brand reads the applicants and compares the three, in French
    listing = web.get(f"/campaigns/{campaign.pk}/applicants/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    ids = "&".join(f"id={a.pk}" for a in apps)
    compare = web.get(f"/campaigns/{campaign.pk}/compare/?{ids}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then each says the audit page's words, never a bare dash
    for page in (listing, compare):
        assert page.count('data-pod="none">aucun pod détecté</span>') == 1
        assert page.count('data-pod="flagged">pod d’engagement</span>') == 1
        assert page.count('data-pod="unknown">pas encore audité</span>') == 1
        assert "Pod : —" not in page and "⚑" not in page
