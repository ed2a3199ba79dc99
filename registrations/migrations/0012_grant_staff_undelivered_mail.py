"""Police-zone staff see the mail of their zone that could not be delivered,
and may send a given-up mail again."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "zone-staff": [
        ("registrations", "view_undeliveredmail"),
        ("registrations", "resend_undeliveredmail"),
    ],
}


def _permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    for role, codes in GRANTS.items():
        for app_label, codename in codes:
            yield (
                role,
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, permission in _permissions(apps):
        Group.objects.get(name=role).permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, permission in _permissions(apps):
        group = Group.objects.filter(name=role).first()
        if group:
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0011_add_undelivered_mail"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
