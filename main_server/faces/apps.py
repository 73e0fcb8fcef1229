from django.apps import AppConfig


class FacesConfig(AppConfig):
    name = "faces"

    def ready(self) -> None:
        from faces import metrics

        metrics.register()
