"""The admin as the demo police-zone staff member and a coordinator see it."""

from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from groups.models import Region, WhatsAppGroup
from registrations.constants import SignupStatus
from registrations.models import Signup
from tests.auth import log_in

pytestmark = pytest.mark.django_db

STAFF_MODELS = [
    "groups_policezone",
    "groups_municipality",
    "groups_region",
    "groups_street",
    "groups_whatsappgroup",
    "groups_coordinator",
    "groups_meeting",
    "registrations_houserules",
    "registrations_signup",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for the module and rolled back after it.

    Loading it takes seconds; the tests only read it. Each test runs in a
    savepoint inside this transaction (pytest-django's ``db``), so what one
    changes (a login, a refused edit) is undone before the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        ):
            call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def test_demo_staff_logs_in_with_the_documented_password(client, demo):
    response = client.post(
        reverse("admin:login"),
        {"username": "politie", "password": "wabp-demo-2026", "next": "/admin/"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("model", STAFF_MODELS)
def test_demo_staff_sees_each_list_of_their_zone(client, demo, model):
    log_in(client, "politie", "wabp-demo-2026")

    response = client.get(reverse(f"admin:{model}_changelist"))

    assert response.status_code == HTTPStatus.OK


def test_demo_staff_sees_regions_with_their_streets(client, demo):
    log_in(client, "politie", "wabp-demo-2026")
    region = Region.objects.get(name="Motstraat, Rode Kruisstraat")

    response = client.get(reverse("admin:groups_region_change", args=[region.pk]))

    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Motstraat" in content
    assert "Rode Kruisstraat" in content


def test_demo_staff_sees_every_signup_of_the_zone(client, demo):
    log_in(client, "politie", "wabp-demo-2026")

    response = client.get(reverse("admin:registrations_signup_changelist"))

    for signup in Signup.objects.all():
        assert signup.last_name in response.content.decode()


def test_coordinator_sees_only_the_signups_of_their_group(client, demo):
    log_in(client, "dominic.hermans", "wabp-demo-2026")
    own = WhatsAppGroup.objects.get(name="WABP Terkoest Zuid")

    response = client.get(reverse("admin:registrations_signup_changelist"))

    shown = {signup.pk for signup in response.context["cl"].queryset}
    assert shown == set(
        Signup.objects.filter(group=own)
        .exclude(status=SignupStatus.UNCONFIRMED)
        .values_list("pk", flat=True)
    )


def test_a_list_is_headed_by_its_name(client, demo):
    log_in(client, "dominic.hermans", "wabp-demo-2026")

    response = client.get(reverse("admin:registrations_pendingsignup_changelist"))

    assert "<h1>Wachtende inschrijvingen</h1>" in response.content.decode()


def test_coordinator_gets_404_for_a_signup_of_another_group(client, demo):
    log_in(client, "dominic.hermans", "wabp-demo-2026")
    foreign = Signup.objects.exclude(group__name="WABP Terkoest Zuid").first()

    response = client.get(
        reverse("admin:registrations_signup_change", args=[foreign.pk])
    )

    # The admin redirects to its index with "does not exist" for a missing
    # object; the foreign signup's name never appears.
    assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.NOT_FOUND}
    assert foreign.last_name not in response.content.decode()


def test_signups_cannot_be_edited_or_deleted_through_the_form(client, demo):
    log_in(client, "politie", "wabp-demo-2026")
    signup = Signup.objects.filter(status="pending").first()

    client.post(
        reverse("admin:registrations_signup_change", args=[signup.pk]),
        {"first_name": "Veranderd", "status": "approved"},
    )
    delete = client.get(reverse("admin:registrations_signup_delete", args=[signup.pk]))

    signup.refresh_from_db()
    assert signup.first_name != "Veranderd"
    assert signup.status == "pending"
    assert delete.status_code == HTTPStatus.FORBIDDEN
