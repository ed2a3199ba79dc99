"""Coordinators may change their own row (contact, listing, notifications)."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="coordinator").permissions.add(
        Permission.objects.get(
            content_type__app_label="groups", codename="change_coordinator"
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="coordinator").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="groups", codename="change_coordinator"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0005_add_house_rules_constraint_messages"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
