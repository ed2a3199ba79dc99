"""Versions of the house rules and accepting a new one.

``publish_house_rules`` makes a new version the one current version and keeps
the earlier ones readable; a version someone accepted cannot be edited in the
admin; ``request_reacceptance`` asks the members on an older version, once,
to accept the current one through a signed link, by a deadline. Signups still
waiting for a decision are not mailed: they are asked when approved
(tests/registrations/test_reconfirmation.py).
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from groups.services import add_zone_staff
from registrations.constants import SignupStatus
from registrations.models import HouseRules, ReacceptanceRequest, Signup
from registrations.notifications import REACCEPT_SALT, reacceptance_link
from registrations.services import (
    HouseRulesChanged,
    accept_house_rules,
    correct_house_rules,
    delete_house_rules,
    publish_house_rules,
    request_reacceptance,
    withdraw_signup,
)
from tests.factories import (
    HouseRulesFactory,
    PoliceZoneFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(zone) -> HouseRules:
    """Version 1, current until version 2 is published."""
    return HouseRulesFactory(
        zone=zone, version=1, title="Reglement 2024", body="Wees beleefd."
    )


def new_version(zone, **overrides) -> HouseRules:
    values = {
        "zone": zone,
        "title": "Reglement 2026",
        "body": "Bel eerst 101.\n\nDeel geen foto's van verdachten.",
    }
    values.update(overrides)
    return HouseRules(**values)


def member(group, rules, **kwargs) -> Signup:
    return SignupFactory(
        group=group,
        house_rules=rules,
        status=SignupStatus.APPROVED,
        decided_at=timezone.now(),
        **kwargs,
    )


def mails_to(address: str) -> list[Email]:
    return [mail for mail in Email.objects.order_by("pk") if address in mail.to]


# --- publish_house_rules ------------------------------------------------------


def test_publishing_makes_the_next_version_the_only_current_one(zone_staff, first):
    second = publish_house_rules(new_version(first.zone), by=zone_staff)

    first.refresh_from_db()
    assert second.version == 2
    assert second.is_current
    assert not first.is_current
    assert list(HouseRules.objects.current().filter(zone=first.zone)) == [second]


def test_publishing_numbers_after_the_highest_version(zone_staff, first):
    HouseRulesFactory(zone=first.zone, version=7, is_current=False)

    published = publish_house_rules(new_version(first.zone), by=zone_staff)

    assert published.version == 8


def test_the_first_version_of_a_zone_is_version_1(zone_staff, zone):
    published = publish_house_rules(new_version(zone), by=zone_staff)

    assert (published.version, published.is_current) == (1, True)


def test_publishing_in_one_zone_leaves_another_zones_rules_alone(zone_staff, first):
    elsewhere = HouseRulesFactory(zone=PoliceZoneFactory(), version=1)

    publish_house_rules(new_version(first.zone), by=zone_staff)

    elsewhere.refresh_from_db()
    assert elsewhere.is_current


def test_the_earlier_version_stays_readable(client, zone_staff, first):
    publish_house_rules(new_version(first.zone), by=zone_staff)

    old = client.get(reverse("registrations:house-rules-version", args=[first.pk]))
    current = client.get(reverse("registrations:house-rules"))

    assert old.status_code == HTTPStatus.OK
    assert "Reglement 2024" in old.content.decode()
    assert old.context["house_rules"] == first
    assert current.context["house_rules"].title == "Reglement 2026"
    versions = current.context["versions"]
    assert {rules.version for rules in versions} == {1, 2}


@pytest.mark.parametrize("who", ["coordinator", "other_zone_staff", "inactive_staff"])
def test_only_the_zones_staff_publish(coordinator_user, first, who):
    if who == "coordinator":
        user = coordinator_user
    else:
        user = UserFactory()
        add_zone_staff(
            PoliceZoneFactory() if who == "other_zone_staff" else first.zone,
            user=user,
        )
        if who == "inactive_staff":
            user.is_active = False
            user.save()

    with pytest.raises(PermissionDenied):
        publish_house_rules(new_version(first.zone), by=user)

    first.refresh_from_db()
    assert first.is_current
    assert HouseRules.objects.count() == 1


def test_a_superuser_publishes_for_any_zone(first):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    published = publish_house_rules(new_version(first.zone), by=superuser)

    assert published.is_current


def test_publishing_takes_only_an_unsaved_version(zone_staff, first):
    with pytest.raises(ValueError):
        publish_house_rules(first, by=zone_staff)


def test_publishing_a_version_without_a_text_is_refused_and_publishes_nothing(
    zone_staff, first
):
    with pytest.raises(ValidationError) as refused:
        publish_house_rules(new_version(first.zone, body=""), by=zone_staff)

    assert "body" in refused.value.message_dict
    assert list(HouseRules.objects.all()) == [first]
    first.refresh_from_db()
    assert first.is_current


# --- correct_house_rules and delete_house_rules -------------------------------


def correct(rules: HouseRules, by, **values) -> HouseRules:
    values = {"title": rules.title, "body": rules.body, "pdf": rules.pdf, **values}
    return correct_house_rules(rules, by=by, **values)


def test_a_version_nobody_accepted_is_corrected_and_keeps_its_number(zone_staff, first):
    correct(first, zone_staff, title="Reglement 2024 (verbeterd)", body="Beleefd.")

    first.refresh_from_db()
    assert (first.title, first.body) == ("Reglement 2024 (verbeterd)", "Beleefd.")
    assert (first.version, first.is_current) == (1, True)


def test_a_correction_without_a_title_is_refused_and_changes_nothing(zone_staff, first):
    with pytest.raises(ValidationError) as refused:
        correct(first, zone_staff, title="", body="Iets anders.")

    assert "title" in refused.value.message_dict
    first.refresh_from_db()
    assert (first.title, first.body) == ("Reglement 2024", "Wees beleefd.")


def test_a_correction_with_a_file_that_is_no_pdf_is_refused(zone_staff, first):
    page = SimpleUploadedFile("reglement.html", b"<script>alert(1)</script>")

    with pytest.raises(ValidationError) as refused:
        correct(first, zone_staff, pdf=page)

    assert "pdf" in refused.value.message_dict
    first.refresh_from_db()
    assert not first.pdf


def test_a_version_someone_accepted_is_never_corrected(zone_staff, group, first):
    member(group, first)

    with pytest.raises(PermissionDenied):
        correct(first, zone_staff, title="Iets anders")

    first.refresh_from_db()
    assert first.title == "Reglement 2024"


def test_saving_an_accepted_version_unchanged_is_no_correction(
    zone_staff, group, first
):
    member(group, first)

    correct(first, zone_staff)

    first.refresh_from_db()
    assert (first.title, first.body) == ("Reglement 2024", "Wees beleefd.")


@pytest.mark.parametrize("who", ["coordinator", "other_staff"])
def test_only_the_zones_staff_correct_a_version(coordinator_user, first, who):
    by = coordinator_user
    if who == "other_staff":
        by = UserFactory()
        add_zone_staff(PoliceZoneFactory(), user=by)

    with pytest.raises(PermissionDenied):
        correct(first, by, title="Iets anders")

    first.refresh_from_db()
    assert first.title == "Reglement 2024"


def test_a_superuser_deletes_a_version_nobody_accepted(first):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    delete_house_rules(first, by=superuser)

    assert not HouseRules.objects.exists()


def test_the_zones_staff_do_not_delete_a_version(zone_staff, first):
    """Staff correct a version or publish the next; deleting is an administrator's."""
    with pytest.raises(PermissionDenied):
        delete_house_rules(first, by=zone_staff)

    assert HouseRules.objects.filter(pk=first.pk).exists()


def test_a_version_someone_accepted_is_never_deleted(group, first):
    member(group, first)
    superuser = UserFactory(is_superuser=True, is_staff=True)

    with pytest.raises(PermissionDenied):
        delete_house_rules(first, by=superuser)

    assert HouseRules.objects.filter(pk=first.pk).exists()


# --- the house-rules admin ----------------------------------------------------


def test_staff_publish_a_version_through_the_add_form(client, zone_staff, first):
    client.force_login(zone_staff)

    form = client.get(reverse("admin:registrations_houserules_add"))
    response = client.post(
        reverse("admin:registrations_houserules_add"),
        {"zone": first.zone_id, "title": "Reglement 2026", "body": "Bel eerst 101."},
        follow=True,
    )

    assert form.status_code == HTTPStatus.OK
    assert response.status_code == HTTPStatus.OK
    published = HouseRules.objects.get(title="Reglement 2026")
    assert (published.version, published.is_current) == (2, True)
    first.refresh_from_db()
    assert not first.is_current
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "2" in messages


def test_add_form_without_a_text_publishes_nothing(client, zone_staff, first):
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:registrations_houserules_add"),
        {"zone": first.zone_id, "title": "Reglement 2026", "body": ""},
    )

    assert response.status_code == HTTPStatus.OK
    assert "body" in response.context["adminform"].form.errors
    assert HouseRules.objects.count() == 1


@pytest.mark.parametrize("name", ["reglement.html", "reglement.svg", "reglement"])
def test_the_house_rules_file_must_be_a_pdf(client, zone_staff, first, name):
    """The file is served to anyone as it is: never a page or a script."""
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:registrations_houserules_add"),
        {
            "zone": first.zone_id,
            "title": "Reglement 2026",
            "body": "Bel eerst 101.",
            "pdf": SimpleUploadedFile(name, b"<script>alert(1)</script>"),
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "pdf" in response.context["adminform"].form.errors
    assert HouseRules.objects.count() == 1


def test_staff_cannot_publish_for_another_zone(client, zone_staff, first):
    other = PoliceZoneFactory()
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:registrations_houserules_add"),
        {"zone": other.pk, "title": "Reglement 2026", "body": "Bel eerst 101."},
    )

    assert response.status_code == HTTPStatus.OK
    assert "zone" in response.context["adminform"].form.errors
    assert not HouseRules.objects.filter(zone=other).exists()


def change_url(rules: HouseRules) -> str:
    return reverse("admin:registrations_houserules_change", args=[rules.pk])


def test_a_version_nobody_accepted_can_be_corrected(client, zone_staff, first):
    client.force_login(zone_staff)

    response = client.post(
        change_url(first), {"title": "Reglement 2024 (verbeterd)", "body": "Beleefd."}
    )

    assert response.status_code == HTTPStatus.FOUND
    first.refresh_from_db()
    assert first.title == "Reglement 2024 (verbeterd)"
    assert first.version == 1


def test_a_version_someone_accepted_is_read_only(client, zone_staff, group, first):
    member(group, first)
    client.force_login(zone_staff)

    page = client.get(change_url(first))
    client.post(
        change_url(first),
        {
            "zone": first.zone_id,
            "title": "Iets anders",
            "body": "Andere tekst.",
            "version": "9",
            "is_current": "",
        },
    )

    assert page.status_code == HTTPStatus.OK
    assert not page.context["adminform"].form.fields
    first.refresh_from_db()
    assert (first.title, first.body, first.version) == (
        "Reglement 2024",
        "Wees beleefd.",
        1,
    )
    assert first.is_current


def test_staff_do_not_open_another_zones_rules(client, zone_staff):
    elsewhere = HouseRulesFactory(zone=PoliceZoneFactory(), version=1)
    client.force_login(zone_staff)

    response = client.get(change_url(elsewhere))

    assert response.status_code == HTTPStatus.FOUND  # "not found", to the index


def test_the_list_counts_who_accepted_and_who_was_asked(
    client, zone_staff, group, first
):
    member(group, first)
    member(group, first)
    SignupFactory(group=group, house_rules=first)  # pending
    withdraw_signup(member(group, first))
    second = publish_house_rules(new_version(first.zone), by=zone_staff)
    member(group, second)
    request_reacceptance(second, by=zone_staff)
    HouseRulesFactory(zone=PoliceZoneFactory(), version=1)
    client.force_login(zone_staff)

    response = client.get(reverse("admin:registrations_houserules_changelist"))

    assert response.status_code == HTTPStatus.OK
    rows = {rules.version: rules for rules in response.context["cl"].result_list}
    assert set(rows) == {1, 2}
    # Members only: the pending signup is neither counted nor asked.
    assert (rows[1].accepted, rows[1].asked) == (2, 0)
    assert (rows[2].accepted, rows[2].asked) == (1, 2)


# --- request_reacceptance -----------------------------------------------------


@pytest.fixture
def on_old_version(zone_staff, group, first):
    """Who is on version 1 when version 2 is published, in every state."""
    signups = {
        "member": member(group, first, email="lid@example.be"),
        "pending": SignupFactory(
            group=group, house_rules=first, email="wacht@example.be"
        ),
        "unconfirmed": SignupFactory(
            group=group,
            house_rules=first,
            status=SignupStatus.UNCONFIRMED,
            confirmed_at=None,
            email="onbevestigd@example.be",
        ),
        "rejected": SignupFactory(
            group=group,
            house_rules=first,
            status=SignupStatus.REJECTED,
            decided_at=timezone.now(),
            email="afgewezen@example.be",
        ),
        "left": SignupFactory(
            group=group,
            house_rules=first,
            status=SignupStatus.LEFT,
            decided_at=timezone.now(),
            email="weg@example.be",
        ),
    }
    signups["withdrawn"] = withdraw_signup(
        SignupFactory(group=group, house_rules=first, email="ingetrokken@example.be")
    )
    return signups


@pytest.fixture
def second(zone_staff, first, on_old_version) -> HouseRules:
    return publish_house_rules(new_version(first.zone), by=zone_staff)


def test_reacceptance_asks_members_not_pending_signups_on_older_versions(
    zone_staff, group, on_old_version, second, time_machine
):
    # The link is signed with the time: the clock stands still, so the one
    # made here is the one in the mail even across a second's tick.
    time_machine.move_to(timezone.now(), tick=False)
    already = member(group, second, email="al@example.be")

    asked = request_reacceptance(second, by=zone_staff)

    assert asked == 1
    assert {request.signup for request in ReacceptanceRequest.objects.all()} == {
        on_old_version["member"],
    }
    [mail] = mails_to("lid@example.be")
    assert reacceptance_link(on_old_version["member"]) in mail.message
    for address in (
        "wacht@example.be",  # asked when approved, not now
        "onbevestigd@example.be",
        "afgewezen@example.be",
        "weg@example.be",
        already.email,
    ):
        assert mails_to(address) == [], address


def test_reacceptance_asks_each_member_once_per_version(zone_staff, second):
    request_reacceptance(second, by=zone_staff)
    mails = Email.objects.count()

    again = request_reacceptance(second, by=zone_staff)

    assert again == 0
    assert Email.objects.count() == mails


def test_reacceptance_of_a_newer_version_asks_again(zone_staff, first, second):
    request_reacceptance(second, by=zone_staff)

    third = publish_house_rules(new_version(first.zone), by=zone_staff)

    assert request_reacceptance(third, by=zone_staff) == 1


def test_reacceptance_leaves_other_zones_alone(zone_staff, second):
    other_group = WhatsAppGroupFactory()
    outsider = SignupFactory(
        group=other_group,
        status=SignupStatus.APPROVED,
        decided_at=timezone.now(),
        email="elders@example.be",
    )

    request_reacceptance(second, by=zone_staff)

    assert mails_to(outsider.email) == []


def test_reacceptance_of_an_old_version_is_refused(zone_staff, first, second):
    first.refresh_from_db()

    with pytest.raises(HouseRulesChanged):
        request_reacceptance(first, by=zone_staff)

    assert not ReacceptanceRequest.objects.exists()
    assert not Email.objects.exists()


def test_reacceptance_checks_the_version_is_still_current(
    zone_staff, group, first, second
):
    stale = HouseRules.objects.get(pk=first.pk)
    stale.is_current = True  # as loaded before version 2 was published
    member(group, second, email="al@example.be")

    with pytest.raises(HouseRulesChanged):
        request_reacceptance(stale, by=zone_staff)

    assert not Email.objects.exists()


def test_reacceptance_is_for_the_zones_staff_only(coordinator_user, second):
    with pytest.raises(PermissionDenied):
        request_reacceptance(second, by=coordinator_user)

    assert not ReacceptanceRequest.objects.exists()


def run_action(client, *rules: HouseRules):
    return client.post(
        reverse("admin:registrations_houserules_changelist"),
        {"action": "ask_to_reaccept", "_selected_action": [r.pk for r in rules]},
        follow=True,
    )


def test_admin_action_asks_to_reaccept(client, zone_staff, second):
    client.force_login(zone_staff)

    response = run_action(client, second)

    assert response.status_code == HTTPStatus.OK
    assert ReacceptanceRequest.objects.count() == 1
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "1" in messages


def test_admin_action_on_an_old_version_warns_and_asks_nobody(
    client, zone_staff, first, second
):
    client.force_login(zone_staff)

    response = run_action(client, first)

    assert response.status_code == HTTPStatus.OK
    assert not ReacceptanceRequest.objects.exists()
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "warning"


# --- accepting through the link -----------------------------------------------


def accept_url(signup: Signup) -> str:
    return reacceptance_link(signup).removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def asked(on_old_version, second) -> Signup:
    return on_old_version["member"]


def test_the_link_shows_the_current_rules(client, asked, second):
    response = client.get(accept_url(asked))

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Reglement 2026" in content
    assert "Bel eerst 101." in content
    assert response.context["form"].initial["version"] == second.pk
    assert not response.context["already_accepted"]


def test_accepting_without_ticking_the_box_is_an_error(client, asked, first, second):
    response = client.post(accept_url(asked), {"version": second.pk})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["accept"]
    asked.refresh_from_db()
    assert asked.house_rules == first


def test_accepting_records_the_current_version_and_when(client, asked, second):
    before = asked.house_rules_accepted_at

    response = client.post(accept_url(asked), {"version": second.pk, "accept": "on"})

    assert response.status_code == HTTPStatus.OK
    asked.refresh_from_db()
    assert asked.house_rules == second
    assert asked.house_rules_accepted_at > before
    again = client.get(accept_url(asked))
    assert again.context["already_accepted"]


def test_a_pending_signup_accepts_too(client, on_old_version, second):
    pending = on_old_version["pending"]

    client.post(accept_url(pending), {"version": second.pk, "accept": "on"})

    pending.refresh_from_db()
    assert pending.house_rules == second
    assert pending.status == SignupStatus.PENDING


def test_a_tampered_link_is_refused(client, asked, first):
    url = accept_url(asked)
    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]

    get = client.get(tampered)
    post = client.post(tampered, {"version": first.pk, "accept": "on"})

    assert get.status_code == post.status_code == HTTPStatus.BAD_REQUEST
    asked.refresh_from_db()
    assert asked.house_rules == first


def test_a_link_signed_for_another_purpose_is_refused(client, asked):
    token = signing.dumps(asked.pk, salt="registrations.signup.withdraw")

    response = client.get(reverse("registrations:house-rules-accept", args=[token]))

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_link_signed_with_the_reacceptance_salt_works(client, asked):
    token = signing.dumps(asked.pk, salt=REACCEPT_SALT)

    response = client.get(reverse("registrations:house-rules-accept", args=[token]))

    assert response.status_code == HTTPStatus.OK


def test_an_expired_link_is_refused(client, asked, second, time_machine):
    url = accept_url(asked)
    time_machine.move_to(timezone.now() + timedelta(days=91))

    response = client.post(url, {"version": second.pk, "accept": "on"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    asked.refresh_from_db()
    assert asked.house_rules != second


def test_a_withdrawn_signup_has_nothing_to_accept(client, asked, second):
    url = accept_url(asked)
    withdraw_signup(asked)

    get = client.get(url)
    post = client.post(url, {"version": second.pk, "accept": "on"})

    assert get.status_code == post.status_code == HTTPStatus.BAD_REQUEST
    asked.refresh_from_db()
    assert asked.house_rules != second


def test_rules_changed_while_reading_are_not_recorded(
    client, zone_staff, asked, first, second
):
    page = client.get(accept_url(asked))
    read = page.context["form"].initial["version"]
    third = publish_house_rules(
        new_version(first.zone, title="Reglement 2027"), by=zone_staff
    )

    response = client.post(accept_url(asked), {"version": read, "accept": "on"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].non_field_errors()
    assert "Reglement 2027" in response.content.decode()
    asked.refresh_from_db()
    assert asked.house_rules == first
    # The form now carries the version shown, so accepting again works.
    client.post(accept_url(asked), {"version": third.pk, "accept": "on"})
    asked.refresh_from_db()
    assert asked.house_rules == third


def test_accepting_is_refused_for_a_signup_whose_row_is_invalid(asked, first, second):
    """Written past the services (an old import): the service saves no such row."""
    Signup.objects.filter(pk=asked.pk).update(email="geen adres")

    with pytest.raises(ValidationError):
        accept_house_rules(asked, rules=second)

    asked.refresh_from_db()
    assert asked.house_rules == first
