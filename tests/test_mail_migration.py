"""The mail proxies' move from ``registrations`` to the kernel app, on a database
the previous code made: the roles keep seeing and sending again undelivered
mail (registrations 0020 moves the content types, see its docstring).

The database is taken back to before the move (the proxies' content types
under ``registrations``, granted to the zone-staff role, as the previous code
left them) and migrated forward again.
"""

from http import HTTPStatus

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from post_office.models import STATUS, Email

from groups.constants import ROLE_ZONE_STAFF
from groups.services import add_zone_staff
from tests.factories import PoliceZoneFactory, UserFactory
from wabp_portal.mail.queue import queue_mail

# Migrations run outside a test's transaction; the roles and permissions the
# migrations made are put back after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_THE_MOVE = [
    ("registrations", "0019_signup_language_french"),
    ("wabp_portal", "0001_add_heartbeat"),
]
PERMISSIONS = {"view_undeliveredmail", "resend_undeliveredmail"}


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def migrate_to_the_end() -> None:
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture(autouse=True)
def fresh_content_type_cache():
    """Content types change ids here: no later test may read a cached one."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


def role_permissions(role: str) -> set[tuple[str, str]]:
    return set(
        Group.objects.get(name=role)
        .permissions.filter(codename__in=PERMISSIONS)
        .values_list("content_type__app_label", "codename")
    )


def mail_content_types() -> set[tuple[str, str]]:
    return set(
        ContentType.objects.filter(model__in=["mail", "undeliveredmail"]).values_list(
            "app_label", "model"
        )
    )


def test_before_the_move_the_role_holds_the_permissions_under_registrations():
    migrate(BEFORE_THE_MOVE)
    try:
        assert mail_content_types() == {
            ("registrations", "mail"),
            ("registrations", "undeliveredmail"),
        }
        assert role_permissions(ROLE_ZONE_STAFF) == {
            ("registrations", codename) for codename in PERMISSIONS
        }
    finally:
        migrate_to_the_end()


def test_the_role_keeps_viewing_and_resending_undelivered_mail_after_the_move(
    client,
):
    migrate(BEFORE_THE_MOVE)
    undelivered = ContentType.objects.get(
        app_label="registrations", model="undeliveredmail"
    )

    migrate_to_the_end()

    assert mail_content_types() == {
        ("wabp_portal", "mail"),
        ("wabp_portal", "undeliveredmail"),
    }
    # The same row, renamed: whatever pointed at it (the admin's history) still does.
    assert ContentType.objects.get(pk=undelivered.pk).app_label == "wabp_portal"
    assert role_permissions(ROLE_ZONE_STAFF) == {
        ("wabp_portal", codename) for codename in PERMISSIONS
    }
    zone = PoliceZoneFactory()
    staff = UserFactory(password="een-lang-wachtwoord")
    add_zone_staff(zone, user=staff)
    mail = queue_mail(
        to=["griet@example.be"],
        template="registrations/email/confirm_signup",
        context={"confirm_url": "https://example.be/x", "withdraw_url": ""},
        language="nl",
        zone=zone,
    )
    Email.objects.filter(pk=mail.pk).update(status=STATUS.failed)
    client.force_login(staff)
    changelist = reverse("admin:wabp_portal_undeliveredmail_changelist")

    page = client.get(changelist)
    client.post(changelist, {"action": "send_again", "_selected_action": [mail.pk]})

    assert staff.has_perm("wabp_portal.view_undeliveredmail")
    assert staff.has_perm("wabp_portal.resend_undeliveredmail")
    assert page.status_code == HTTPStatus.OK
    assert [row.pk for row in page.context["cl"].result_list] == [mail.pk]
    mail.refresh_from_db()
    assert mail.status == STATUS.queued


def test_kernel_permissions_made_in_between_take_over_the_grants_and_history():
    """A grant migration between the two may make the kernel's content type
    first (so does every fresh database): the old one is folded into it."""
    migrate(BEFORE_THE_MOVE)
    old = ContentType.objects.get(app_label="registrations", model="undeliveredmail")
    new = ContentType.objects.create(app_label="wabp_portal", model="undeliveredmail")
    Permission.objects.create(
        content_type=new, codename="view_undeliveredmail", name="Can view"
    )
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type=old, codename="resend_undeliveredmail")
    )
    entry = LogEntry.objects.create(
        user=user,
        content_type=old,
        object_id="1",
        object_repr="1",
        action_flag=CHANGE,
    )

    migrate_to_the_end()

    assert mail_content_types() == {
        ("wabp_portal", "mail"),
        ("wabp_portal", "undeliveredmail"),
    }
    assert not ContentType.objects.filter(pk=old.pk).exists()
    assert role_permissions(ROLE_ZONE_STAFF) == {
        ("wabp_portal", codename) for codename in PERMISSIONS
    }
    user = type(user).objects.get(pk=user.pk)
    assert user.get_all_permissions() == {"wabp_portal.resend_undeliveredmail"}
    entry.refresh_from_db()
    assert entry.content_type_id == new.pk
