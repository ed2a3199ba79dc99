"""Coordinators lead or deputise a group (``GroupCoordinator.role``), and a
lead can hand a group over (``Handover``).

The many-to-many table of ``Coordinator.groups`` becomes ``GroupCoordinator``
without being rebuilt: the state learns the model over the same table, then
the ``role`` column is added with every existing row as lead.
"""

import django.db.models.deletion
import groups.models.scope
import phonenumber_field.modelfields
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Coordinators see their own offers, staff their zone's; the portal writes them.
HANDOVER_PERMISSIONS = ["view_handover"]
ROLES = ["coordinator", "zone-staff"]


def grant_roles(apps, schema_editor):
    """Permissions are normally created after all migrations: create them first.

    A role may not exist yet on a fresh database (the roles migration runs in
    its own app); it is created here then and completed there.
    """
    app_config = apps.get_app_config("groups")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="groups", codename__in=HANDOVER_PERMISSIONS
    )
    for name in ROLES:
        role, _ = Group.objects.get_or_create(name=name)
        role.permissions.add(*permissions)


def revoke_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="groups", codename__in=HANDOVER_PERMISSIONS
    )
    for role in Group.objects.filter(name__in=ROLES):
        role.permissions.remove(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('groups', '0010_meeting_sequence_and_cancel'),
    ]

    operations = [
        # The table Django made for Coordinator.groups becomes the model's
        # table as it is: same name, columns and unique index, no row lost.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='GroupCoordinator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('coordinator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='group_links', to='groups.coordinator', verbose_name='coordinator')),
                        ('whatsappgroup', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='coordinator_links', to='groups.whatsappgroup', verbose_name='WhatsApp group')),
                    ],
                    options={
                        'verbose_name': 'coordinator of a group',
                        'verbose_name_plural': 'coordinators of a group',
                        'db_table': 'groups_coordinator_groups',
                        'unique_together': {('coordinator', 'whatsappgroup')},
                    },
                    bases=(groups.models.scope.ZoneAudited, models.Model),
                ),
                migrations.AlterField(
                    model_name='coordinator',
                    name='groups',
                    field=models.ManyToManyField(blank=True, related_name='coordinators', through='groups.GroupCoordinator', to='groups.whatsappgroup', verbose_name='WhatsApp groups'),
                ),
            ],
            database_operations=[],
        ),
        # Every coordinator so far led their groups.
        migrations.AddField(
            model_name='groupcoordinator',
            name='role',
            field=models.CharField(choices=[('lead', 'coordinator'), ('deputy', 'deputy coordinator')], default='lead', help_text='The coordinator is named in the public table; a deputy helps decide the signups and is not named there.', max_length=10, verbose_name='role'),
        ),
        migrations.CreateModel(
            name='Handover',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_name', models.CharField(max_length=100, verbose_name='first name')),
                ('last_name', models.CharField(max_length=100, verbose_name='last name')),
                ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                ('phone', phonenumber_field.modelfields.PhoneNumberField(blank=True, max_length=128, region=None, verbose_name='mobile number')),
                ('stays_as_deputy', models.BooleanField(default=False, help_text='Without this, the group is no longer yours once your successor accepts.', verbose_name='I stay on as deputy coordinator')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='offered')),
                ('expires_at', models.DateTimeField(verbose_name='valid until')),
                ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted')),
                ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled')),
                ('from_coordinator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='handovers_offered', to='groups.coordinator', verbose_name='handed over by')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='handovers', to='groups.whatsappgroup', verbose_name='WhatsApp group')),
                ('successor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='handovers_received', to='groups.coordinator', verbose_name='successor')),
            ],
            options={
                'verbose_name': 'handover',
                'verbose_name_plural': 'handovers',
                'ordering': ['-created_at'],
            },
            bases=(groups.models.scope.ZoneAudited, models.Model),
        ),
        migrations.AddConstraint(
            model_name='groupcoordinator',
            constraint=models.CheckConstraint(condition=models.Q(('role__in', ['lead', 'deputy'])), name='group_coordinator_role_valid'),
        ),
        migrations.AddConstraint(
            model_name='handover',
            constraint=models.UniqueConstraint(condition=models.Q(('accepted_at__isnull', True), ('cancelled_at__isnull', True)), fields=('group',), name='one_open_handover_per_group', violation_error_message='This group already has a handover waiting for an answer.'),
        ),
        migrations.AddConstraint(
            model_name='handover',
            constraint=models.CheckConstraint(condition=models.Q(('accepted_at__isnull', True), ('cancelled_at__isnull', True), _connector='OR'), name='handover_accepted_or_cancelled'),
        ),
        migrations.RunPython(grant_roles, revoke_roles),
    ]
