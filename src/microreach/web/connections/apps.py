from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectionsConfig(AppConfig):
    name = "microreach.web.connections"
    label = "connections"
    verbose_name = _("Connected accounts")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from microreach.web.connections.deletion import user_deleting

        # a deleted user's connections are revoked at the network (connections.deletion)
        pre_delete.connect(user_deleting, sender=get_user_model(), dispatch_uid="connections.user_deleting")
