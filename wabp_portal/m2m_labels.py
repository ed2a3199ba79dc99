"""Readable labels for the link tables Django makes for many-to-many fields.

A ``ManyToManyField`` without a ``through`` model gets one made by Django
(``auto_created``), with no ``__str__`` of its own: the admin then lists its
rows as "Coordinator_groups object (15)" (an inline's rows, the objects a
delete would take along, the history). Each such row is labelled here with
the two rows it links ("Jan Peeters – WABP Terkoest"). A through model of
the project's own writes its own ``__str__``.
"""

from django.apps import apps
from django.db import models


def _link_label(link: models.Model) -> str:
    ends = [
        getattr(link, field.name)
        for field in link._meta.fields
        if isinstance(field, models.ForeignKey)
    ]
    return " – ".join(str(end) for end in ends)


def install(app_labels: list[str]) -> None:
    for model in apps.get_models(include_auto_created=True):
        if model._meta.auto_created and model._meta.app_label in app_labels:
            model.__str__ = _link_label
