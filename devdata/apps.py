from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Development data: the demo loader and the scale generator.

    An app only so that Django finds its management commands; it has no
    models and no pages. Its commands write through both apps, which is why
    they live in neither.
    """

    name = "devdata"
