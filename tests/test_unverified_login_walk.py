"""A password alone shows no one: every URL, walked by a login without its code.

With ``TWO_FACTOR_REQUIRED`` on, a login whose password was accepted but whose
second factor (the code of the authenticator app) was not given yet is what a
stolen or guessed password gets. It may see the public pages and the step
that asks for the code, nothing else.

The walk takes every URL the project resolves (discovered as in
``tests.test_url_walk``: the admin, the apps, the included URLs) and requests
it, GET and POST, as a police-zone staff member, a coordinator and a
superuser logged in with their password only. A URL that names a row names
one the walker could open with a verified login (so that a "not found" for a
row outside their scope cannot hide a leak). The database holds people whose
names, phone numbers, e-mail addresses, street and the umbrella group's
invite link are made-up words found nowhere else; the walk fails if any of
them is in an answer, unless an anonymous visitor gets the same from that
URL (the public networks table names the coordinators who agreed to it, and
the zone's contact is on the public pages). Pages outside ``PUBLIC`` must
also refuse the walker (send them to the code step or the login, or answer
401, 403, 404 or 405), and no answer may be a server error.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import phonenumbers
import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django_otp.plugins.otp_totp.models import TOTPDevice
from post_office import mail
from post_office.models import STATUS, Email

from groups.models import Coordinator, PoliceZone, WhatsAppGroup
from groups.services import add_zone_staff, link_coordinator_login
from groups.views import UmbrellaView
from registrations.constants import SignupStatus
from registrations.models import Signup
from tests.auth import log_in, totp_code
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    DownloadFactory,
    ExportRecordFactory,
    HouseRulesFactory,
    MeetingInvitationFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionStreetFactory,
    SignupFactory,
    UmbrellaGroupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)
from tests.test_url_walk import PUBLIC, REFUSED, ROUTES, Route, row_model, url_for
from wabp_portal.auth import verified_login_required
from wabp_portal.mail.queue import ZONE_HEADER

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ROLES = ["zone_staff", "coordinator", "superuser"]
# The pages a password alone may open: the public ones and the code step.
OPEN_TO_A_PASSWORD = {*PUBLIC, "admin:two_factor"}


# --- the people -------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone in the database, with words that appear nowhere else."""

    first_name: str
    last_name: str
    email: str
    phone: str  # E.164

    def traces(self) -> Iterator[str]:
        """Every form in which a page could show this person."""
        yield self.first_name
        yield self.last_name
        yield self.email
        number = phonenumbers.parse(self.phone)
        for style in (
            phonenumbers.PhoneNumberFormat.E164,
            phonenumbers.PhoneNumberFormat.INTERNATIONAL,
            phonenumbers.PhoneNumberFormat.NATIONAL,
        ):
            yield phonenumbers.format_number(number, style)
        yield str(number.national_number)


PEOPLE = {
    "zone contact": Person(
        "Zenobia", "Zonecontactier", "zenobia@pz-sentinel.example", "+3211287654"
    ),
    "zone staff (walker)": Person(
        "Stafrida", "Zoneknechtova", "stafrida@pz-sentinel.example", "+32470918301"
    ),
    "superuser (walker)": Person(
        "Opperdina", "Allesziener", "opperdina@pz-sentinel.example", "+32470918302"
    ),
    "coordinator (walker)": Person(
        "Coorneel", "Eigengroepsma", "coorneel@buurt-sentinel.example", "+32470918303"
    ),
    "colleague sharing contact": Person(
        "Collegonda", "Deelvaardig", "collegonda@buurt-sentinel.example", "+32470918304"
    ),
    "colleague listed publicly": Person(
        "Publius", "Tabelvermeld", "publius@buurt-sentinel.example", "+32470918305"
    ),
    "pending signup": Person(
        "Wachtilde", "Aanvraagsen", "wachtilde@bewoner-sentinel.example", "+32470918306"
    ),
    "member": Person(
        "Lidwinus", "Lidmaatsma", "lidwinus@bewoner-sentinel.example", "+32470918307"
    ),
    "unconfirmed signup": Person(
        "Onbertha", "Onbevestigsma", "onbertha@bewoner-sentinel.example", "+32470918308"
    ),
    "rejected signup": Person(
        "Weigerik", "Afgewezenski", "weigerik@bewoner-sentinel.example", "+32470918309"
    ),
    "signup in the colleague's group": Person(
        "Naburia", "Buurgroepsma", "naburia@bewoner-sentinel.example", "+32470918310"
    ),
    "applicant for a new group": Person(
        "Stichteline",
        "Nieuwgroepers",
        "stichteline@bewoner-sentinel.example",
        "+32470918311",
    ),
}
# What else only the people of the zone may read.
OTHER_SECRETS = {
    "umbrella invite link": "https://chat.whatsapp.com/KoepelSentinel2026",
    "group invite link": "https://chat.whatsapp.com/WijkSentinel2026",
    "signup street": "Zwijgzaamheidsdreef",
    "mail recipient": "postvak@sentinel-ontvanger.example",
    "login name typed at a failed login": "vergeten@sentinel-poging.example",
}


def sentinels() -> dict[str, str]:
    """Each trace of personal data, lower-cased, with whose it is."""
    found = {
        trace.lower(): f"{who}: {trace}"
        for who, person in PEOPLE.items()
        for trace in person.traces()
    }
    found.update(
        {text.lower(): f"{what}: {text}" for what, text in OTHER_SECRETS.items()}
    )
    return found


SENTINELS = sentinels()


def signup(group: WhatsAppGroup, who: str, status: str, **kwargs) -> Signup:
    person = PEOPLE[who]
    confirmed = status != SignupStatus.UNCONFIRMED
    decided = status in (SignupStatus.APPROVED, SignupStatus.REJECTED)
    return SignupFactory(
        group=group,
        status=status,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        phone=person.phone,
        street_name=OTHER_SECRETS["signup street"],
        confirmed_at=timezone.now() if confirmed else None,
        decided_at=timezone.now() if decided else None,
        **kwargs,
    )


def coordinator(group: WhatsAppGroup, who: str, **kwargs) -> Coordinator:
    person = PEOPLE[who]
    return CoordinatorFactory(
        zone=group.municipality.zone,
        groups=[group],
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        phone=person.phone,
        **kwargs,
    )


def user(who: str, **kwargs) -> User:
    person = PEOPLE[who]
    return UserFactory(
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        **kwargs,
    )


@pytest.fixture
def walkers(db) -> dict[str, User]:
    """One zone full of people, and the three logins that walk it."""
    contact = PEOPLE["zone contact"]
    zone = PoliceZoneFactory(
        contact_name=f"{contact.first_name} {contact.last_name}",
        email=contact.email,
        phone=contact.phone,
    )
    municipality = MunicipalityFactory(zone=zone)
    own_group = WhatsAppGroupFactory(
        municipality=municipality, invite_link=OTHER_SECRETS["group invite link"]
    )
    colleague_group = WhatsAppGroupFactory(municipality=municipality)
    UmbrellaGroupFactory(
        municipality=municipality, invite_link=OTHER_SECRETS["umbrella invite link"]
    )
    RegionStreetFactory(region=own_group.region)
    HouseRulesFactory(zone=zone)

    staff = user("zone staff (walker)")
    add_zone_staff(zone, user=staff)
    superuser = user("superuser (walker)", is_staff=True, is_superuser=True)
    own = coordinator(own_group, "coordinator (walker)", shares_contact=True)
    link_coordinator_login(own, user=user("coordinator (walker)"))
    coordinator(colleague_group, "colleague sharing contact", shares_contact=True)
    coordinator(colleague_group, "colleague listed publicly", listed_publicly=True)

    signup(own_group, "pending signup", SignupStatus.PENDING)
    signup(own_group, "member", SignupStatus.APPROVED)
    signup(own_group, "unconfirmed signup", SignupStatus.UNCONFIRMED)
    signup(own_group, "rejected signup", SignupStatus.REJECTED)
    signup(colleague_group, "signup in the colleague's group", SignupStatus.PENDING)
    applicant = PEOPLE["applicant for a new group"]
    ApplicationFactory(
        municipality=municipality,
        first_name=applicant.first_name,
        last_name=applicant.last_name,
        email=applicant.email,
        phone=applicant.phone,
    )
    MeetingInvitationFactory(meeting__zone=zone, coordinator=own)
    DownloadFactory(zone=zone)
    ExportRecordFactory(user=staff, groups=[own_group])
    # The outbox: a mail waiting and one that could not be delivered.
    recipient = OTHER_SECRETS["mail recipient"]
    for status in (STATUS.queued, STATUS.failed):
        email = mail.send(
            recipient,
            "zone@example.be",
            subject="Test",
            message="Test",
            headers={ZONE_HEADER: str(zone.pk)},
        )
        Email.objects.filter(pk=email.pk).update(status=status)
    # A failed login: axes keeps the name that was typed.
    AccessAttempt.objects.create(
        username=OTHER_SECRETS["login name typed at a failed login"],
        ip_address="192.0.2.1",
        user_agent="",
        path_info=reverse("admin:login"),
        failures_since_start=1,
    )
    return {"zone_staff": staff, "coordinator": own.user, "superuser": superuser}


# --- the walk ---------------------------------------------------------------


def own_row(model: type[Model], walker: User) -> Model | None:
    """A row of ``model`` the walker could open with a verified login.

    The admin's own queryset says what that is; a model the walker may not
    view at all lends its first row (it must stay closed all the same).
    """
    model_admin = admin.site._registry.get(model)
    if model_admin is not None:
        request = RequestFactory().get(reverse("admin:index"))
        request.user = walker
        if model_admin.has_view_or_change_permission(request):
            row = model_admin.get_queryset(request).order_by("pk").first()
            if row is not None:
                return row
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        row = manager.visible_to(walker).order_by("pk").first()
        if row is not None:
            return row
    return manager.order_by("pk").first()


def walker_url(route: Route, walker: User) -> str:
    if route.name == "admin:view_on_site":
        row = own_row(Signup, walker)
        content_type = ContentType.objects.get_for_model(Signup)
        return reverse(route.name, args=[content_type.pk, row.pk])
    model = row_model(route)
    return url_for(route, own_row(model, walker) if model else None)


def leaks(response) -> set[str]:
    """The sentinels in the body of a response."""
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    text = body.decode(errors="replace").lower()
    return {whose for trace, whose in SENTINELS.items() if trace in text}


def refuses(response) -> bool:
    """Refused, or sent to the code step or the login."""
    if response.status_code in REFUSED:
        return True
    if response.status_code == HTTPStatus.FOUND:
        target = urlsplit(response["Location"]).path
        return target in {
            reverse("admin:two_factor"),
            reverse("admin:login"),
            reverse("admin:index"),
        }
    return False


def password_only(client, walker: User) -> None:
    """Log in with the password, as a person does, and stop before the code."""
    assert log_in(client, walker.username, PASSWORD)
    assert not client.get(reverse("admin:index")).wsgi_request.user.is_verified()


@dataclass(frozen=True)
class Problem:
    url: str
    route: Route
    answer: str
    shown: frozenset[str] = frozenset()

    def __str__(self) -> str:
        text = f"{self.url} ({self.route.id}) {self.answer}"
        return f"{text} showing {'; '.join(sorted(self.shown))}" if self.shown else text


def walk(client, walker: User, method: str, routes=ROUTES) -> list[Problem]:
    """Request every URL as the walker; what went wrong."""
    problems = []
    for route in routes:
        url = walker_url(route, walker)
        if client.session.get("_auth_user_id") != str(walker.pk):
            password_only(client, walker)
        try:
            # A savepoint: a failed query does not end the walk on PostgreSQL.
            with transaction.atomic():
                response = getattr(client, method)(url)
        except Exception as error:  # noqa: BLE001 - reported with the URL
            problems.append(Problem(url, route, f"raised {error!r}"))
            continue
        answer = f"answered {response.status_code}"
        if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            problems.append(Problem(url, route, answer))
            continue
        shown = leaks(response)
        if shown and route.id in PUBLIC:
            # What the public page shows everybody (a zone's contact, the
            # coordinators who agreed to be listed) is no leak.
            shown -= leaks(getattr(Client(), method)(url))
        if shown:
            problems.append(Problem(url, route, answer, frozenset(shown)))
        elif route.id not in OPEN_TO_A_PASSWORD and not refuses(response):
            problems.append(Problem(url, route, f"{answer}, not the code step"))
    return problems


def report(problems: list[Problem]) -> str:
    return "\n".join(map(str, problems))


@pytest.fixture
def two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ROLES)
def test_a_login_without_its_code_sees_no_personal_data_anywhere(
    client, two_factor, walkers, role, method
):
    walker = walkers[role]
    password_only(client, walker)

    problems = walk(client, walker, method)

    assert not problems, report(problems)


# --- the walk itself --------------------------------------------------------


def test_every_sentinel_is_in_the_database_the_walk_reads(walkers):
    """A sentinel nobody stores could not fail the walk."""
    zone = PoliceZone.objects.get(email=PEOPLE["zone contact"].email)
    assert Signup.objects.filter(municipality__zone=zone).count() == 6
    assert Coordinator.objects.filter(zone=zone).count() == 3
    assert Email.objects.filter(to=[OTHER_SECRETS["mail recipient"]]).count() == 2


def test_walker_urls_name_rows_in_the_walkers_scope(walkers):
    coordinator = walkers["coordinator"]
    change = next(
        route for route in ROUTES if route.name == "admin:registrations_signup_change"
    )

    url = walker_url(change, coordinator)

    signup = Signup.objects.get(pk=url.split("/")[-3])
    assert signup.group.coordinators.filter(user=coordinator).exists()


# Pages that show the people to the walker once the code is given.
SHOWN_WITH_THE_CODE = {
    "zone_staff": {
        "admin:registrations_signup_change",
        "admin:registrations_member_changelist",
        "admin:groups_coordinator_change",
        "admin:groups_policezone_change",
        "admin:wabp_portal_undeliveredmail_change",
        "statistics",
    },
    "coordinator": {
        "groups:umbrella",
        "admin:registrations_pendingsignup_change",
        "admin:registrations_pendingsignup_reject",
        "admin:groups_whatsappgroup_change",
    },
    "superuser": {
        "admin:registrations_groupapplication_change",
        "admin:post_office_email_change",
        "admin:axes_accessattempt_change",
        "admin:auth_user_changelist",
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_with_its_code_the_same_walk_finds_the_people(
    client, two_factor, walkers, role
):
    """The sentinels are found where they are, in rows of the walker's scope."""
    walker = walkers[role]
    device = TOTPDevice.objects.create(user=walker, name="phone", confirmed=True)
    password_only(client, walker)
    client.post(reverse("admin:two_factor"), {"token": totp_code(device)})
    routes = [route for route in ROUTES if route.id in SHOWN_WITH_THE_CODE[role]]

    problems = walk(client, walker, "get", routes)

    shown = {problem.route.id for problem in problems if problem.shown}
    assert shown == SHOWN_WITH_THE_CODE[role], report(problems)


def test_the_walk_finds_a_page_that_asks_only_for_the_password(
    client, two_factor, walkers, monkeypatch
):
    """The walk can fail: the umbrella page, opened by the password alone."""
    monkeypatch.setattr(UmbrellaView, "dispatch", View.dispatch)
    walker = walkers["coordinator"]
    password_only(client, walker)

    problems = walk(client, walker, "get")

    assert [(problem.route.id, problem.answer) for problem in problems] == [
        ("groups:umbrella", "answered 200")
    ], report(problems)
    assert {
        "colleague sharing contact: Deelvaardig",
        "colleague sharing contact: +32 470 91 83 04",
        "colleague sharing contact: collegonda@buurt-sentinel.example",
        "umbrella invite link: https://chat.whatsapp.com/KoepelSentinel2026",
    } <= problems[0].shown


# --- the kernel's check -----------------------------------------------------


def test_umbrella_page_asks_for_the_code_then_opens(client, two_factor, walkers):
    walker = walkers["coordinator"]
    device = TOTPDevice.objects.create(user=walker, name="phone", confirmed=True)
    password_only(client, walker)
    umbrella = reverse("groups:umbrella")

    asked = client.get(umbrella)

    assert sent_to(asked) == (reverse("admin:two_factor"), umbrella)
    given = client.post(
        asked["Location"], {"token": totp_code(device), "next": umbrella}
    )
    assert given["Location"] == umbrella
    page = client.get(umbrella)
    assert page.status_code == HTTPStatus.OK
    assert "Collegonda" in page.content.decode()


def sent_to(response) -> tuple[str, str]:
    """Where a redirect sends the visitor, and where they go after that."""
    assert response.status_code == HTTPStatus.FOUND
    target = urlsplit(response["Location"])
    return target.path, parse_qs(target.query)["next"][0]


@verified_login_required
def _page(request):
    return HttpResponse("personal data")


def _request(user, *, verified: bool):
    request = RequestFactory().get("/page/?x=1")
    request.user = user
    user.is_verified = lambda: verified
    return request


@pytest.mark.parametrize(
    ("role", "two_factor_on", "verified", "answer"),
    [
        ("zone_staff", True, True, "page"),
        ("zone_staff", True, False, "code step"),
        ("zone_staff", False, False, "page"),
        ("superuser", True, False, "code step"),
        ("coordinator", True, False, "code step"),
        ("no role", True, True, "login"),
        ("no role", False, False, "login"),
        ("closed staff login", True, True, "login"),
    ],
)
def test_verified_login_required_lets_in_what_the_admin_lets_in(
    settings, walkers, role, two_factor_on, verified, answer
):
    settings.TWO_FACTOR_REQUIRED = two_factor_on
    if role == "no role":
        user = UserFactory()
    elif role == "closed staff login":
        user = walkers["zone_staff"]
        user.is_active = False
    else:
        user = walkers[role]
    request = _request(user, verified=verified)

    response = _page(request)

    assert admin.site.has_permission(request) == (answer == "page")
    if answer == "page":
        assert response.content == b"personal data"
        return
    target = reverse("admin:two_factor" if answer == "code step" else "admin:login")
    assert sent_to(response) == (target, "/page/?x=1")


def test_anonymous_visitor_is_sent_to_the_login(rf):
    request = rf.get("/page/")
    request.user = AnonymousUser()

    response = _page(request)

    assert sent_to(response) == (reverse("admin:login"), "/page/")
