from django.apps import AppConfig


class ZoomConfig(AppConfig):
    name = "zoom"
    verbose_name = "Zoom"

    def ready(self) -> None:
        # The meetings app knows providers only through its registry.
        from meetings.providers import register
        from zoom.provider import ZoomProvider

        register(ZoomProvider())
