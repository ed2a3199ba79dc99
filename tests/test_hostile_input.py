"""Whatever a person typed is data: shown as typed, never run.

Template syntax, HTML and spreadsheet formulas go into every text field a
resident (the e-loket), a coordinator (a group's description, the reasons of
a rejection or a removal) or police-zone staff (zone, municipality, region,
group, coordinator, meeting, house rules, download, street list) can type.
The real flows run on them, and then:

- every mail queued and every mail the worker sends shows each value
  literally in its subject and text part and HTML-escaped in its HTML part,
  never the template's result ("2026" for ``{% now 'Y' %}``), the context
  (``{% debug %}``) or a body grown by ``{% lorem %}``;
- every export (the members' CSV and vCard, the coordinator table through
  django-import-export, the privacy-request file) has each value as typed,
  a cell that a spreadsheet would run as a formula behind an apostrophe, and
  the table imports back unchanged;
- every page (the public pages, the coordinators' umbrella page, the admin
  lists, forms and decision pages of coordinators and staff) shows each
  value escaped.

One test per surface, run once per payload, each on a network of its own;
the table's round trip takes every payload at once.
"""

import csv
import html
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from http import HTTPStatus

import icalendar
import openpyxl
import pytest
import tablib
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from post_office.models import STATUS, Email

from groups.constants import NotificationMode
from groups.models import (
    Coordinator,
    Meeting,
    Municipality,
    PoliceZone,
    Region,
    Street,
    WhatsAppGroup,
)
from groups.resources import CoordinatorResource, WhatsAppGroupResource
from groups.services import (
    import_streets_csv,
    response_link,
    run_next_street_import,
)
from registrations.constants import SignupRole, SignupStatus
from registrations.exports import members_vcard
from registrations.models import HouseRules, Signup
from registrations.notifications import (
    confirmation_link,
    my_signup_link,
    reacceptance_link,
    withdrawal_link,
)
from registrations.services import send_coordinator_reminders
from tests.admin_forms import form_data
from tests.eloket import SENT_URL, SIGNUP_URL, eloket_form
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    DownloadFactory,
    HouseRulesFactory,
    MeetingFactory,
    MeetingInvitationFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionFactory,
    RegionStreetFactory,
    SignupFactory,
    UmbrellaGroupFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "now": "{% now 'Y' %}",
    "arithmetic": "{{ 7*7 }}",
    "debug": "{% debug %}",
    "lorem": "{% lorem 2000 w %}",
    "settings": "{{ settings.SECRET_KEY }}",
    "script": "<script>alert(1)</script>",
    "handler": "<b onmouseover=x>",
    "hyperlink": '=HYPERLINK("http://x","y")',
    "plus": "+1+2",
    "minus": "-2",
    "at": "@SUM(A1)",
    "format": "%(name)s {0}",
}
payloads = pytest.mark.parametrize(
    "payload", list(PAYLOADS.values()), ids=list(PAYLOADS)
)

# A spreadsheet runs a cell that starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@")
# A person's markup that must never reach a page or an HTML part unescaped.
RAW_MARKUP = ("<script>alert", "<b onmouseover")
# The box field takes only digits, letters, ".", "-", "/" and spaces.
BOX = re.compile(r"^[0-9A-Za-z.\-/ ]{1,10}$")


def typed(payload: str, field: str) -> str:
    """What a person typed into ``field``: the payload, then the field's name.

    The payload comes first, so a formula stays at the start of its cell;
    the field's name tells the fields apart in a mail, a file or a page.
    """
    return f"{payload} [{field}]"


def email_for(payload: str, who: str) -> str:
    """An e-mail address carrying the payload where an address can.

    ``{{7*7}}.r1@example.be`` is a valid address, ``=HYPERLINK(...)`` cannot
    be one: those get a plain address.
    """
    candidate = f"{payload.replace(' ', '')}.{who}@example.be".lower()
    try:
        validate_email(candidate)
    except ValidationError:
        return f"{who}@example.be"
    return candidate


def box_for(payload: str) -> str:
    return payload if BOX.match(payload) else "2"


def in_spreadsheet(value: str) -> str:
    """The cell a value must become: text, whatever it starts with."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


# --- what "shown literally" means ---------------------------------------------


def executed(value: str) -> list[str]:
    """The value as it would read had its payload been run as a template."""
    year = str(timezone.localdate().year)
    return [
        value.replace(payload, result)
        for payload, result in (("{% now 'Y' %}", year), ("{{ 7*7 }}", "49"))
        if payload in value
    ]


def assert_not_run(text: str, values: Iterable[str] = ()) -> None:
    """No trace of a template having run on what was typed."""
    assert settings.SECRET_KEY not in text
    assert "'True': True" not in text, "{% debug %} printed the context"
    assert "(built-in)>" not in text, "{% debug %} printed sys.modules"
    assert "lorem ipsum" not in text.lower(), "{% lorem %} ran"
    for value in values:
        for result in executed(value):
            assert result not in text, f"{value!r} was run: {result!r}"


def assert_plain_text(text: str, values: Iterable[str]) -> None:
    """A text part or subject: each value exactly as typed, nothing escaped."""
    values = list(values)
    for value in values:
        assert value in text, f"{value!r} is not shown as typed in {text!r}"
    for entity in ("&lt;", "&gt;", "&#x27;", "&quot;", "&amp;"):
        assert entity not in text, f"HTML-escaped text in a plain-text part: {text!r}"
    assert_not_run(text, values)


def assert_escaped_html(markup: str, values: Iterable[str]) -> None:
    """An HTML part or page: each value escaped, no markup of a person's."""
    values = list(values)
    for raw in RAW_MARKUP:
        assert raw not in markup, f"raw {raw!r} in the HTML"
    shown = html.unescape(markup)
    lines = [line for value in values for line in value.splitlines()]
    for line in lines:
        assert line in shown, f"{line!r} is not shown"
    assert_not_run(shown, lines)


# --- mail ---------------------------------------------------------------------


class Outbox:
    """The mails queued since the last look."""

    def __init__(self) -> None:
        self.last = Email.objects.order_by("-pk").values_list("pk", flat=True).first()

    def new(self) -> list[Email]:
        mails = list(Email.objects.filter(pk__gt=self.last or 0).order_by("pk"))
        if mails:
            self.last = mails[-1].pk
        return mails

    def one_to(self, address: str, mails: list[Email] | None = None) -> Email:
        mails = self.new() if mails is None else mails
        found = [mail for mail in mails if address in mail.to]
        assert len(found) == 1, (address, [(m.to, m.subject) for m in mails])
        return found[0]


def assert_mail(mail: Email, *values: str, subject: Iterable[str] = ()) -> None:
    """The values stand in the text part as typed and in the HTML part escaped."""
    assert_plain_text(mail.subject, subject)
    assert "\n" not in mail.subject
    assert_plain_text(mail.message, values)
    for value in values:
        for line in value.splitlines():
            assert escape(line) in mail.html_message, f"{line!r} not escaped in HTML"
    assert_escaped_html(mail.html_message, values)
    # {% lorem 2000 w %} run once would add some 15 kB.
    assert len(mail.message) < 6_000, len(mail.message)
    assert len(mail.html_message) < 12_000, len(mail.html_message)


# --- the network --------------------------------------------------------------


@dataclass
class World:
    """One zone in which everything a person can type carries the payload."""

    payload: str
    zone: PoliceZone
    municipality: Municipality
    region: Region
    group: WhatsAppGroup
    group2: WhatsAppGroup
    coordinator: Coordinator
    colleague: Coordinator
    rules: HouseRules
    meeting: Meeting
    staff: Client
    coordinating: Client
    staff_user: User

    def typed(self, field: str) -> str:
        return typed(self.payload, field)


def build_world(
    payload, zone, group, zone_staff, coordinator_user, *, in_admin: bool
) -> World:
    """Staff keep the table, the coordinator describes their group.

    ``in_admin``: the street list and the description are typed in the admin
    (the page test, which shows them); otherwise through the same services.
    """

    def t(field: str) -> str:
        return typed(payload, field)

    zone.name, zone.contact_name = t("zone"), t("zone contact")
    zone.save()
    municipality = group.municipality
    municipality.name = t("municipality")
    municipality.save()
    region = group.region
    region.name, region.description = t("region"), t("region description")
    region.save()
    group.name = t("group")
    group.save()
    group2 = WhatsAppGroupFactory(
        municipality=municipality,
        name=t("group 2"),
        region=RegionFactory(municipality=municipality, name=t("region 2")),
    )
    UmbrellaGroupFactory(
        municipality=municipality,
        name=t("umbrella"),
        description=f"{t('umbrella description')}\n{t('umbrella line 2')}",
        invite_link="https://chat.whatsapp.com/KoepelGroep2026abc",
    )
    coordinator = coordinator_user.coordinator
    coordinator.first_name = t("coordinator first")
    coordinator.last_name = t("coordinator last")
    coordinator.listed_publicly = True
    coordinator.save()
    colleague = Coordinator.objects.create(
        zone=zone,
        first_name=t("colleague first"),
        last_name=t("colleague last"),
        email=email_for(payload, "colleague"),
        phone="+32471999888",
        listed_publicly=True,
    )
    colleague.groups.add(group2)
    rules = HouseRulesFactory(
        zone=zone, title=t("rules"), body=f"{t('rule 1')}\n\n{t('rule 2')}"
    )
    meeting = MeetingFactory(
        zone=zone,
        title=t("meeting"),
        location=t("place"),
        agenda=f"{t('agenda')}\n{t('agenda 2')}",
        starts_at=timezone.now() + timedelta(days=7),
    )
    DownloadFactory(zone=zone, title=t("download"))

    staff = Client()
    staff.force_login(zone_staff)
    coordinating = Client()
    coordinating.force_login(coordinator_user)

    # Staff upload the municipality's street list.
    postcode = municipality.postcode_list[0]
    street_list = io.StringIO()
    csv.writer(street_list, delimiter=";").writerows(
        [["straatnaam", "postcode"], [t("street"), postcode], [t("street 2"), postcode]]
    )
    content = street_list.getvalue().encode()
    if in_admin:
        uploaded = staff.post(
            reverse("admin:groups_municipality_import_streets", args=[municipality.pk]),
            {"file": SimpleUploadedFile("straten.csv", content)},
        )
        assert uploaded.status_code == HTTPStatus.FOUND
        run_next_street_import()
        assert staff.get(uploaded["Location"]).status_code == HTTPStatus.OK
    else:
        import_streets_csv(municipality, content)
    street = Street.objects.get(municipality=municipality, name=t("street"))
    RegionStreetFactory(region=region, street=street)

    # The coordinator describes their group.
    description = f"{t('group description')}\n{t('group line 2')}"
    if in_admin:
        url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
        data = {**form_data(coordinating.get(url)), "description": description}
        assert coordinating.post(url, data).status_code == HTTPStatus.FOUND
        group.refresh_from_db()
    else:
        group.description = description
        group.save()
    assert group.description == description

    return World(
        payload=payload,
        zone=zone,
        municipality=municipality,
        region=region,
        group=group,
        group2=group2,
        coordinator=coordinator,
        colleague=colleague,
        rules=rules,
        meeting=meeting,
        staff=staff,
        coordinating=coordinating,
        staff_user=zone_staff,
    )


@pytest.fixture
def world(payload, zone, group, zone_staff, coordinator_user) -> World:
    return build_world(
        payload, zone, group, zone_staff, coordinator_user, in_admin=False
    )


@pytest.fixture
def world_typed_in_admin(payload, zone, group, zone_staff, coordinator_user) -> World:
    return build_world(
        payload, zone, group, zone_staff, coordinator_user, in_admin=True
    )


def resident(world: World, who: str, **fields) -> dict:
    """A resident's own typing."""
    return {
        "first_name": world.typed(f"{who} first"),
        "last_name": world.typed(f"{who} last"),
        "street_name": world.typed(f"{who} street"),
        "box": box_for(world.payload),
        "email": email_for(world.payload, who),
        **fields,
    }


def member(world: World, who: str, **fields) -> Signup:
    """A signup as the e-loket stores it (the mail test posts the form itself)."""
    return SignupFactory(
        group=world.group,
        house_number="5",
        **resident(world, who),
        **fields,
    )


def path_of(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


def confirm(client, signup: Signup, shown: str) -> None:
    """Follow the confirmation link as the resident does: the page, its button."""
    url = path_of(confirmation_link(signup))
    assert_escaped_html(client.get(url).content.decode(), [shown])
    assert_escaped_html(client.post(url).content.decode(), [shown])
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING


def action(client, changelist: str, name: str, signups, **data):
    return client.post(
        reverse(changelist),
        {"action": name, ACTION_CHECKBOX_NAME: [s.pk for s in signups], **data},
    )


# --- mails --------------------------------------------------------------------


@payloads
def test_every_mail_shows_what_people_typed_literally(world, deliver_mail):
    w, t = world, world.typed
    public = Client()
    outbox = Outbox()
    zone, group, group2 = t("zone"), t("group"), t("group 2")

    # A resident signs up on the e-loket ...
    typing = resident(w, "r1", phone="0470 55 12 34")
    form = eloket_form(w.group, w.rules, **typing)
    response = public.post(SIGNUP_URL, form)
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    assert response["Location"] == SENT_URL
    signup = Signup.objects.get(first_name=typing["first_name"])
    assert (signup.last_name, signup.street_name, signup.box) == (
        typing["last_name"],
        typing["street_name"],
        typing["box"],
    )
    first = typing["first_name"]
    assert_mail(outbox.one_to(signup.email), first, group, zone)
    # ... twice ...
    assert public.post(SIGNUP_URL, form)["Location"] == SENT_URL
    assert_mail(outbox.one_to(signup.email), first, zone)
    # ... and confirms: the coordinator is told.
    confirm(public, signup, group)
    assert_mail(outbox.one_to(w.coordinator.email), group, zone, subject=[group])

    # The coordinator approves; staff publish new house rules and ask again.
    approve = reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
    assert w.coordinating.post(approve).status_code == HTTPStatus.FOUND
    assert_mail(outbox.one_to(signup.email), first, group, zone, subject=[group])
    added = w.staff.post(
        reverse("admin:registrations_houserules_add"),
        {"zone": w.zone.pk, "title": t("rules 2"), "body": t("rules 2 body")},
    )
    assert added.status_code == HTTPStatus.FOUND
    new_rules = HouseRules.objects.get(zone=w.zone, is_current=True)
    assert (new_rules.title, new_rules.body) == (t("rules 2"), t("rules 2 body"))
    asked = w.staff.post(
        reverse("admin:registrations_houserules_changelist"),
        {"action": "ask_to_reaccept", ACTION_CHECKBOX_NAME: [new_rules.pk]},
    )
    assert asked.status_code == HTTPStatus.FOUND
    assert_mail(outbox.one_to(signup.email), first, zone, subject=[zone])
    # The coordinator removes the member, with a reason.
    removed = action(
        w.coordinating,
        "admin:registrations_member_changelist",
        "mark_removed_selected",
        [signup],
        apply="1",
        reason=t("removal reason"),
    )
    assert removed.status_code == HTTPStatus.FOUND
    reason = t("removal reason")
    assert_mail(outbox.one_to(signup.email), first, group, reason, subject=[group])

    # A waiting signup, a reminder, and the coordinator rejects it with a reason.
    waiting = member(w, "r2", confirmed_at=timezone.now() - timedelta(days=30))
    assert outbox.new() == []
    assert send_coordinator_reminders() == 1
    assert_mail(outbox.one_to(w.coordinator.email), group, zone)
    reject = reverse("admin:registrations_pendingsignup_reject", args=[waiting.pk])
    page = w.coordinating.get(reject)
    assert_escaped_html(page.content.decode(), [t("r2 first"), t("r2 street"), group])
    response = w.coordinating.post(reject, {"reason": t("rejection reason")})
    assert response.status_code == HTTPStatus.FOUND
    assert_mail(
        outbox.one_to(waiting.email), t("r2 first"), group, t("rejection reason")
    )

    # A signup for the wrong group is moved to the other one.
    wrong = member(w, "r3")
    move = reverse("admin:registrations_pendingsignup_move", args=[wrong.pk])
    moved = w.coordinating.post(move, {"group": w.group2.pk}, follow=True)
    assert_escaped_html(moved.content.decode(), [group2])
    mails = outbox.new()
    assert_mail(
        outbox.one_to(wrong.email, mails),
        t("r3 first"),
        group,
        group2,
        subject=[group2],
    )
    assert_mail(outbox.one_to(w.colleague.email, mails), group2, subject=[group2])

    # Members leave: marked by the coordinator, or withdrawing themselves.
    leaving = member(w, "r4", status=SignupStatus.APPROVED, decided_at=timezone.now())
    left = action(
        w.coordinating,
        "admin:registrations_member_changelist",
        "mark_left_selected",
        [leaving],
        apply="1",
    )
    assert left.status_code == HTTPStatus.FOUND
    assert_mail(outbox.one_to(leaving.email), t("r4 first"), group, subject=[group])
    going = member(w, "r5", status=SignupStatus.APPROVED, decided_at=timezone.now())
    withdraw = path_of(withdrawal_link(going))
    assert_escaped_html(public.get(withdraw).content.decode(), [group])
    assert public.post(withdraw).status_code == HTTPStatus.FOUND
    assert_mail(outbox.one_to(w.coordinator.email), group, subject=[group])

    # A resident applies to start a group; staff found it.
    applying = resident(
        w,
        "a1",
        phone="0470 55 43 21",
        role=SignupRole.COORDINATOR,
        group=None,
        proposed_group_name=t("proposed group"),
        proposed_area=f"{t('proposed area')}\n{t('area line 2')}",
    )
    response = public.post(SIGNUP_URL, eloket_form(w.group, new_rules, **applying))
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    application = Signup.objects.get(role=SignupRole.COORDINATOR)
    assert application.proposed_area == applying["proposed_area"]
    proposed = t("proposed group")
    assert_mail(outbox.one_to(application.email), applying["first_name"], proposed)
    confirm(public, application, proposed)
    assert_mail(
        outbox.one_to(w.zone.email), proposed, t("municipality"), subject=[proposed]
    )
    found = w.staff.post(
        reverse("admin:registrations_groupapplication_approve", args=[application.pk]),
        {"group_name": t("founded group"), "region_name": t("founded region")},
    )
    assert found.status_code == HTTPStatus.FOUND
    founded = WhatsAppGroup.objects.get(name=t("founded group"))
    assert founded.region.name == t("founded region")
    # The applicant hears of the group and gets their coordinator login.
    mails = outbox.new()
    assert [mail.to for mail in mails] == [[application.email]] * 2
    for mail in mails:
        assert_mail(mail, applying["first_name"], t("founded group"))

    # Staff reject another application, with a reason.
    other = ApplicationFactory(
        municipality=w.municipality,
        proposed_group_name=t("other proposal"),
        **resident(w, "a2"),
    )
    reject = reverse("admin:registrations_groupapplication_reject", args=[other.pk])
    page = w.staff.get(reject)
    assert_escaped_html(page.content.decode(), [t("other proposal"), t("a2 first")])
    response = w.staff.post(reject, {"reason": t("application reason")})
    assert response.status_code == HTTPStatus.FOUND
    assert_mail(
        outbox.one_to(other.email),
        t("a2 first"),
        t("other proposal"),
        t("application reason"),
    )

    # Staff add a coordinator in the admin: the invitation names them.
    add = reverse("admin:groups_coordinator_add")
    data = form_data(w.staff.get(add))
    data.update(
        zone=str(w.zone.pk),
        first_name=t("new first"),
        last_name=t("new last"),
        email=email_for(w.payload, "new"),
        phone="0471 22 33 44",
        groups=[str(w.group.pk), str(w.group2.pk)],
        notification_mode=NotificationMode.IMMEDIATE,
        is_active="on",
    )
    response = w.staff.post(add, data, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert_escaped_html(response.content.decode(), [t("new first")])
    new = Coordinator.objects.get(first_name=t("new first"))
    username = new.user.get_username()
    assert_mail(outbox.one_to(new.email), t("new first"), group, group2, zone, username)

    # Staff invite the zone's coordinators to the meeting.
    invite = reverse("admin:groups_meeting_invite", args=[w.meeting.pk])
    assert w.staff.post(invite).status_code == HTTPStatus.FOUND
    invitations = outbox.new()
    assert len(invitations) == Coordinator.objects.filter(zone=w.zone).count() == 4
    for mail in invitations:
        assert_mail(
            mail,
            zone,
            t("meeting"),
            t("place"),
            f"{t('agenda')}\n{t('agenda 2')}",
            subject=[t("meeting")],
        )
    assert_mail(outbox.one_to(w.colleague.email, invitations), t("colleague first"))

    # The worker sends what was queued, as it was queued (the end-of-membership
    # mails wait out the undo window: let it pass).
    Email.objects.filter(scheduled_time__gt=timezone.now()).update(scheduled_time=None)
    queued = list(Email.objects.order_by("pk"))
    sent = deliver_mail()
    assert Email.objects.filter(status=STATUS.sent).count() == len(queued) == len(sent)
    assert sorted((m.subject, m.body, m.alternatives[0][0]) for m in sent) == sorted(
        (m.subject, m.message, m.html_message) for m in queued
    )
    calendars = []
    for message in sent:
        assert_plain_text(message.subject, [])
        assert_plain_text(message.body, [])
        assert_escaped_html(message.alternatives[0][0], [])
        for _name, content, mimetype in message.attachments:
            assert mimetype.startswith("text/calendar")
            calendars.append(icalendar.Calendar.from_ical(content))
    # The meeting in the calendar file, as staff typed it.
    assert len(calendars) == len(invitations)
    for calendar in calendars:
        [event] = calendar.walk("VEVENT")
        assert str(event["SUMMARY"]) == t("meeting")
        assert str(event["LOCATION"]) == t("place")
        assert str(event["DESCRIPTION"]) == f"{t('agenda')}\n{t('agenda 2')}"

    # A mail that could not be delivered is shown to the zone's staff escaped.
    undelivered = invitations[0]
    Email.objects.filter(pk=undelivered.pk).update(status=STATUS.failed)
    for url in (
        reverse("admin:wabp_portal_undeliveredmail_changelist"),
        reverse("admin:wabp_portal_undeliveredmail_change", args=[undelivered.pk]),
    ):
        page = w.staff.get(url)
        assert page.status_code == HTTPStatus.OK, url
        assert_escaped_html(page.content.decode(), [t("meeting")])


# --- exports ------------------------------------------------------------------


def csv_rows(content: bytes, delimiter: str = ",") -> list[list[str]]:
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def assert_no_formula_cell(rows: Iterable[Iterable]) -> None:
    for row in rows:
        for cell in row:
            if isinstance(cell, str):
                assert not cell.startswith(FORMULA_STARTS), f"formula cell {cell!r}"


def export_table(client, model, file_format: str):
    """The admin's export page, every column, in one of its formats."""
    model_admin = model_admin_of(model)
    resource = model_admin.resource_classes[0]
    titles = [each().get_title() for each in model_admin.get_export_formats()]
    columns = resource(user=None).get_export_headers()
    data = {"format": str(titles.index(file_format)), "resource": "0"}
    data.update({f"{resource.__name__.lower()}_{column}": "on" for column in columns})
    response = client.post(
        reverse(f"admin:groups_{model._meta.model_name}_export"), data
    )
    assert response.status_code == HTTPStatus.OK
    assert "attachment" in response["Content-Disposition"]
    return response.content


def model_admin_of(model):
    return admin.site._registry[model]


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"formula cell {cell.coordinate}"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def table_as_dicts(rows: list[list]) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def table_snapshot() -> dict:
    return {
        "groups": sorted(
            WhatsAppGroup.objects.values_list(
                "pk", "name", "region_id", "description", "municipality_id"
            )
        ),
        "regions": sorted(Region.objects.values_list("pk", "name", "description")),
        "coordinators": sorted(
            Coordinator.objects.values_list(
                "pk", "first_name", "last_name", "email", "phone", "is_active"
            )
        ),
        "memberships": sorted(
            Coordinator.groups.through.objects.values_list(
                "coordinator_id", "whatsappgroup_id"
            )
        ),
        "mails": Email.objects.count(),
    }


@payloads
def test_every_export_holds_what_people_typed_as_text(world):
    w, t = world, world.typed
    signup = member(w, "m1", status=SignupStatus.APPROVED, decided_at=timezone.now())
    # The columns of registrations.exports.members_csv, by position.
    typed_cells = {
        0: t("group"),
        1: t("m1 first"),
        2: t("m1 last"),
        3: t("m1 street"),
        5: signup.box,
        7: t("municipality"),
        9: signup.email,
    }

    # The coordinator's member list as a spreadsheet ...
    response = action(
        w.coordinating,
        "admin:registrations_member_changelist",
        "export_csv",
        [signup],
        index=0,
    )
    assert response.status_code == HTTPStatus.OK
    _header, row = csv_rows(response.content, delimiter=";")
    assert_no_formula_cell([row])
    for column, value in typed_cells.items():
        assert row[column] == in_spreadsheet(value), column
    assert_not_run(";".join(row), typed_cells.values())

    # ... and as phone contacts: vCard's own escaping, nothing else.
    response = action(
        w.coordinating,
        "admin:registrations_member_changelist",
        "export_vcard",
        [signup],
        index=0,
    )
    card = response.content.decode()
    lines = card.split("\r\n")

    def vcard(value: str) -> str:
        return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")

    assert f"N:{vcard(t('m1 last'))};{vcard(t('m1 first'))};;;" in lines
    assert f"FN:{vcard(signup.full_name)}" in lines
    assert f"ORG:{vcard(t('group'))}" in lines
    adr = next(line for line in lines if line.startswith("ADR"))
    assert vcard(t("m1 street")) in adr
    assert vcard(t("municipality")) in adr
    assert all(
        re.match(r"^(BEGIN|VERSION|N|FN|TEL|EMAIL|ADR|ORG|NOTE|END)[;:]", line)
        for line in lines
        if line
    ), lines
    assert_not_run(card)

    # The coordinator table, in each format the staff use and one for the eye.
    for model in (WhatsAppGroup, Coordinator):
        tables = {
            "csv": csv_rows(export_table(w.staff, model, "csv")),
            "xlsx": xlsx_rows(export_table(w.staff, model, "xlsx")),
        }
        for file_format, rows in tables.items():
            assert_no_formula_cell(rows)
            exported = table_as_dicts(rows)
            if model is WhatsAppGroup:
                [row] = [r for r in exported if r["name"] == in_spreadsheet(t("group"))]
                expected = {
                    "municipality": t("municipality"),
                    "region": t("region"),
                    "description": f"{t('group description')}\n{t('group line 2')}",
                }
            else:
                [row] = [
                    r
                    for r in exported
                    if r["first_name"] == in_spreadsheet(t("coordinator first"))
                ]
                expected = {
                    "zone": t("zone"),
                    "last_name": t("coordinator last"),
                    "groups": t("group"),
                }
            for column, value in expected.items():
                assert row[column] == in_spreadsheet(value), (file_format, column)
        page = export_table(w.staff, model, "html").decode()
        assert_escaped_html(page, [t("group")])

    # A person's own data, for an access request: JSON holds it exactly.
    response = w.staff.post(
        reverse("privacy-requests"), {"action": "export", "email": signup.email}
    )
    assert response.status_code == HTTPStatus.OK
    export = json.loads(response.content)
    [exported] = export["signups"]
    assert exported["first_name"] == t("m1 first")
    assert exported["last_name"] == t("m1 last")
    assert exported["street"] == t("m1 street")
    assert exported["box"] == signup.box
    assert exported["group"] == t("group")
    assert exported["municipality"] == t("municipality")
    assert exported["police_zone"] == t("zone")
    assert exported["house_rules_accepted"]["title"] == t("rules")
    assert_not_run(response.content.decode())

    # Staff import a table filled in from an exported one (formulas behind
    # an apostrophe): the preview shows it escaped, the apostrophe goes.
    cells = [t("municipality"), t("region"), t("imported group")]
    cells += ["neighbourhood", t("imported description"), "0", "1", "3"]
    rows = [[in_spreadsheet(cell) for cell in cells]]
    headers = ["municipality", "region", "name", "kind", "description"]
    headers += ["is_public", "is_active", "display_order"]
    content = tablib.Dataset(*rows, headers=headers).csv.encode()
    formats = [
        each().get_title()
        for each in model_admin_of(WhatsAppGroup).get_import_formats()
    ]

    preview = w.staff.post(
        reverse("admin:groups_whatsappgroup_import"),
        {
            "resource": "0",
            "format": str(formats.index("csv")),
            "import_file": SimpleUploadedFile("tabel.csv", content),
        },
    )

    assert preview.status_code == HTTPStatus.OK
    assert not WhatsAppGroup.objects.filter(name=t("imported group")).exists()
    assert_escaped_html(preview.content.decode(), [t("imported group")])
    form = preview.context["confirm_form"]
    w.staff.post(
        reverse("admin:groups_whatsappgroup_process_import"),
        {name: form.initial[name] for name in form.fields},
    )
    imported = WhatsAppGroup.objects.get(name=t("imported group"))
    assert imported.description == t("imported description")


def test_the_exported_table_imports_back_unchanged(zone_staff):
    """Every payload in every column of both tables, in CSV and in Excel."""
    for payload in PAYLOADS.values():
        t = partial(typed, payload)
        zone = PoliceZoneFactory(name=t("zone"), contact_name=t("zone contact"))
        zone.staff.add(zone_staff)
        municipality = MunicipalityFactory(zone=zone, name=t("municipality"))
        group = WhatsAppGroupFactory(
            municipality=municipality,
            region=RegionFactory(municipality=municipality, name=t("region")),
            name=t("group"),
            description=f"{t('description')}\n{t('line 2')}",
        )
        CoordinatorFactory(
            zone=zone,
            groups=[group],
            first_name=t("first"),
            last_name=t("last"),
            email=email_for(payload, "coordinator"),
        )

    for file_format in ("csv", "xlsx"):
        for resource in (WhatsAppGroupResource, CoordinatorResource):
            exported = resource(user=zone_staff).export().export(file_format)
            dataset = tablib.Dataset().load(exported, format=file_format)
            assert len(dataset) == len(PAYLOADS)
            assert_no_formula_cell(dataset)
            before = table_snapshot()

            result = resource(user=zone_staff).import_data(
                tablib.Dataset().load(exported, format=file_format), dry_run=False
            )

            assert not result.has_errors() and not result.has_validation_errors()
            assert result.totals["skip"] == len(PAYLOADS), (file_format, resource)
            assert table_snapshot() == before


def test_a_line_break_in_a_name_starts_no_line_of_its_own_in_a_vcard(group):
    group.name = "Wijk\rTEL;TYPE=CELL:+32470000000\nEND:VCARD\r\nBEGIN:VCARD"
    signup = SignupFactory.build(group=group, municipality=group.municipality)

    # Some programs end a line at a lone CR or LF as well.
    lines = re.split(r"\r\n|\r|\n", members_vcard([signup]))

    assert [line for line in lines if line.startswith("TEL")] == [
        f"TEL;TYPE=CELL:{signup.phone.as_e164}"
    ]
    assert lines.count("BEGIN:VCARD") == 1


# --- pages --------------------------------------------------------------------


def assert_page(client, url: str, *values: str, data=None) -> str:
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == HTTPStatus.OK, (url, response.status_code)
    content = response.content.decode()
    try:
        assert_escaped_html(content, values)
    except AssertionError as error:
        raise AssertionError(f"{url}: {error}") from error
    return content


@payloads
def test_every_page_shows_what_people_typed_escaped(world_typed_in_admin):
    w = world_typed_in_admin
    t = w.typed
    public = Client()
    pending = member(w, "p1")
    approved = member(w, "m1", status=SignupStatus.APPROVED, decided_at=timezone.now())
    application = ApplicationFactory(
        municipality=w.municipality,
        proposed_group_name=t("proposed group"),
        proposed_area=f"{t('proposed area')}\n{t('area line 2')}",
        **resident(w, "a1"),
    )
    invitation = MeetingInvitationFactory(meeting=w.meeting, coordinator=w.colleague)
    names = [t("coordinator first"), t("coordinator last")]
    table = [t("municipality"), t("region"), t("group"), *names, t("zone")]
    table.append(t("zone contact"))
    table.append(t("street"))  # the streets of each group, in its row

    # Public pages.
    assert_page(public, "/", *table)
    assert_page(public, w.municipality.get_absolute_url(), *table)
    street = t("street")
    finder = reverse("groups:finder")
    found = {"straat": street, "nummer": 5}
    assert_page(public, finder, street, t("group"), *names, data=found)
    # What the resident typed, echoed in the form, and the streets it matches.
    ambiguous = {"straat": w.payload}
    assert_page(public, finder, w.payload, street, t("street 2"), data=ambiguous)
    assert_page(public, f"{SIGNUP_URL}?groep={w.group.pk}", t("group"), t("region"))
    echoed = resident(w, "typing")
    invalid = eloket_form(w.group, w.rules, accept_privacy=None, **echoed)
    response = public.post(SIGNUP_URL, invalid)
    assert response.status_code == HTTPStatus.OK
    assert_escaped_html(
        response.content.decode(),
        [echoed["first_name"], echoed["last_name"], echoed["street_name"]],
    )
    rules = reverse("registrations:house-rules")
    house_rules = [t("rules"), t("rule 1"), t("rule 2"), t("download"), t("zone")]
    assert_page(public, f"{rules}?zone={w.zone.pk}", *house_rules)
    assert_page(public, reverse("registrations:privacy"), t("zone"))
    assert_page(public, path_of(withdrawal_link(approved)), t("group"))
    own_page = path_of(my_signup_link(approved))
    assert_page(public, own_page, t("group"), t("m1 first"), t("m1 last"))
    assert_page(public, path_of(my_signup_link(application)), t("proposed group"))
    assert_page(public, path_of(reacceptance_link(approved)), t("rules"), t("rule 1"))
    assert_page(
        public,
        path_of(response_link(invitation)),
        t("meeting"),
        t("place"),
        t("agenda"),
        t("agenda 2"),
    )

    # The coordinator's pages.
    c = w.coordinating
    assert_page(c, reverse("admin:index"), t("group"))
    assert_page(
        c,
        reverse("groups:umbrella"),
        t("umbrella"),
        t("umbrella description"),
        t("umbrella line 2"),
        t("colleague first"),
        t("colleague last"),
        t("group 2"),
    )
    signup_fields = [t("p1 first"), t("p1 last"), t("p1 street"), t("group")]
    assert_page(
        c, reverse("admin:registrations_pendingsignup_changelist"), *signup_fields
    )
    assert_page(
        c,
        reverse("admin:registrations_pendingsignup_change", args=[pending.pk]),
        *signup_fields,
        t("municipality"),
        pending.email,
    )
    assert_page(
        c,
        reverse("admin:registrations_pendingsignup_move", args=[pending.pk]),
        t("p1 first"),
        t("group 2"),
    )
    assert_page(
        c,
        reverse("admin:registrations_member_changelist"),
        t("m1 first"),
        t("group"),
        data={
            "action": "mark_removed_selected",
            ACTION_CHECKBOX_NAME: [approved.pk],
        },
    )
    assert_page(
        c,
        reverse("admin:groups_whatsappgroup_change", args=[w.group.pk]),
        t("group"),
        t("group description"),
        t("region"),
        t("municipality"),
    )
    assert_page(
        c,
        reverse("admin:groups_coordinator_change", args=[w.coordinator.pk]),
        *names,
        t("group"),
    )

    # The staff's pages: each list, and a row's form with what only it shows.
    s = w.staff
    lists_and_forms = {
        "registrations_groupapplication": (
            application,
            [t("a1 first"), t("proposed group"), t("municipality")],
            [t("a1 street"), t("proposed area"), t("area line 2")],
        ),
        "groups_whatsappgroup": (
            w.group,
            [t("group"), t("region")],
            [t("group description"), t("coordinator first")],
        ),
        "groups_coordinator": (w.coordinator, names, [t("group")]),
        "groups_region": (
            w.region,
            [t("region"), t("municipality")],
            [t("region description"), street],
        ),
        "groups_municipality": (w.municipality, [t("municipality"), t("zone")], []),
        "groups_policezone": (w.zone, [t("zone"), t("zone contact")], []),
        "groups_meeting": (
            w.meeting,
            [t("meeting"), t("place"), t("zone")],
            [t("agenda"), t("agenda 2"), t("colleague first")],
        ),
        "registrations_houserules": (
            w.rules,
            [t("rules"), t("zone")],
            [t("rule 1"), t("rule 2")],
        ),
    }
    for name, (obj, listed, only_in_form) in lists_and_forms.items():
        assert_page(s, reverse(f"admin:{name}_changelist"), *listed)
        url = reverse(f"admin:{name}_change", args=[obj.pk])
        assert_page(s, url, *listed, *only_in_form)
    assert_page(
        s, reverse("admin:registrations_signup_changelist"), t("p1 first"), t("group")
    )
    assert_page(
        s,
        reverse("admin:registrations_groupapplication_approve", args=[application.pk]),
        t("proposed group"),
        t("proposed area"),
        t("area line 2"),
    )
    assert_page(s, reverse("admin:groups_street_changelist"), street)
    assert_page(s, reverse("admin:groups_download_changelist"), t("download"))
    assert_page(s, reverse("statistics"), t("municipality"), t("group"))
    assert_page(
        s,
        reverse("privacy-requests"),
        t("group"),
        t("municipality"),
        data={"action": "search", "email": pending.email},
    )
    # The audit log names the rows staff and coordinators changed.
    assert_page(s, reverse("admin:auditlog_logentry_changelist"), t("group"))


def test_a_name_that_starts_with_an_apostrophe_survives_the_round_trip(
    zone_staff, group
):
    group.name = "'=1+1"
    group.save()
    exported = WhatsAppGroupResource(user=zone_staff).export().csv
    before = table_snapshot()

    WhatsAppGroupResource(user=zone_staff).import_data(
        tablib.Dataset().load(exported, format="csv"), dry_run=False
    )

    assert table_snapshot() == before
