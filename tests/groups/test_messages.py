"""Messages from the police zone: staff write to coordinators, coordinators read.

The service (whom a message reaches, who may send it), the staff's pages
(write, confirm with the count, follow who read it), the coordinators'
pages (their messages only, read marks, the dashboard's count), hostile
input, and the logs.
"""

import logging
import re
from http import HTTPStatus

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from post_office.models import Email

from groups.constants import CoordinatorRole, MessageAudience
from groups.models import GroupCoordinator, Message, MessageRecipient
from groups.services import (
    add_zone_staff,
    link_coordinator_login,
    mark_read,
    recipients_for,
    send_message,
)
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    UserFactory,
    WhatsAppGroupFactory,
)
from tests.test_dutch_walk import english_in, read, report
from tests.test_hostile_input import (
    PAYLOADS,
    assert_escaped_html,
    assert_mail,
    payloads,
    typed,
)

pytestmark = pytest.mark.django_db

SUBJECT = "Inbraakgolf in de Kerkstraat"
BODY = "Beste coördinatoren,\n\nDeze week drie inbraken.\nWees alert."


@pytest.fixture
def place(zone, group):
    """Zone A: two municipalities, three groups; zone B with a coordinator.

    - ``lead``: lead of ``group`` (municipality 1), with a login;
    - ``deputy``: deputy of ``group``;
    - ``other``: lead of ``group2`` (municipality 1);
    - ``far``: lead of ``group3`` (municipality 2), with a login;
    - ``idle``: in zone A without a group; ``gone``: inactive, of ``group``;
    - ``stranger``: coordinator in zone B, with a login.
    """
    municipality = group.municipality
    group2 = WhatsAppGroupFactory(municipality=municipality)
    municipality2 = MunicipalityFactory(zone=zone)
    group3 = WhatsAppGroupFactory(municipality=municipality2)
    lead = link_coordinator_login(
        CoordinatorFactory(zone=zone, groups=[group]), user=UserFactory()
    )
    deputy = CoordinatorFactory(zone=zone)
    GroupCoordinator.objects.create(
        coordinator=deputy, whatsappgroup=group, role=CoordinatorRole.DEPUTY
    )
    other = CoordinatorFactory(zone=zone, groups=[group2])
    far = link_coordinator_login(
        CoordinatorFactory(zone=zone, groups=[group3]), user=UserFactory()
    )
    idle = CoordinatorFactory(zone=zone)
    gone = CoordinatorFactory(zone=zone, groups=[group], is_active=False)
    zone_b = PoliceZoneFactory()
    group_b = WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone_b))
    stranger = link_coordinator_login(
        CoordinatorFactory(zone=zone_b, groups=[group_b]), user=UserFactory()
    )
    staff_b = UserFactory()
    add_zone_staff(zone_b, user=staff_b)
    return {
        "zone": zone,
        "municipality": municipality,
        "municipality2": municipality2,
        "group": group,
        "group2": group2,
        "group3": group3,
        "lead": lead,
        "deputy": deputy,
        "other": other,
        "far": far,
        "idle": idle,
        "gone": gone,
        "zone_b": zone_b,
        "group_b": group_b,
        "stranger": stranger,
        "staff_b": staff_b,
    }


def send(place, by, **audience) -> Message:
    return send_message(place["zone"], by=by, subject=SUBJECT, body=BODY, **audience)


def addressed(message: Message) -> set:
    return {row.coordinator for row in message.recipients.select_related("coordinator")}


# --- whom a message reaches ---------------------------------------------------


def test_a_message_to_the_zone_reaches_each_active_coordinator_by_a_mail_of_their_own(
    place, zone_staff
):
    message = send(place, zone_staff)

    wanted = {place[n] for n in ("lead", "deputy", "other", "far", "idle")}
    assert addressed(message) == wanted
    assert message.audience == MessageAudience.ZONE
    mails = list(Email.objects.order_by("pk"))
    assert sorted(mail.to[0] for mail in mails) == sorted(c.email for c in wanted)
    for mail in mails:
        # One address per mail, and no other coordinator's anywhere in it.
        assert len(mail.to) == 1 and not mail.cc and not mail.bcc
        others = [c.email for c in wanted if c.email != mail.to[0]]
        whole = f"{mail.headers} {mail.message} {mail.html_message} {mail.subject}"
        assert not [address for address in others if address in whole]
        assert SUBJECT in mail.subject and "drie inbraken" in mail.message
        assert f"/admin/groups/message/{message.pk}/change/" in mail.message


def test_a_message_to_a_municipality_reaches_its_groups_leads_and_deputies(
    place, zone_staff
):
    message = send(place, zone_staff, municipality=place["municipality"])

    assert addressed(message) == {place["lead"], place["deputy"], place["other"]}
    assert message.audience == MessageAudience.MUNICIPALITY
    assert Email.objects.count() == 3


def test_a_message_to_groups_reaches_each_of_their_coordinators_once(place, zone_staff):
    place["lead"].groups.add(place["group3"])

    message = send(place, zone_staff, groups=[place["group"], place["group3"]])

    assert addressed(message) == {place["lead"], place["deputy"], place["far"]}
    assert set(message.groups.all()) == {place["group"], place["group3"]}
    assert Email.objects.count() == 3
    assert str(message.audience_label) == "de coördinatoren van 2 groepen"


def test_the_recipients_are_those_at_the_time_of_sending(place, zone_staff, client):
    message = send(place, zone_staff, groups=[place["group"]])
    newcomer = link_coordinator_login(
        CoordinatorFactory(zone=place["zone"], groups=[place["group"]]),
        user=UserFactory(),
    )

    client.force_login(newcomer.user)
    listing = client.get(reverse("admin:groups_message_changelist"))

    assert newcomer not in addressed(message)
    assert SUBJECT not in listing.content.decode()


def test_nobody_to_receive_is_refused_and_nothing_is_kept(place, zone_staff):
    empty = MunicipalityFactory(zone=place["zone"])

    with pytest.raises(ValidationError):
        send(place, zone_staff, municipality=empty)

    assert not Message.objects.exists() and not Email.objects.exists()


# --- who may send -------------------------------------------------------------


def test_staff_of_another_zone_cannot_send_to_the_zone(place):
    with pytest.raises(PermissionDenied):
        send(place, place["staff_b"])
    assert not Message.objects.exists() and not Email.objects.exists()


def test_staff_cannot_send_to_a_municipality_or_group_of_another_zone(place):
    staff_b, zone_b = place["staff_b"], place["zone_b"]
    with pytest.raises(ValidationError):
        send_message(
            zone_b,
            by=staff_b,
            subject=SUBJECT,
            body=BODY,
            municipality=place["municipality"],
        )
    with pytest.raises(ValidationError):
        send_message(
            zone_b,
            by=staff_b,
            subject=SUBJECT,
            body=BODY,
            groups=[place["group_b"], place["group"]],
        )
    assert not Message.objects.exists() and not Email.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "anonymous", "no_role"])
def test_a_coordinator_or_anyone_else_cannot_send(place, who):
    user = {
        "coordinator": place["lead"].user,
        "anonymous": AnonymousUser(),
        "no_role": UserFactory(),
    }[who]
    with pytest.raises(PermissionDenied):
        send(place, user)
    assert not Message.objects.exists()


def test_a_municipality_and_groups_at_once_is_refused(place, zone_staff):
    with pytest.raises(ValidationError):
        send(
            place,
            zone_staff,
            municipality=place["municipality"],
            groups=[place["group"]],
        )


def test_an_empty_subject_or_message_is_refused(place, zone_staff):
    with pytest.raises(ValidationError):
        send_message(place["zone"], by=zone_staff, subject=" ", body=BODY)
    with pytest.raises(ValidationError):
        send_message(place["zone"], by=zone_staff, subject=SUBJECT, body="\n")
    assert not Message.objects.exists() and not Email.objects.exists()


def test_recipients_for_counts_as_the_message_will(place):
    assert set(recipients_for(place["zone"], groups=[place["group"]])) == {
        place["lead"],
        place["deputy"],
    }


# --- read marks ---------------------------------------------------------------


def test_mark_read_records_the_first_reading_only(place, zone_staff):
    message = send(place, zone_staff)

    first = mark_read(message, by=place["lead"].user)
    again = mark_read(message, by=place["lead"].user)

    assert first.read_at is not None and again.read_at == first.read_at
    assert mark_read(message, by=zone_staff) is None
    assert mark_read(message, by=place["stranger"].user) is None
    assert MessageRecipient.objects.filter(read_at__isnull=False).count() == 1


def test_a_message_and_its_recipients_are_audited_with_their_zone(place, zone_staff):
    message = send(place, zone_staff)
    row = message.recipients.first()

    for obj in (message, row):
        entry = LogEntry.objects.get(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
            action=LogEntry.Action.CREATE,
        )
        assert entry.additional_data == {"zone": place["zone"].pk}


# --- staff's pages ------------------------------------------------------------


def compose(**fields) -> dict:
    return {"subject": SUBJECT, "body": BODY, **fields}


def test_staff_write_then_confirm_the_count_then_send(client, place, zone_staff):
    client.force_login(zone_staff)
    url = reverse("admin:groups_message_add")
    data = compose(zone=place["zone"].pk, municipality=place["municipality"].pk)

    page = client.get(url)
    asked = client.post(url, data)

    assert page.status_code == HTTPStatus.OK
    assert asked.status_code == HTTPStatus.OK
    assert "Dit bericht gaat naar 3 coördinatoren" in asked.content.decode()
    assert not Message.objects.exists() and not Email.objects.exists()

    sent = client.post(url, {**data, "send": "1", "expected": "3"}, follow=True)

    message = Message.objects.get()
    assert sent.redirect_chain[-1][0] == reverse(
        "admin:groups_message_change", args=[message.pk]
    )
    assert Email.objects.count() == 3
    text = sent.content.decode()
    assert "Het bericht is verstuurd naar 3 coördinatoren." in text
    assert "0 van 3 coördinatoren lazen het in het portaal." in text
    assert place["lead"].full_name in text  # who received it


def test_a_changed_count_asks_again_and_sends_nothing(client, place, zone_staff):
    client.force_login(zone_staff)
    url = reverse("admin:groups_message_add")
    data = compose(zone=place["zone"].pk, groups=[place["group"].pk])

    response = client.post(url, {**data, "send": "1", "expected": "7"})

    assert response.status_code == HTTPStatus.OK
    assert "veranderde intussen" in response.content.decode()
    assert "Dit bericht gaat naar 2 coördinatoren" in response.content.decode()
    assert not Message.objects.exists() and not Email.objects.exists()


def test_change_the_message_goes_back_to_the_form(client, place, zone_staff):
    client.force_login(zone_staff)
    data = compose(zone=place["zone"].pk, edit="1", expected="5")

    response = client.post(reverse("admin:groups_message_add"), data)

    assert response.status_code == HTTPStatus.OK
    assert response.templates[0].name == "admin/groups/message/compose.html"
    assert SUBJECT in response.content.decode()
    assert not Message.objects.exists()


def test_an_incomplete_message_says_what_is_missing(client, place, zone_staff):
    client.force_login(zone_staff)
    url = reverse("admin:groups_message_add")

    response = client.post(url, {"zone": place["zone"].pk, "send": "1"})
    both = client.post(
        url,
        compose(
            zone=place["zone"].pk,
            municipality=place["municipality"].pk,
            groups=[place["group"].pk],
        ),
    )
    nobody = client.post(
        url,
        compose(
            zone=place["zone"].pk,
            municipality=MunicipalityFactory(zone=place["zone"]).pk,
        ),
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors.keys() == {"subject", "body"}
    assert "niet allebei" in both.content.decode()
    assert "Niemand zou dit bericht krijgen" in nobody.content.decode()
    assert not Message.objects.exists() and not Email.objects.exists()


def test_staff_choose_only_among_their_own_zone(client, place, zone_staff):
    client.force_login(zone_staff)
    url = reverse("admin:groups_message_add")

    form = client.get(url).context["form"]
    refused = [
        compose(zone=place["zone_b"].pk),
        compose(zone=place["zone"].pk, municipality=place["group_b"].municipality.pk),
        compose(zone=place["zone"].pk, groups=[place["group_b"].pk]),
    ]
    responses = [
        client.post(url, {**data, "send": "1", "expected": "1"}) for data in refused
    ]

    assert list(form.fields["zone"].queryset) == [place["zone"]]
    assert (
        place["zone_b"].municipalities.first()
        not in form.fields["municipality"].queryset
    )
    assert place["group_b"] not in form.fields["groups"].queryset
    for response in responses:
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors
    assert not Message.objects.exists() and not Email.objects.exists()


def test_a_coordinator_cannot_open_the_writing_page(client, place):
    client.force_login(place["lead"].user)
    url = reverse("admin:groups_message_add")

    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    data = compose(zone=place["zone"].pk, send="1", expected="5")
    assert client.post(url, data).status_code == HTTPStatus.FORBIDDEN
    assert not Message.objects.exists()


def test_staff_of_another_zone_do_not_see_the_message(client, place, zone_staff):
    message = send(place, zone_staff)
    client.force_login(place["staff_b"])

    listing = client.get(reverse("admin:groups_message_changelist"))
    page = client.get(reverse("admin:groups_message_change", args=[message.pk]))

    assert SUBJECT not in listing.content.decode()
    assert page.status_code == HTTPStatus.FOUND  # "does not exist": to the index
    assert SUBJECT not in client.get(page.url).content.decode()


def test_a_sent_message_cannot_be_changed_or_deleted(client, place, zone_staff):
    message = send(place, zone_staff)
    client.force_login(zone_staff)
    change = reverse("admin:groups_message_change", args=[message.pk])

    client.post(change, {"subject": "Anders", "body": "Anders"})
    deleted = client.post(
        reverse("admin:groups_message_delete", args=[message.pk]), {"post": "yes"}
    )

    message.refresh_from_db()
    assert message.subject == SUBJECT
    assert deleted.status_code == HTTPStatus.FORBIDDEN


# --- coordinators' pages ------------------------------------------------------


def test_a_coordinator_reads_their_messages_newest_first_and_marks_them_read(
    client, place, zone_staff
):
    older = send(place, zone_staff)
    newer = send_message(
        place["zone"], by=zone_staff, subject="Tweede bericht", body="Meer nieuws"
    )
    not_theirs = send_message(
        place["zone"],
        by=zone_staff,
        subject="Alleen gemeente 2",
        body="Niet voor jou",
        municipality=place["municipality2"],
    )
    client.force_login(place["lead"].user)

    dashboard = client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:groups_message_changelist"))
    new_only = client.get(reverse("admin:groups_message_changelist"), {"read": "no"})
    page = client.get(reverse("admin:groups_message_change", args=[older.pk]))
    after = client.get(reverse("admin:index")).content.decode()

    assert "2 nieuwe berichten van de politiezone" in dashboard
    assert [m.pk for m in listing.context["cl"].result_list] == [newer.pk, older.pk]
    assert not_theirs.subject not in listing.content.decode()
    assert len(new_only.context["cl"].result_list) == 2
    text = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "Deze week drie inbraken.<br>Wees alert." in text
    # Not who else received it, nor their addresses.
    assert place["deputy"].full_name not in text
    assert place["deputy"].email not in text
    assert "1 nieuw bericht van de politiezone" in after
    assert older.recipients.get(coordinator=place["lead"]).read_at is not None


def test_a_coordinator_cannot_read_a_message_not_addressed_to_them(
    client, place, zone_staff
):
    of_municipality2 = send(place, zone_staff, municipality=place["municipality2"])
    other_zone = send_message(
        place["zone_b"],
        by=place["staff_b"],
        subject="Zone B intern",
        body="Geheim",
    )

    for user, message in [
        (place["lead"].user, of_municipality2),
        (place["lead"].user, other_zone),
        (place["stranger"].user, of_municipality2),
    ]:
        client.force_login(user)
        response = client.get(reverse("admin:groups_message_change", args=[message.pk]))
        assert response.status_code == HTTPStatus.FOUND, (user, message)
        assert message.subject not in client.get(response.url).content.decode()
    assert not MessageRecipient.objects.filter(read_at__isnull=False).exists()


def test_a_coordinator_who_stopped_reads_no_more_messages(client, place, zone_staff):
    message = send(place, zone_staff)
    place["lead"].is_active = False
    place["lead"].save()
    client.force_login(place["lead"].user)

    response = client.get(reverse("admin:groups_message_change", args=[message.pk]))

    assert response.status_code != HTTPStatus.OK


# --- hostile input, language, logs --------------------------------------------


@payloads
def test_what_staff_typed_is_shown_as_typed_in_mail_and_pages(
    client, place, zone_staff, payload
):
    subject, body = typed(payload, "subject"), typed(payload, "body") + "\n2e regel"
    client.force_login(zone_staff)
    url = reverse("admin:groups_message_add")
    data = compose(zone=place["zone"].pk, subject=subject, body=body)

    confirm = client.post(url, data)
    client.post(url, {**data, "send": "1", "expected": "5"})

    message = Message.objects.get()
    assert (message.subject, message.body) == (subject, body)
    assert_escaped_html(confirm.content.decode(), [subject, body])
    mail = Email.objects.get(to=[place["lead"].email])
    assert_mail(mail, subject, body, subject=[subject])
    staff_page = client.get(reverse("admin:groups_message_change", args=[message.pk]))
    assert_escaped_html(staff_page.content.decode(), [subject, body])
    client.force_login(place["lead"].user)
    for url in (
        reverse("admin:groups_message_changelist"),
        reverse("admin:groups_message_change", args=[message.pk]),
    ):
        assert_escaped_html(client.get(url).content.decode(), [subject])
    page = client.get(reverse("admin:groups_message_change", args=[message.pk]))
    assert_escaped_html(page.content.decode(), [subject, body])


def test_the_payloads_cover_the_usual_ones():
    assert {"debug", "settings", "script", "hyperlink"} <= PAYLOADS.keys()


def dutch(response) -> str:
    text = read(response.content.decode()).text
    found = english_in(text)
    assert not found, report({response.request["PATH_INFO"]: found})
    return text


def test_every_message_page_is_dutch(client, place, zone_staff):
    message = send(place, zone_staff, groups=[place["group"]])
    mark_read(message, by=place["lead"].user)
    client.force_login(zone_staff)
    add = reverse("admin:groups_message_add")
    data = compose(zone=place["zone"].pk)

    for response in [
        client.get(reverse("admin:groups_message_changelist")),
        client.get(reverse("admin:groups_message_change", args=[message.pk])),
        client.get(add),
        client.post(add, data),
        client.post(add, {**data, "send": "1", "expected": "0"}),
        client.post(add, {"zone": place["zone"].pk}),
        client.get(reverse("admin:index")),
    ]:
        assert response.status_code == HTTPStatus.OK
        dutch(response)
    client.force_login(place["lead"].user)
    for response in [
        client.get(reverse("admin:groups_message_changelist")),
        client.get(reverse("admin:groups_message_changelist"), {"read": "yes"}),
        client.get(reverse("admin:groups_message_change", args=[message.pk])),
        client.get(reverse("admin:index")),
    ]:
        assert response.status_code == HTTPStatus.OK
        dutch(response)
    mail = Email.objects.filter(to=[place["lead"].email]).get()
    assert not english_in(re.sub(r"https?://\S+", " ", mail.subject + mail.message))


def test_sending_and_reading_log_no_addresses_names_or_text(
    client, place, zone_staff, caplog
):
    caplog.set_level(logging.DEBUG)
    client.force_login(zone_staff)
    url = reverse("admin:groups_message_add")
    data = compose(zone=place["zone"].pk)
    client.post(url, data)
    client.post(url, {**data, "send": "1", "expected": "5"})
    message = Message.objects.get()
    client.force_login(place["lead"].user)
    client.get(reverse("admin:groups_message_change", args=[message.pk]))

    logged = caplog.text + " ".join(repr(record.args) for record in caplog.records)
    assert "zone message sent" in logged and "zone message read" in logged
    coordinators = [place[n] for n in ("lead", "deputy", "other", "far", "idle")]
    for secret in [SUBJECT, "inbraken"] + [
        value for c in coordinators for value in (c.email, c.last_name)
    ]:
        assert secret not in logged, secret
