from django.urls import include, path

urlpatterns = [path("_fake/", include("microreach.web.fake_networks.urls"))]
