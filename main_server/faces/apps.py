from django.apps import AppConfig


class FacesConfig(AppConfig):
    name = "faces"

    def ready(self) -> None:
        # Each app registers its own collectors; common never imports the apps.
        from faces.metrics import register_collectors

        register_collectors()
