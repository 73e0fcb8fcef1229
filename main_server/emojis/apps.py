from django.apps import AppConfig


class EmojisConfig(AppConfig):
    name = "emojis"

    def ready(self) -> None:
        from emojis import metrics

        metrics.register()
