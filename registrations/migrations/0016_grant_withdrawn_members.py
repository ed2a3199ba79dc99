"""Coordinators and police-zone staff see the members who withdrew from their
groups, and mark them removed from the WhatsApp group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "coordinator": [
        ("registrations", "view_withdrawnmember"),
        ("registrations", "change_withdrawnmember"),
    ],
    "zone-staff": [
        ("registrations", "view_withdrawnmember"),
        ("registrations", "change_withdrawnmember"),
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
        ("registrations", "0015_add_withdrawn_members"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
