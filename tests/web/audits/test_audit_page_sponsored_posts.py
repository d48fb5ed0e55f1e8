"""The audit page's sponsored posts, disclosure reasons, data age and growth anomalies read as a brand reads
them: a post by its day and caption, never its network id; where a label stands; "today"; no "robust z"."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client

from microreach.web.accounts.models import Membership
from microreach.web.creators.imports import import_batch_create, import_files
from microreach.web.creators.models import Post
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = """# microreach: record_type=account, version=1
network,handle,followers,following,country,language,topics
instagram,clemence.velo,12000,300,FR,fr,sport
"""


def _days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT10:00:00Z")


POSTS = f"""# microreach: record_type=post, version=1
network,handle,network_post_id,published_at,caption,likes,comments,url
instagram,clemence.velo,clemence_mar2dap15,{_days_ago(26)},Publicité — ma nouvelle selle testée sur 200 km avec @verdure.box et toute l'équipe,380,12,https://www.instagram.com/p/Cx1/
instagram,clemence.velo,clemence_code,{_days_ago(22)},Code VELO15 chez @verdure.box,420,25,
instagram,clemence.velo,clemence_plain,{_days_ago(18)},Sortie du dimanche,400,20,https://www.instagram.com/p/Cx3/
"""


@pytest.fixture
def pages(tmp_path: Path, django_capture_on_commit_callbacks):
    admin = factories.member()
    org_id = Membership.objects.get(user=admin).organisation_id
    files = []
    for name, text in (("a.csv", ACCOUNTS), ("p.csv", POSTS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    with django_capture_on_commit_callbacks(execute=True):
        import_files(batch=import_batch_create(files=files, organisation_id=org_id))
    web = Client()
    web.force_login(admin)

    def read(language: str) -> str:
        page = web.get("/audits/instagram/clemence.velo/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        return html.unescape(page)

    return read


def _sponsored(page: str) -> str:
    return page.split('id="sponsored"')[1].split("</table>")[0]


def test_a_sponsored_post_is_named_by_its_day_and_caption_and_links_to_the_post(pages):
    # given an audit with two sponsored posts, one with a link and one without
    english, french = _sponsored(pages("en")), _sponsored(pages("fr"))
    # then no post is named by its network id
    for table in (english, french):
        assert ">clemence_mar2dap15<" not in table and ">clemence_code<" not in table
    # and each is named by its day the reader's way and the first words of its caption
    published = Post.objects.get(network_post_id="clemence_mar2dap15").published_at
    from microreach.web import formatting

    day_en, day_fr = formatting.day(published, "en"), formatting.day(published, "fr")
    assert (
        '<a href="https://www.instagram.com/p/Cx1/" rel="noopener noreferrer nofollow ugc">'
        f"{day_en} · “Publicité — ma nouvelle selle testée sur 200 km avec…”</a>"
    ) in english
    assert f"{day_fr} · « Publicité — ma nouvelle selle testée sur 200 km avec… »" in french
    # and a post without a link is named as plain text
    assert "Code VELO15 chez @verdure.box”</span>" in english


def test_a_stored_address_that_is_no_web_link_names_the_post_without_a_link(pages):
    # given a post whose stored address predates the http(s) rule
    Post.objects.filter(network_post_id="clemence_mar2dap15").update(url="javascript:alert(1)")
    table = _sponsored(pages("en"))
    # then the post is named, never linked, and the address is not shown
    assert "javascript:" not in table
    assert re.search(r'<span class="post-name">[^<]*“Publicité — ma nouvelle selle', table)


UNSPONSORED_POSTS = f"""# microreach: record_type=post, version=1
network,handle,network_post_id,published_at,caption,likes,comments,url
instagram,clemence.velo,clemence_a,{_days_ago(20)},Sortie du dimanche,400,20,https://www.instagram.com/p/Cx4/
instagram,clemence.velo,clemence_b,{_days_ago(10)},Col du Galibier,420,25,https://www.instagram.com/p/Cx5/
"""


def test_without_a_sponsored_post_the_disclosure_figure_says_there_was_nothing_to_check(tmp_path: Path):
    admin = factories.member()
    org_id = Membership.objects.get(user=admin).organisation_id
    files = []
    for name, text in (("a.csv", ACCOUNTS), ("p.csv", UNSPONSORED_POSTS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    import_files(batch=import_batch_create(files=files, organisation_id=org_id))
    web = Client()
    web.force_login(admin)
    for language, words in (
        ("en", "nothing to check, none of the 2 posts read is sponsored"),
        ("fr", "rien à vérifier, aucune des 2 publications lues n’est sponsorisée"),
    ):
        page = html.unescape(
            web.get("/audits/instagram/clemence.velo/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        )
        figure = page.split('id="compliance"')[1].split("</div></div>")[0]
        assert words in figure
        assert "%" not in figure.split("(")[0]
