"""Every write in the signups' admin goes through its service.

Each add, change, delete, action and decision page calls the service in
``registrations.services`` that does the change (a spy wraps the real one,
so the change itself still happens); the signups' own forms, which are
read-only, change nothing when posted.
"""

from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.constants import SignupStatus
from registrations.models import HouseRules, Signup, WithdrawnMember
from tests.factories import (
    ApplicationFactory,
    HouseRulesFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

REASON = {"apply": "1", "reason": "Afgesproken op het overleg."}


@pytest.fixture
def spy(monkeypatch):
    """Wrap a service of ``registrations.services``; return the wrapper."""

    def wrap(name: str) -> mock.Mock:
        wrapper = mock.Mock(wraps=getattr(services, name))
        monkeypatch.setattr(services, name, wrapper)
        return wrapper

    return wrap


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def rules(zone) -> HouseRules:
    return HouseRulesFactory(zone=zone, version=1, title="Reglement", body="Tekst.")


def member(group, **values) -> Signup:
    return SignupFactory(
        group=group, status=SignupStatus.APPROVED, decided_at=timezone.now(), **values
    )


def changelist(model: str) -> str:
    return reverse(f"admin:registrations_{model}_changelist")


def form_data(client, url: str, **values) -> dict:
    """What the change form posts: its inlines' management forms, and ``values``."""
    page = client.get(url)
    data = {"_save": "1", **values}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {
                management.add_prefix(name): management[name].value()
                for name in management.fields
            }
        )
    return data


def run_action(client, model: str, action: str, rows, **extra):
    return client.post(
        changelist(model),
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [str(row.pk) for row in rows],
            "index": "0",
            **extra,
        },
    )


# --- house rules --------------------------------------------------------------


def test_adding_house_rules_publishes_them_through_the_service(
    client, zone_staff, rules, spy
):
    publish = spy("publish_house_rules")
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:registrations_houserules_add"),
        {"zone": rules.zone_id, "title": "Reglement 2026", "body": "Nieuw."},
    )

    assert response.status_code == HTTPStatus.FOUND
    [call] = publish.call_args_list
    assert call.kwargs == {"by": zone_staff}
    assert HouseRules.objects.get(title="Reglement 2026").version == 2


def test_changing_house_rules_corrects_them_through_the_service(
    client, zone_staff, rules, spy
):
    correct = spy("correct_house_rules")
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:registrations_houserules_change", args=[rules.pk]),
        {"title": "Reglement (verbeterd)", "body": "Tekst."},
    )

    assert response.status_code == HTTPStatus.FOUND
    [call] = correct.call_args_list
    assert call.args[0].pk == rules.pk
    assert call.kwargs["by"] == zone_staff
    assert call.kwargs["title"] == "Reglement (verbeterd)"
    rules.refresh_from_db()
    assert rules.title == "Reglement (verbeterd)"


def test_deleting_house_rules_goes_through_the_service(client, superuser, rules, spy):
    delete = spy("delete_house_rules")
    client.force_login(superuser)

    response = client.post(
        reverse("admin:registrations_houserules_delete", args=[rules.pk]),
        {"post": "yes"},
    )

    assert response.status_code == HTTPStatus.FOUND
    delete.assert_called_once()
    assert delete.call_args.kwargs == {"by": superuser}
    assert not HouseRules.objects.exists()


def test_deleting_selected_house_rules_goes_through_the_service(
    client, superuser, rules, spy
):
    delete = spy("delete_house_rules")
    older = HouseRulesFactory(zone=rules.zone, version=0, is_current=False)
    client.force_login(superuser)

    response = run_action(
        client, "houserules", "delete_selected", [rules, older], post="yes"
    )

    assert response.status_code == HTTPStatus.FOUND
    assert {call.args[0].pk for call in delete.call_args_list} == {rules.pk, older.pk}
    assert not HouseRules.objects.exists()


def test_asking_to_reaccept_goes_through_the_service(client, zone_staff, rules, spy):
    ask = spy("request_reacceptance")
    client.force_login(zone_staff)

    run_action(client, "houserules", "ask_to_reaccept", [rules])

    ask.assert_called_once()
    assert ask.call_args.kwargs == {"by": zone_staff, "deadline_days": None}


# --- decisions ----------------------------------------------------------------


ACTIONS = [
    ("pendingsignup", "approve_selected", "approve_signup", {}),
    ("pendingsignup", "reject_selected", "reject_signup", REASON),
    ("member", "mark_added_selected", "mark_added", {}),
    ("member", "mark_left_selected", "end_membership", {"apply": "1"}),
    ("member", "mark_removed_selected", "end_membership", REASON),
    ("member", "export_csv", "record_export", {}),
    ("member", "export_vcard", "record_export", {}),
]


@pytest.mark.parametrize(
    ("model", "action", "service", "extra"),
    ACTIONS,
    ids=[action for _model, action, _service, _extra in ACTIONS],
)
def test_each_action_goes_through_its_service(
    client, coordinator_user, group, spy, model, action, service, extra
):
    called = spy(service)
    signup = SignupFactory(group=group) if model == "pendingsignup" else member(group)
    client.force_login(coordinator_user)

    response = run_action(client, model, action, [signup], **extra)

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    called.assert_called_once()
    subject = called.call_args.args[0]
    pks = [each.pk for each in subject] if isinstance(subject, list) else [subject.pk]
    assert pks == [signup.pk]
    assert called.call_args.kwargs["by"] == coordinator_user


@pytest.mark.parametrize(
    ("page", "service", "data"),
    [
        ("approve", "approve_signup", {}),
        ("reject", "reject_signup", {"reason": "Woont buiten de wijk."}),
        ("move", "move_signup", None),
    ],
)
def test_each_decision_page_goes_through_its_service(
    client, coordinator_user, group, spy, page, service, data
):
    called = spy(service)
    signup = SignupFactory(group=group)
    if data is None:
        data = {"group": WhatsAppGroupFactory(municipality=group.municipality).pk}
    client.force_login(coordinator_user)

    response = client.post(
        reverse(f"admin:registrations_pendingsignup_{page}", args=[signup.pk]), data
    )

    assert response.status_code == HTTPStatus.FOUND
    called.assert_called_once()
    assert called.call_args.args[0].pk == signup.pk
    assert called.call_args.kwargs["by"] == coordinator_user


def test_approving_an_application_goes_through_the_service(
    client, zone_staff, group, spy
):
    approve = spy("approve_application")
    application = ApplicationFactory(municipality=group.municipality)
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:registrations_groupapplication_approve", args=[application.pk]),
        {"group_name": "WABP Terkoest", "region_name": "Terkoest"},
    )

    assert response.status_code == HTTPStatus.FOUND
    approve.assert_called_once()
    assert approve.call_args.args[0].pk == application.pk
    assert approve.call_args.kwargs["by"] == zone_staff


def test_marking_a_withdrawn_member_removed_goes_through_the_service(
    client, coordinator_user, zone_staff, group, spy
):
    mark = spy("mark_removed_from_whatsapp")
    signup = SignupFactory(group=group)
    services.approve_signup(signup, by=zone_staff)
    services.withdraw_signup(signup)
    withdrawn = WithdrawnMember.objects.get(signup=signup)
    client.force_login(coordinator_user)

    run_action(client, "withdrawnmember", "mark_removed_selected", [withdrawn])

    mark.assert_called_once()
    assert mark.call_args.kwargs == {"by": coordinator_user}
    assert not WithdrawnMember.objects.exists()


# --- the read-only forms ------------------------------------------------------


@pytest.mark.parametrize("model", ["signup", "member", "pendingsignup"])
def test_posting_a_signups_form_changes_nothing(client, zone_staff, group, model):
    signup = SignupFactory(group=group) if model == "pendingsignup" else member(group)
    url = reverse(f"admin:registrations_{model}_change", args=[signup.pk])
    before = Signup.objects.values().get(pk=signup.pk)
    client.force_login(zone_staff)
    data = form_data(client, url, status=SignupStatus.REJECTED, first_name="Iemand")

    response = client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    assert Signup.objects.values().get(pk=signup.pk) == before


def test_posting_an_applications_form_changes_nothing(client, zone_staff, group):
    application = ApplicationFactory(municipality=group.municipality)
    url = reverse("admin:registrations_groupapplication_change", args=[application.pk])
    before = Signup.objects.values().get(pk=application.pk)
    client.force_login(zone_staff)
    data = form_data(client, url, proposed_group_name="Iets anders")

    response = client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND

    assert Signup.objects.values().get(pk=application.pk) == before
