"""Coordinators and police-zone staff see the members who withdrew from their
groups, and mark them removed from the WhatsApp group."""

from django.db import migrations

from wabp_portal.migration_grants import grant_permissions

WITHDRAWN_MEMBERS = [
    ("registrations", "view_withdrawnmember"),
    ("registrations", "change_withdrawnmember"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0015_add_withdrawn_members"),
    ]

    operations = [
        grant_permissions(
            {"coordinator": WITHDRAWN_MEMBERS, "zone-staff": WITHDRAWN_MEMBERS}
        )
    ]
