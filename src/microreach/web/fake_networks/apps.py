from django.apps import AppConfig


class FakeNetworksConfig(AppConfig):
    name = "microreach.web.fake_networks"
    label = "fake_networks"
    verbose_name = "Local fake networks"
