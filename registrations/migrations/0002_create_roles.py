"""Create the roles as auth Groups with their permissions.

Permissions are normally created after all migrations ran; they are created
here first so a fresh database has complete roles.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "coordinator": [
        "groups.view_whatsappgroup",
        "groups.change_whatsappgroup",
        "groups.view_coordinator",
        "registrations.view_signup",
        "registrations.change_signup",
    ],
    "zone-staff": [
        f"groups.{action}_{model}"
        for model in (
            "municipality",
            "region",
            "regionstreet",
            "street",
            "whatsappgroup",
            "coordinator",
            "meeting",
            "download",
        )
        for action in ("add", "change", "delete", "view")
    ]
    + [
        "groups.view_policezone",
        "groups.change_policezone",
        "registrations.view_signup",
        "registrations.change_signup",
        "registrations.view_statuschange",
        "registrations.add_houserules",
        "registrations.change_houserules",
        "registrations.view_houserules",
    ],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=ROLE_PERMISSIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("groups", "0001_initial_network"),
        ("registrations", "0001_initial_signups"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
