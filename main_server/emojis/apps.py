from django.apps import AppConfig


class EmojisConfig(AppConfig):
    name = "emojis"
