from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "microreach.web.api"
    label = "api"
    verbose_name = "API"
