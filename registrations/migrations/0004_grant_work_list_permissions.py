"""Let both roles use the pending-signup and member lists; staff see exports."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "coordinator": [
        "registrations.view_pendingsignup",
        "registrations.change_pendingsignup",
        "registrations.view_member",
        "registrations.change_member",
    ],
    "zone-staff": [
        "registrations.view_pendingsignup",
        "registrations.change_pendingsignup",
        "registrations.view_member",
        "registrations.change_member",
        "registrations.view_exportrecord",
    ],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in GRANTS.items():
        group = Group.objects.get(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0003_add_exports_reminders_and_work_lists"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
