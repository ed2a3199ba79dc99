"""Dutch throughout: every admin page a coordinator or zone staff can reach.

Django's admin and the packages beside it (django-auditlog, django-post-office,
django-import-export, django-otp, django-axes) ship English, or Dutch in the
formal "u" form; the project's catalogue in ``wabp_portal/locale_overrides``
puts their strings in the portal's own words. This walk logs in as a
coordinator and as police-zone staff, follows every link from the admin's index
that stays in the admin (GET only; no logout, no downloads), and fails on a
tell-tale English word of Django's admin or an ``object (N)`` label in the
text a person sees (tags, attributes and URLs are left out; the labels of
buttons are kept). The pages of a person not logged in (login, password reset
and its steps, logged out) are read the same way.
"""

import re
from collections import deque
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from auditlog.context import set_actor
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from groups.models import Coordinator
from registrations.constants import SignupStatus
from registrations.services import approve_signup, mark_added, reject_signup
from tests.factories import SignupFactory
from wabp_portal.paginator import CappedCountPaginator

pytestmark = pytest.mark.django_db

# Words and phrases of Django's admin and its packages that give away a page
# left in English; matched as whole words, case as written.
ENGLISH = [
    "Add",
    "Change",
    "Delete",
    "History",
    "Filter",
    "Search",
    "Select",
    "Go",
    "results",
    "result",
    "Forgotten",
    "Django",
    "administration",
    "Log out",
    "Log in",
    "Password",
    "password",
    "View site",
    "View",
    "Save",
    "Show all",
    "Home",
    "Welcome",
    "Action",
    "Actions",
    "actions",
    "selected",
    "Yes",
    "No",
    "Unknown",
    "All",
    "Empty",
    "Not empty",
    "Today",
    "Past 7 days",
    "This month",
    "This year",
    "Any date",
    "Recent actions",
    "My actions",
    "None available",
    "Timestamp",
    "Actor",
    "Resource",
    "Changes",
    "Remote address",
    "Created",
    "Updated",
    "Deleted",
    "Export",
    "Import",
    "Format",
    "Submit",
    "Close",
    "Clear",
    "Run",
    "Thanks",
    "Please",
    "Enter",
    "Reset",
    "Confirm",
    "Username",
    "Email",
    "Account locked",
    "Forbidden",
    "Not Found",
    "Date",
    "Time",
    "Now",
    "Choose",
    "Remove",
    "Hide",
    "Show",
    "Toggle",
    "Skip",
    "Start typing",
]
ENGLISH_PATTERN = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(word) for word in ENGLISH) + r")(?!\w)"
)
OBJECT_LABEL = re.compile(r"\bobject \(\d+\)|\bobject\b \(", re.IGNORECASE)
# The "u" of Django's formal Dutch, as tests/test_plain_language.py finds it.
FORMAL = re.compile(r"(?<!\d )\b(?:u|uw|uzelf)\b", re.IGNORECASE)

# Links the walk does not follow: leaving the session, and files rather than pages.
SKIP = re.compile(
    r"logout|/download|vcard|\.csv|\.ics|\.pdf|\.xlsx|/media/|/static/|/csv/"
    r"|/export/\?|/bestand/",
    re.IGNORECASE,
)
# A list's filters, sort orders and pages are one page in one language: the
# walk opens a path with at most this many sets of query parameters.
VARIANTS_PER_PATH = 3
MAX_PAGES = 800


class VisibleText(HTMLParser):
    """The text a person sees: element text and the labels of buttons."""

    HIDDEN = {"script", "style", "template", "noscript", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attributes.get("value") or "")
        if attributes.get("placeholder"):
            self.parts.append(attributes["placeholder"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def english_in(text: str) -> list[str]:
    """Each English word or formal "u" in ``text``, with the words around it."""
    found = []
    for pattern in (ENGLISH_PATTERN, OBJECT_LABEL, FORMAL):
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - 40) : match.end() + 40]
            found.append(f"{match.group()!r} in …{around}…")
    return found


def walk(client, start: list[str]) -> dict[str, list[str]]:
    """Open every admin page reachable from ``start``; the English on each."""
    variants: dict[str, set[frozenset]] = {}
    queue = deque(start)
    problems: dict[str, list[str]] = {}
    opened = 0
    while queue and opened < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        names = frozenset(name for name, _ in parse_qsl(parts.query))
        seen = variants.setdefault(parts.path, set())
        if names in seen or len(seen) >= VARIANTS_PER_PATH:
            continue
        seen.add(names)
        response = client.get(url)
        opened += 1
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, url
        if "text/html" not in response.get("Content-Type", ""):
            continue  # a redirect, a file
        # A page that refuses (403, 404) is read too: a link led there.
        page = read(response.content.decode())
        if found := english_in(page.text):
            problems[f"{url} ({response.status_code})"] = found
        if response.status_code != HTTPStatus.OK:
            continue
        for href in page.links:
            target = urljoin(url, href)
            target_parts = urlsplit(target)
            if target_parts.scheme or target_parts.netloc:
                continue
            if not target_parts.path.startswith("/admin/") or SKIP.search(target):
                continue
            queue.append(
                target_parts.path + (f"?{q}" if (q := target_parts.query) else "")
            )
    assert opened > 20, f"the walk opened only {opened} pages"
    return problems


def report(problems: dict[str, list[str]]) -> str:
    """Each word once, with the first page it was found on and how many more."""
    pages: dict[str, list[str]] = {}
    for url, found in problems.items():
        for each in found:
            pages.setdefault(each.split(" in ")[0], []).append(f"{url}: {each}")
    lines = [f"{len(problems)} page(s) with English or formal Dutch:"]
    for word, where in sorted(pages.items()):
        lines.append(f"  {word} on {len(where)} page(s), e.g. {where[0]}")
    return "\n".join(lines)


@pytest.fixture
def lived_in(network):
    """The network with a history: decisions, members, audit entries."""
    staff = network.users["staff_a"]
    coordinator = network.users["coordinator_a1"]
    with set_actor(coordinator):
        for _ in range(2):
            approve_signup(
                SignupFactory(group=network.group_a1, status=SignupStatus.PENDING),
                by=coordinator,
            )
        member = SignupFactory(group=network.group_a1, status=SignupStatus.PENDING)
        mark_added(approve_signup(member, by=coordinator), by=coordinator)
        reject_signup(
            SignupFactory(group=network.group_a1, status=SignupStatus.PENDING),
            by=coordinator,
            reason="Woont buiten de wijk.",
        )
    with set_actor(staff):
        # A many-to-many change, whose label once read "Coordinator_groups object".
        coordinator_row = Coordinator.objects.get(pk=network.coordinator_a2.pk)
        coordinator_row.groups.add(network.group_a1)
    return network


@pytest.mark.parametrize("role", ["coordinator_a1", "staff_a"])
def test_every_admin_page_a_role_reaches_is_dutch(client, lived_in, role):
    client.force_login(lived_in.users[role])

    problems = walk(
        client,
        [
            reverse("admin:index"),
            reverse("statistics"),
            reverse("admin:password_change"),
            reverse("admin:password_change_done"),
        ],
    )

    assert not problems, report(problems)


def test_the_pages_before_login_are_dutch(client, coordinator_user):
    uid = urlsafe_base64_encode(force_bytes(coordinator_user.pk))
    token = default_token_generator.make_token(coordinator_user)
    pages = [
        reverse("admin:login"),
        reverse("admin_password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_confirm", args=[uid, "wrong-token"]),
        reverse("password_reset_complete"),
    ]
    problems = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        found = english_in(read(response.content.decode()).text)
        if found:
            problems[url] = found
    # A valid link sends on to the form for the new password.
    response = client.get(
        reverse("password_reset_confirm", args=[uid, token]), follow=True
    )
    assert response.status_code == HTTPStatus.OK
    if found := english_in(read(response.content.decode()).text):
        problems["set-password"] = found
    # The e-mail with the link, as the coordinator reads it.
    mail.outbox.clear()
    client.post(reverse("admin_password_reset"), {"email": coordinator_user.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0].subject + " " + mail.outbox[0].body
    if found := english_in(re.sub(r"https?://\S+", " ", message)):
        problems["password reset e-mail"] = found
    # A failed login says so in Dutch.
    response = client.post(
        reverse("admin:login"), {"username": "nobody", "password": "wrong"}
    )
    if found := english_in(read(response.content.decode()).text):
        problems["failed login"] = found

    assert not problems, report(problems)


def test_the_logged_out_page_is_dutch(client, coordinator_user):
    client.force_login(coordinator_user)

    response = client.post(reverse("admin:logout"))

    assert response.status_code == HTTPStatus.OK
    text = read(response.content.decode()).text
    assert not english_in(text), text


def dutch_page(response) -> str:
    text = read(response.content.decode()).text
    assert not english_in(text), report(
        {response.request["PATH_INFO"]: english_in(text)}
    )
    return text


def test_the_two_step_and_lockout_pages_are_dutch(client, settings, zone_staff):
    settings.TWO_FACTOR_REQUIRED = True
    zone_staff.set_password("a long enough password")
    zone_staff.save()
    client.post(
        reverse("admin:login"),
        {"username": zone_staff.username, "password": "a long enough password"},
    )

    setting_up = client.get(reverse("admin:two_factor"))
    assert setting_up.status_code == HTTPStatus.OK
    dutch_page(setting_up)

    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post(
            reverse("admin:login"), {"username": zone_staff.username, "password": "x"}
        )
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    dutch_page(locked)


def test_a_coordinator_views_a_signup_rather_than_changes_it(client, lived_in):
    """The signup pages are read-only: deciding happens through the buttons."""
    client.force_login(lived_in.users["coordinator_a1"])
    pending = lived_in.group_a1.signups.filter(status=SignupStatus.PENDING).first()

    index = dutch_page(client.get(reverse("admin:index")))
    page = dutch_page(
        client.get(
            reverse("admin:registrations_pendingsignup_change", args=[pending.pk])
        )
    )

    assert "Wachtende inschrijving bekijken" in page
    assert "inschrijving wijzigen" not in page.lower()
    # The index offers the signup lists to view, as the pages are.
    assert re.search(r"Wachtende inschrijvingen Bekijken", index)


def test_members_are_filtered_by_added_to_whatsapp_in_plain_words(client, lived_in):
    client.force_login(lived_in.users["coordinator_a1"])
    members = reverse("admin:registrations_member_changelist")

    listing = dutch_page(client.get(members))
    not_added = client.get(members, {"added": "no"})
    added = client.get(members, {"added": "yes"})

    assert "Op WhatsApp Alle Nog niet toegevoegd Toegevoegd" in listing
    assert "Leeg" not in listing
    not_added_rows = {row.pk for row in not_added.context["cl"].result_list}
    added_rows = {row.pk for row in added.context["cl"].result_list}
    assert added_rows and not_added_rows and not added_rows & not_added_rows
    assert all(
        row.added_to_whatsapp_at is None for row in not_added.context["cl"].result_list
    )


def test_a_capped_search_says_more_than_as_the_pagination_does(
    client, lived_in, monkeypatch
):
    """Above the list's cap the search count is not "10001 results"."""
    monkeypatch.setattr(CappedCountPaginator, "cap", 2)
    client.force_login(lived_in.users["staff_a"])

    response = client.get(reverse("admin:registrations_signup_changelist"), {"q": "e"})

    text = dutch_page(response)
    assert response.context["cl"].paginator.capped
    assert text.count("Meer dan 2") == 2, text  # the search count and the pagination
    assert "3 resultaten" not in text
