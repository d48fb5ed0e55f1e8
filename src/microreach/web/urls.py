from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from microreach.web import home
from microreach.web.api.router import api

urlpatterns = [
    path("", home.landing, name="home"),
    path("accounts/", include("microreach.web.accounts.urls")),
    path("creators/", include("microreach.web.creators.urls")),
    path("audits/", include("microreach.web.audits.urls")),
    path("discover/", include("microreach.web.discovery.urls")),
    path("campaigns/", include("microreach.web.campaigns.urls")),
    path("connections/", include("microreach.web.connections.urls")),
    path("reports/", include("microreach.web.reporting.urls")),
    path("inbox/", include("microreach.web.inbox.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

if settings.MICROREACH.get("FAKE_NETWORKS"):
    # the local fake of each network (demo and tests only; MICROREACH_FAKE_NETWORKS=1, never in production)
    urlpatterns.append(path("_fake/", include("microreach.web.fake_networks.urls")))
