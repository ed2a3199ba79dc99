"""The outbox's proxies (Mail, UndeliveredMail) moved to the kernel app.

They live in ``wabp_portal.mail.models`` now (``wabp_portal`` 0002 creates
them there). Their content types move with them, so the permissions that
hang off them (``view_undeliveredmail``, ``resend_undeliveredmail``), the
roles and users holding those, and the admin's history of them are kept:
zone staff still see and send again undelivered mail, as ``wabp_portal.*``.

When the kernel's content type exists already (on a fresh database the
grant migrations of ``registrations`` may run after ``wabp_portal`` 0002 and
make the permissions of every model they know), the old content type is
folded into the new one instead: the grants move to the kernel's permissions, and
whatever else points at the old one (the admin's history) to the new one,
before it is deleted. Back down, the same the other way round.
"""

from django.db import migrations

MODELS = ["mail", "undeliveredmail"]


def move_content_types(apps, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
        else:
            fold(apps, old, new)


def fold(apps, old, new) -> None:
    """Give ``new`` the grants and every reference of ``old``, then delete it."""
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type=old):
        kept = Permission.objects.filter(
            content_type=new, codename=permission.codename
        ).first()
        if kept is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
            continue
        kept.group_set.add(*permission.group_set.all())
        kept.user_set.add(*permission.user_set.all())
        permission.delete()
    for relation in old._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many or model._meta.label == "auth.Permission":
            continue
        name = relation.field.name
        model._base_manager.filter(**{name: old}).update(**{name: new})
    old.delete()


def to_kernel(apps, schema_editor) -> None:
    move_content_types(apps, source="registrations", target="wabp_portal")


def back_to_registrations(apps, schema_editor) -> None:
    move_content_types(apps, source="wabp_portal", target="registrations")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("registrations", "0019_signup_language_french"),
        ("wabp_portal", "0002_add_mail_proxies"),
    ]

    operations = [
        migrations.RunPython(to_kernel, back_to_registrations),
        migrations.DeleteModel(name="Mail"),
        migrations.DeleteModel(name="UndeliveredMail"),
    ]
