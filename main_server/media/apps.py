from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    label = "igemoji_media"
