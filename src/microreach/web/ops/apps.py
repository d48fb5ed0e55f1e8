from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "microreach.web.ops"
    label = "ops"

    def ready(self) -> None:
        from microreach.web.ops.logs import install_record_factory

        install_record_factory()
