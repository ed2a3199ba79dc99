"""Database helpers the apps share."""

from django.db import models, router
from django.db.models import signals
from django.db.models.constants import OnConflict


def insert_unless_conflict(obj: models.Model) -> bool:
    """Insert ``obj`` unless a unique constraint already holds such a row.

    One statement, ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` on
    PostgreSQL (``INSERT OR IGNORE … RETURNING`` on SQLite): True when the
    row was stored (``obj`` then has its primary key), False when it was
    not. An expected duplicate is not an error: the database server logs
    every failed statement *with its values*, and a signup's values are a
    resident's name, address, phone number and e-mail address.

    The model's ``pre_save`` and ``post_save`` signals are sent as ``save()``
    sends them, so the audit log records the new row. Validate ``obj`` first:
    SQLite's ``OR IGNORE`` also skips a row that breaks a NOT NULL or CHECK
    constraint, which the caller would then take for a duplicate.
    """
    model = type(obj)
    meta = model._meta
    using = router.db_for_write(model, instance=obj)
    signals.pre_save.send(
        sender=model, instance=obj, raw=False, using=using, update_fields=None
    )
    fields = [
        field
        for field in meta.concrete_fields
        if not field.generated and not (field.primary_key and obj.pk is None)
    ]
    returning = meta.db_returning_fields
    rows = model._base_manager._insert(
        [obj],
        fields=fields,
        returning_fields=returning,
        using=using,
        on_conflict=OnConflict.IGNORE,
    )
    if not rows or rows[0] is None:
        return False
    for field, value in zip(returning, rows[0], strict=True):
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = using
    signals.post_save.send(
        sender=model,
        instance=obj,
        created=True,
        update_fields=None,
        raw=False,
        using=using,
    )
    return True
