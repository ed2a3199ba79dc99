"""Who sees and changes what: every actor against every screen of the admin.

Zone Z has one municipality with groups A and B (and a coordinators' umbrella
group); zone Y has group X. The actors are the coordinators of A, of B and of
both, staff of zone Z, staff of zone Y, a superuser and an anonymous visitor.
Each group has a pending signup, a member and an unconfirmed signup with names,
numbers and addresses of their own, so a test can say of any response that
it holds no personal data of a group outside the actor's scope.
"""

import re
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import quote_plus

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from post_office.models import Email

from groups.constants import GroupKind
from groups.models import Coordinator, PoliceZone, WhatsAppGroup
from groups.services import add_zone_staff, link_coordinator_login
from registrations.constants import SignupStatus
from registrations.models import ExportRecord, Signup
from tests.admin_forms import form_data
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionFactory,
    SignupFactory,
    UmbrellaGroupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

GROUPS = ["a", "b", "x"]
GROUP_NAMES = {"a": "WABP Alfawijk", "b": "WABP Bravowijk", "x": "WABP Xraywijk"}
ACTORS = [
    "coordinator_a",
    "coordinator_b",
    "coordinator_ab",
    "zone_staff",
    "other_zone_staff",
    "superuser",
    "anonymous",
]
# The groups whose signups each actor may see.
SCOPE = {
    "coordinator_a": {"a"},
    "coordinator_b": {"b"},
    "coordinator_ab": {"a", "b"},
    "zone_staff": {"a", "b"},
    "other_zone_staff": {"x"},
    "superuser": {"a", "b", "x"},
    "anonymous": set(),
}
# Only staff (and superusers) see signups whose e-mail is not yet confirmed.
SEES_UNCONFIRMED = {"zone_staff", "other_zone_staff", "superuser"}
# For each actor with something outside their scope: one group out of it.
FOREIGN = {
    "coordinator_a": "b",
    "coordinator_b": "a",
    "coordinator_ab": "x",
    "zone_staff": "x",
    "other_zone_staff": "a",
    "anonymous": "a",
}
COORDINATORS = ["coordinator_a", "coordinator_b", "coordinator_ab"]
LIST_STATUS = {
    "pendingsignup": [SignupStatus.PENDING],
    "member": [SignupStatus.APPROVED],
    "signup": [SignupStatus.PENDING, SignupStatus.APPROVED, SignupStatus.UNCONFIRMED],
}
LOGIN_URL = reverse("admin:login")
INDEX_URL = reverse("admin:index")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Matrix:
    groups: dict[str, WhatsAppGroup]
    signups: dict[tuple[str, str], Signup]  # (group key, status) → signup
    users: dict[str, User | AnonymousUser]
    coordinators: dict[str, Coordinator]
    umbrella: WhatsAppGroup
    zone: PoliceZone

    def signup(self, group_key: str, status: str = SignupStatus.PENDING) -> Signup:
        return self.signups[group_key, status]

    def listed(self, model: str) -> list[Signup]:
        return [
            signup
            for (_, status), signup in self.signups.items()
            if status in LIST_STATUS[model]
        ]


def sees(actor: str, signup: Signup, groups: dict[str, WhatsAppGroup]) -> bool:
    key = next(k for k, group in groups.items() if group.pk == signup.group_id)
    if signup.status == SignupStatus.UNCONFIRMED and actor not in SEES_UNCONFIRMED:
        return False
    return key in SCOPE[actor]


def _signup(group, key: str, status: str, number: int) -> Signup:
    word = {"a": "Alfa", "b": "Bravo", "x": "Xray"}[key]
    kind = {
        SignupStatus.PENDING: "Wachter",
        SignupStatus.APPROVED: "Lidmaat",
        SignupStatus.UNCONFIRMED: "Onbevestigd",
    }[status]
    return SignupFactory(
        group=group,
        status=status,
        first_name=f"Voornaam{kind}",
        last_name=f"{kind}{word}sen",
        street_name=f"{word}{kind.lower()}dreef",
        phone=f"+3247055{number:04d}",
        email=f"{kind.lower()}.{key}@bewoners.example",
        decided_at=timezone.now() if status == SignupStatus.APPROVED else None,
        confirmed_at=None if status == SignupStatus.UNCONFIRMED else timezone.now(),
    )


def _login(coordinator: Coordinator) -> User:
    return link_coordinator_login(coordinator, user=UserFactory()).user


@pytest.fixture
def matrix(db) -> Matrix:
    zone = PoliceZoneFactory()
    municipality = MunicipalityFactory(zone=zone)
    groups = {
        key: WhatsAppGroupFactory(municipality=municipality, name=GROUP_NAMES[key])
        for key in ("a", "b")
    }
    other_zone = PoliceZoneFactory()
    groups["x"] = WhatsAppGroupFactory(
        municipality=MunicipalityFactory(zone=other_zone), name=GROUP_NAMES["x"]
    )
    umbrella = UmbrellaGroupFactory(
        municipality=municipality,
        name="WABP Koepel coördinatoren",
        invite_link="https://chat.whatsapp.com/KoepelAlken2026",
    )

    def coordinator(key: str, groups: list, **kwargs) -> Coordinator:
        return CoordinatorFactory(
            zone=groups[0].municipality.zone,
            groups=groups,
            first_name=f"Voornaam{key.upper()}",
            last_name=f"Coordinatix{key.capitalize()}",
            **kwargs,
        )

    coordinators = {
        "a": coordinator("a", [groups["a"]], shares_contact=True),
        "b": coordinator("b", [groups["b"]], shares_contact=True),
        "ab": coordinator("ab", [groups["a"], groups["b"]], shares_contact=False),
        "x": coordinator("x", [groups["x"]]),
        "retired": coordinator("retired", [groups["b"]], is_active=False),
    }
    users: dict[str, User | AnonymousUser] = {
        f"coordinator_{key}": _login(coordinators[key]) for key in ("a", "b", "ab")
    }
    _login(coordinators["x"])
    users["zone_staff"] = UserFactory()
    add_zone_staff(zone, user=users["zone_staff"])
    # A zone has more than one staff member.
    add_zone_staff(zone, user=UserFactory())
    users["other_zone_staff"] = UserFactory()
    add_zone_staff(other_zone, user=users["other_zone_staff"])
    users["superuser"] = UserFactory(is_superuser=True, is_staff=True)
    users["anonymous"] = AnonymousUser()

    signups = {}
    number = 0
    for key in GROUPS:
        for status in LIST_STATUS["signup"]:
            number += 1
            signups[key, status] = _signup(groups[key], key, status, number)
    return Matrix(groups, signups, users, coordinators, umbrella, zone)


def as_actor(client, matrix: Matrix, actor: str):
    if actor != "anonymous":
        client.force_login(matrix.users[actor])
    return client


def text(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def personal_data(signup: Signup) -> list[str]:
    phone = signup.phone
    return [
        signup.last_name,
        signup.email,
        signup.street_name,
        phone.as_e164,
        phone.as_international,
        phone.as_national,
        str(phone.as_e164).lstrip("+"),
    ]


def assert_no_personal_data(content: str, signups) -> None:
    for signup in signups:
        for detail in personal_data(signup):
            assert detail not in content, f"{detail} of signup {signup.pk} shown"


def foreign_signups(matrix: Matrix, actor: str) -> list[Signup]:
    return [s for s in matrix.signups.values() if not sees(actor, s, matrix.groups)]


def assert_sent_to_login(response) -> None:
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(LOGIN_URL)


def changelist_url(model: str) -> str:
    return reverse(f"admin:registrations_{model}_changelist")


def nothing_changed(signup: Signup) -> bool:
    before = signup.status
    signup.refresh_from_db()
    return (
        signup.status == before
        and signup.decided_by_id is None
        and signup.added_to_whatsapp_at is None
        and not signup.status_changes.exists()
        and not Email.objects.filter(to__contains=signup.email).exists()
    )


# --- lists --------------------------------------------------------------------


@pytest.mark.parametrize("model", list(LIST_STATUS))
@pytest.mark.parametrize("actor", ACTORS)
def test_changelist_lists_own_rows_and_no_foreign_personal_data(
    client, matrix, actor, model
):
    response = as_actor(client, matrix, actor).get(changelist_url(model))

    if actor == "anonymous":
        assert_sent_to_login(response)
        return
    assert response.status_code == HTTPStatus.OK
    shown = set(response.context["cl"].result_list)
    expected = {s for s in matrix.listed(model) if sees(actor, s, matrix.groups)}
    assert shown == expected
    content = text(response)
    for signup in expected:
        assert signup.last_name in content
    assert_no_personal_data(content, foreign_signups(matrix, actor))


@pytest.mark.parametrize("model", ["pendingsignup", "member"])
@pytest.mark.parametrize("actor", COORDINATORS)
def test_group_filter_of_a_list_offers_only_the_coordinators_groups(
    client, matrix, actor, model
):
    response = as_actor(client, matrix, actor).get(changelist_url(model))

    content = text(response)
    for key in GROUPS:
        assert (GROUP_NAMES[key] in content) == (key in SCOPE[actor])


# --- one signup ---------------------------------------------------------------

CHANGE_TARGET = {
    "pendingsignup": SignupStatus.PENDING,
    "member": SignupStatus.APPROVED,
    "signup": SignupStatus.APPROVED,
}


@pytest.mark.parametrize("model", list(CHANGE_TARGET))
@pytest.mark.parametrize("group_key", GROUPS)
@pytest.mark.parametrize("actor", ACTORS)
def test_change_view_opens_only_within_scope(client, matrix, actor, group_key, model):
    signup = matrix.signup(group_key, CHANGE_TARGET[model])
    url = reverse(f"admin:registrations_{model}_change", args=[signup.pk])

    response = as_actor(client, matrix, actor).get(url)

    if actor == "anonymous":
        assert_sent_to_login(response)
    elif group_key in SCOPE[actor]:
        assert response.status_code == HTTPStatus.OK
        assert signup.last_name in text(response)
    else:
        # The admin answers a missing object with a redirect to its index.
        assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.NOT_FOUND}
        if response.status_code == HTTPStatus.FOUND:
            assert response["Location"] == INDEX_URL
        followed = client.get(url, follow=True)
        assert_no_personal_data(text(followed), [signup])
        assert_no_personal_data(text(response), [signup])


@pytest.mark.parametrize("field", ["last_name", "email", "phone"])
@pytest.mark.parametrize("group_key", GROUPS)
@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anonymous"])
def test_search_finds_a_pending_signup_only_within_scope(
    client, matrix, actor, group_key, field
):
    signup = matrix.signup(group_key)
    term = str(signup.phone.as_e164) if field == "phone" else getattr(signup, field)

    response = as_actor(client, matrix, actor).get(
        changelist_url("pendingsignup"), {"q": term}
    )

    found = list(response.context["cl"].result_list)
    if group_key in SCOPE[actor]:
        assert found == [signup]
    else:
        assert found == []
        # The term itself is echoed (search box, links); nothing else may show.
        content = text(response).replace(term, "").replace(quote_plus(term), "")
        assert_no_personal_data(content, [signup])


# --- decisions ----------------------------------------------------------------


@pytest.mark.parametrize("decision", ["approve", "reject"])
@pytest.mark.parametrize("actor", list(FOREIGN))
def test_decision_urls_answer_not_found_for_a_foreign_signup(
    client, matrix, actor, decision
):
    signup = matrix.signup(FOREIGN[actor])
    url = reverse(f"admin:registrations_pendingsignup_{decision}", args=[signup.pk])
    as_actor(client, matrix, actor)

    post = client.post(url, {"reason": "Niet in de wijk."})
    page = client.get(url, follow=True)

    if actor == "anonymous":
        assert_sent_to_login(post)
    else:
        assert post.status_code == HTTPStatus.NOT_FOUND
    assert_no_personal_data(text(post) + text(page), [signup])
    assert nothing_changed(signup)


def test_coordinator_approves_own_signup_from_its_page(client, matrix):
    signup = matrix.signup("a")
    client.force_login(matrix.users["coordinator_a"])
    page = client.get(
        reverse("admin:registrations_pendingsignup_change", args=[signup.pk])
    )
    approve_url = reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
    assert f'formaction="{approve_url}"' in text(page)

    response = client.post(approve_url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == changelist_url("pendingsignup")
    signup.refresh_from_db()
    assert signup.status == SignupStatus.APPROVED
    assert signup.decided_by == matrix.users["coordinator_a"]


def test_approve_url_opened_by_get_changes_nothing(client, matrix):
    signup = matrix.signup("a")
    client.force_login(matrix.users["coordinator_a"])

    response = client.get(
        reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
    )

    assert response.status_code == HTTPStatus.FOUND
    assert nothing_changed(signup)


def test_reject_url_asks_for_a_reason(client, matrix):
    signup = matrix.signup("a")
    client.force_login(matrix.users["coordinator_a"])

    response = client.get(
        reverse("admin:registrations_pendingsignup_reject", args=[signup.pk])
    )

    assert response.status_code == HTTPStatus.OK
    assert signup.last_name in text(response)
    assert nothing_changed(signup)


def test_reject_url_refuses_an_empty_reason(client, matrix):
    signup = matrix.signup("a")
    client.force_login(matrix.users["coordinator_a"])

    response = client.post(
        reverse("admin:registrations_pendingsignup_reject", args=[signup.pk]),
        {"reason": "  "},
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["reason"]
    assert nothing_changed(signup)


def test_reject_url_rejects_own_signup_with_the_reason(client, matrix):
    signup = matrix.signup("a")
    client.force_login(matrix.users["coordinator_a"])

    response = client.post(
        reverse("admin:registrations_pendingsignup_reject", args=[signup.pk]),
        {"reason": "Woont buiten de wijk."},
    )

    assert response.status_code == HTTPStatus.FOUND
    signup.refresh_from_db()
    assert signup.status == SignupStatus.REJECTED
    assert signup.decision_reason == "Woont buiten de wijk."


# --- bulk actions with foreign ids --------------------------------------------

REASON = {"apply": "1", "reason": "Afgesproken op het overleg."}
# Confirmed on the page that says how many (more than one row selected).
APPLY = {"apply": "1"}
ACTIONS = {
    "approve_selected": ("pendingsignup", APPLY),
    "reject_selected": ("pendingsignup", REASON),
    "mark_added_selected": ("member", APPLY),
    "mark_left_selected": ("member", APPLY),
    "mark_removed_selected": ("member", REASON),
}
DONE = {
    "approve_selected": lambda s: s.status == SignupStatus.APPROVED,
    "reject_selected": lambda s: s.status == SignupStatus.REJECTED,
    "mark_added_selected": lambda s: s.added_to_whatsapp_at is not None,
    "mark_left_selected": lambda s: s.status == SignupStatus.LEFT,
    "mark_removed_selected": lambda s: s.status == SignupStatus.REMOVED,
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
def test_bulk_action_changes_own_rows_and_never_foreign_ones(
    client, matrix, actor, action
):
    model, extra = ACTIONS[action]
    targets = matrix.listed(model)

    response = as_actor(client, matrix, actor).post(
        changelist_url(model),
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [str(s.pk) for s in targets],
            "index": "0",
            **extra,
        },
    )

    if actor == "anonymous":
        assert_sent_to_login(response)
    else:
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == changelist_url(model)
    for signup in targets:
        own = sees(actor, signup, matrix.groups)
        if own:
            signup.refresh_from_db()
            assert DONE[action](signup), (action, signup.pk)
        else:
            assert nothing_changed(signup), (action, signup.pk)


@pytest.mark.parametrize("action", ["reject_selected", "mark_removed_selected"])
def test_reason_page_of_a_bulk_action_names_only_own_rows(client, matrix, action):
    model, _ = ACTIONS[action]
    targets = matrix.listed(model)
    client.force_login(matrix.users["coordinator_a"])

    response = client.post(
        changelist_url(model),
        {"action": action, ACTION_CHECKBOX_NAME: [str(s.pk) for s in targets]},
    )

    assert response.status_code == HTTPStatus.OK
    content = text(response)
    own = [s for s in targets if sees("coordinator_a", s, matrix.groups)]
    assert all(s.last_name in content for s in own)
    assert_no_personal_data(content, foreign_signups(matrix, "coordinator_a"))
    assert all(nothing_changed(s) for s in targets)


# --- exports with foreign ids -------------------------------------------------


@pytest.mark.parametrize("action", ["export_csv", "export_vcard"])
@pytest.mark.parametrize("actor", ACTORS)
def test_export_holds_own_members_and_no_foreign_personal_data(
    client, matrix, actor, action
):
    members = matrix.listed("member")

    response = as_actor(client, matrix, actor).post(
        changelist_url("member"),
        {"action": action, ACTION_CHECKBOX_NAME: [str(s.pk) for s in members]},
    )

    if actor == "anonymous":
        assert_sent_to_login(response)
        assert not ExportRecord.objects.exists()
        return
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment")
    content = text(response)
    own = [s for s in members if sees(actor, s, matrix.groups)]
    for signup in own:
        assert signup.last_name in content
    assert_no_personal_data(content, foreign_signups(matrix, actor))
    record = ExportRecord.objects.get()
    assert (record.user, record.count) == (matrix.users[actor], len(own))


# --- the umbrella page --------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_umbrella_page_shows_colleagues_to_coordinators_only(client, matrix, actor):
    response = as_actor(client, matrix, actor).get(reverse("groups:umbrella"))

    if actor == "anonymous":
        assert_sent_to_login(response)
        return
    if actor not in COORDINATORS:
        assert response.status_code == HTTPStatus.NOT_FOUND
        return
    assert response.status_code == HTTPStatus.OK
    content = text(response)
    me = actor.removeprefix("coordinator_")
    assert "https://chat.whatsapp.com/KoepelAlken2026" in content
    for key in ("a", "b", "ab"):
        if key == me:
            continue
        colleague = matrix.coordinators[key]
        assert escape(colleague.full_name) in content
        for detail in (colleague.phone.as_international, colleague.email):
            assert (detail in content) == colleague.shares_contact, (key, detail)
    for key in ("x", "retired"):
        stranger = matrix.coordinators[key]
        assert stranger.last_name not in content
        assert stranger.email not in content
    assert_no_personal_data(content, matrix.signups.values())


# --- the coordinator's own group ----------------------------------------------


ZONE_FIELDS = [
    "name",
    "is_public",
    "is_active",
    "region_id",
    "municipality_id",
    "kind",
    "display_order",
]


def post_group_changes(client, group, other_municipality) -> object:
    """Post the group's form with new wording and an attempt at the zone's fields."""
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    data = form_data(client.get(url))
    data.update(
        description="Samen waakzaam in de wijk.",
        invite_link="https://chat.whatsapp.com/NieuweLink2026abc",
        name="Gekaapte groep",
        region=str(RegionFactory(municipality=group.municipality).pk),
        municipality=str(other_municipality.pk),
        kind=GroupKind.UMBRELLA,
        display_order="99",
    )
    data.pop("is_public", None)
    data.pop("is_active", None)
    return client.post(url, data)


def assert_only_wording_changed(group, response) -> None:
    assert response.status_code == HTTPStatus.FOUND, (
        response.context and response.context["errors"]
    )
    before = {field: getattr(group, field) for field in ZONE_FIELDS}
    group.refresh_from_db()
    assert group.description == "Samen waakzaam in de wijk."
    assert group.invite_link == "https://chat.whatsapp.com/NieuweLink2026abc"
    assert {field: getattr(group, field) for field in ZONE_FIELDS} == before


def test_coordinator_changes_wording_of_own_group_but_not_the_zones_fields(
    client, matrix
):
    # A group with one coordinator: see the next test for a shared group.
    group = WhatsAppGroupFactory(municipality=matrix.groups["a"].municipality)
    user = _login(CoordinatorFactory(zone=matrix.zone, groups=[group]))
    client.force_login(user)

    response = post_group_changes(client, group, matrix.groups["x"].municipality)

    assert_only_wording_changed(group, response)


OWN_GROUP = {"coordinator_a": "a", "coordinator_b": "b", "coordinator_ab": "a"}


@pytest.mark.parametrize("actor", COORDINATORS)
def test_coordinator_changes_wording_of_a_group_shared_with_colleagues(
    client, matrix, actor
):
    group = matrix.groups[OWN_GROUP[actor]]
    client.force_login(matrix.users[actor])

    response = post_group_changes(client, group, matrix.groups["x"].municipality)

    assert_only_wording_changed(group, response)


def test_coordinator_cannot_take_a_colleague_off_the_group(client, matrix):
    group = matrix.groups["a"]
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    client.force_login(matrix.users["coordinator_a"])
    data = form_data(client.get(url))
    colleague = matrix.coordinators["ab"]
    for key, value in list(data.items()):
        if key.endswith("-coordinator") and value == str(colleague.pk):
            data[key.removesuffix("coordinator") + "DELETE"] = "on"

    client.post(url, data)

    assert group in colleague.groups.all()


def test_zone_staff_may_rename_a_group(client, matrix):
    group = matrix.groups["a"]
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    client.force_login(matrix.users["zone_staff"])
    data = form_data(client.get(url))
    data["name"] = "WABP Alfawijk Noord"

    response = client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    group.refresh_from_db()
    assert group.name == "WABP Alfawijk Noord"


@pytest.mark.parametrize("actor", list(FOREIGN))
def test_group_of_someone_else_cannot_be_opened_or_changed(client, matrix, actor):
    group = matrix.groups[FOREIGN[actor]]
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    as_actor(client, matrix, actor)

    page = client.get(url)
    post = client.post(
        url,
        {"description": "Overgenomen.", "invite_link": "", "name": "Gekaapt"},
    )

    if actor == "anonymous":
        assert_sent_to_login(page)
    else:
        assert page.status_code in {HTTPStatus.FOUND, HTTPStatus.NOT_FOUND}
        assert group.invite_link not in text(page)
    assert post.status_code in {HTTPStatus.FOUND, HTTPStatus.NOT_FOUND}
    after = WhatsAppGroup.objects.get(pk=group.pk)
    assert (after.name, after.description, after.invite_link) == (
        group.name,
        group.description,
        group.invite_link,
    )


# --- the dashboard on the admin index -----------------------------------------


def dashboard_counts(content: str) -> dict[str, tuple[int, int]]:
    """Group name → (waiting, members) as the dashboard table shows them."""
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td[^>]*>(?:<a [^>]*><strong>(\d+)</strong>'
        r"</a>|0)</td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*><a [^>]*>(\d+)</a></td>",
        content,
    )
    return {name: (int(waiting or 0), int(members)) for name, waiting, members in rows}


@pytest.mark.parametrize(
    "actor",
    [
        pytest.param(actor) if actor in {*COORDINATORS, "zone_staff"} else actor
        for actor in ACTORS
    ],
)
def test_dashboard_shows_the_pending_count_of_each_own_group(client, matrix, actor):
    # A: two waiting, B: one, X: three.
    SignupFactory(group=matrix.groups["a"])
    SignupFactory(group=matrix.groups["x"])
    SignupFactory(group=matrix.groups["x"])
    expected = {
        GROUP_NAMES[key]: ({"a": 2, "b": 1, "x": 3}[key], 1)
        for key in sorted(SCOPE[actor])
    }

    response = as_actor(client, matrix, actor).get(INDEX_URL)

    if actor == "anonymous":
        assert_sent_to_login(response)
        return
    content = text(response)
    assert dashboard_counts(content) == expected
    for key in set(GROUPS) - SCOPE[actor]:
        assert GROUP_NAMES[key] not in content
    assert "Koepel" not in content
