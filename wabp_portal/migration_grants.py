"""Giving the roles (auth Groups) permissions from a data migration.

Data migrations import this module, so it must stay as it is once one
has used it: change what a migration grants in a new migration, never here.
Migrations before 0016 of ``registrations`` carry a copy of their own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# role name -> [(app label, permission codename)]
Grants = dict[str, list[tuple[str, str]]]


def grant_permissions(grants: Grants) -> migrations.RunPython:
    """A reversible operation adding (and on the way back removing) ``grants``."""

    def permissions(apps):
        # The permissions of models created in the same run of migrate exist
        # only once Django's post_migrate has run: make them now.
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
        Permission = apps.get_model("auth", "Permission")
        for role, codes in grants.items():
            for app_label, codename in codes:
                yield (
                    role,
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )

    def grant(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        for role, permission in permissions(apps):
            Group.objects.get(name=role).permissions.add(permission)

    def revoke(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        for role, permission in permissions(apps):
            group = Group.objects.filter(name=role).first()
            if group:
                group.permissions.remove(permission)

    return migrations.RunPython(grant, revoke)
