from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreatorsConfig(AppConfig):
    name = "microreach.web.creators"
    label = "creators"
    verbose_name = _("Creators and social data")
