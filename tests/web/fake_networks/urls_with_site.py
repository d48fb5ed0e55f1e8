from django.urls import include, path

from microreach.web.urls import urlpatterns as site

urlpatterns = [*site, path("_fake/", include("microreach.web.fake_networks.urls"))]
