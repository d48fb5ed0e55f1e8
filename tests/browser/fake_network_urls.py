"""The site's URLs plus the local fake networks (mounted by ``web/urls.py`` only when the process starts
with MICROREACH_FAKE_NETWORKS=1, which a test process does not)."""

from django.urls import include, path

from microreach.web.urls import urlpatterns as site

urlpatterns = [*site, path("_fake/", include("microreach.web.fake_networks.urls"))]
