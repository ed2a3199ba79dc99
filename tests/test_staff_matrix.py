"""Police-zone staff see and change only their own zone, on every admin screen.

Two police zones, A ("Aquila") and B ("Bravo"), hold the same network: a
municipality with streets, a region covering some of them, a neighbourhood
group and an umbrella group, a coordinator with a login, signups in every
status and an application for a new group, two versions of the house rules
(the one the signups accepted and a newer current one), a meeting, a download,
an export and the audit-log entries all of that wrote. Every text of a zone
carries its mark, so a page shown to the staff of A must not contain "Bravo"
(and the reverse).

The screens are not listed by hand: every ModelAdmin registered on the admin
site for a model of SCOPED_APPS is taken at collection, with each of its URLs
that names one object, its other URLs, its autocomplete fields (and those of
its inlines), its search, its list filters, its form fields and its actions.
An admin registered later is covered as soon as it exists; if it lists a model
of which the zones below hold no row, the tests say so: add the row to
``_build_zone``.

The zones are built once per module inside a transaction rolled back at the
end; each test runs in a savepoint of its own, so tests may change rows.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus

import pytest
from auditlog.models import LogEntry
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import URLResolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone, translation
from post_office.models import STATUS, Email

from groups.constants import NumberParity
from groups.models import (
    Coordinator,
    Handover,
    Municipality,
    Region,
    RegionStreet,
    Street,
    StreetImport,
    WhatsAppGroup,
    is_zone_staff,
)
from groups.services import (
    add_zone_staff,
    invite_coordinators,
    link_coordinator_login,
    send_message,
)
from registrations import services
from registrations.constants import (
    DECIDED_STATUSES,
    ExportKind,
    RemovalReason,
    SignupRole,
    SignupStatus,
)
from registrations.models import (
    ExportRecord,
    MemberToRemove,
    Signup,
    WithdrawnMember,
)
from registrations.services import privacy
from tests.admin_forms import form_data
from tests.factories import (
    CoordinatorFactory,
    DownloadFactory,
    HouseRulesFactory,
    MeetingFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionFactory,
    RegionStreetFactory,
    SignupFactory,
    StreetFactory,
    UmbrellaGroupFactory,
    UserFactory,
    WaitingListEntryFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

SCOPED_APPS = ("groups", "registrations", "auditlog", "wabp_portal")
MARK = {"a": "Aquila", "b": "Bravo"}
OTHER = {"a": "b", "b": "a"}
STAFF = {"a": "staff_a", "b": "staff_b"}
INDEX_URL = reverse("admin:index")
# Whatever a confirmation page, a reason form or a delete asks for.
POSTED = {"post": "yes", "apply": "1", "reason": "Niet van deze zone."}
ID_KWARGS = {"object_id", "pk", "id"}


def label(model) -> str:
    return model._meta.label_lower


def changelist_url(model_admin) -> str:
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def change_url(model_admin, pk) -> str:
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])


def may(user: User, action: str, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


def may_view(user: User, model) -> bool:
    return may(user, "view", model) or may(user, "change", model)


# --- what the admin site offers, found at collection --------------------------


ADMINS = sorted(
    (
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in SCOPED_APPS
    ),
    key=lambda model_admin: label(model_admin.model),
)


def _tracked_models() -> list[type[models.Model]]:
    found = [User]
    for app_label in SCOPED_APPS:
        found += apps.get_app_config(app_label).get_models(include_auto_created=True)
    return found


TRACKED = {label(model) for model in _tracked_models()}


@dataclass(frozen=True)
class AdminUrl:
    """One URL of a model admin, below the model's changelist URL."""

    name: str
    route: str  # as registered; a regular expression unless is_route
    is_route: bool
    kwargs: frozenset[str]
    kwarg: str | None  # the one that takes the object's id
    url_name: str | None

    @property
    def unsupported(self) -> bool:
        """Wants more than an object id, or cannot be built without a name."""
        return bool(self.kwargs - {self.kwarg}) or not (self.is_route or self.url_name)

    def build(self, model_admin, pk=None) -> str:
        if not self.is_route:
            kwargs = {self.kwarg: pk} if self.kwarg else {}
            return reverse(f"admin:{self.url_name}", kwargs=kwargs)
        return changelist_url(model_admin) + re.sub(
            r"<(?:\w+:)?\w+>", str(pk), self.route
        )


def _patterns(urls, prefix: str = "", is_route: bool = True) -> Iterator[tuple]:
    for entry in urls:
        route = prefix + str(entry.pattern)
        plain = is_route and isinstance(entry.pattern, RoutePattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, route, plain)
        else:
            yield route, plain, entry


def admin_urls(model_admin) -> list[AdminUrl]:
    opts = model_admin.opts
    found = []
    for route, is_route, pattern in _patterns(model_admin.get_urls()):
        kwargs = frozenset(pattern.pattern.regex.groupindex)
        ids = kwargs & ID_KWARGS
        kwarg = min(ids) if ids else None
        name = (pattern.name or "").removeprefix(f"{opts.app_label}_{opts.model_name}_")
        if not name:
            name = "redirect" if kwarg else route.strip("/") or "changelist"
        found.append(AdminUrl(name, route, is_route, kwargs, kwarg, pattern.name))
    return found


OBJECT_URLS = [
    pytest.param(
        model_admin,
        url,
        id=f"{label(model_admin.model)}-{url.name}",
        marks=[pytest.mark.skip(reason=f"{url.route}: more than an id to fill")]
        if url.unsupported
        else [],
    )
    for model_admin in ADMINS
    for url in admin_urls(model_admin)
    if url.kwarg
]
LIST_URLS = [
    pytest.param(model_admin, url, id=f"{label(model_admin.model)}-{url.name}")
    for model_admin in ADMINS
    for url in admin_urls(model_admin)
    if not url.kwarg and url.name != "changelist" and not url.unsupported
]


def _admin_params(admins, *extra: str) -> list:
    return [
        pytest.param(
            model_admin, *values, id="-".join([label(model_admin.model), *values])
        )
        for model_admin in admins
        for values in ([[]] if not extra else [[value] for value in extra])
    ]


def _related_filters(model_admin) -> list[str]:
    paths = []
    for entry in model_admin.list_filter:
        path = entry[0] if isinstance(entry, tuple | list) else entry
        if not isinstance(path, str):
            continue  # a SimpleListFilter: its own choices, not rows
        if get_fields_from_path(model_admin.model, path)[-1].is_relation:
            paths.append(path)
    return paths


def _autocomplete_sources() -> list:
    found = {}
    for model_admin in ADMINS:
        for owner in [model_admin, *model_admin.inlines]:
            source = owner.model
            for name in owner.autocomplete_fields:
                found[f"{label(source)}.{name}"] = (source, name)
    return [pytest.param(*found[key], id=key) for key in sorted(found)]


def _relation_fields() -> list:
    """Every foreign key and many-to-many of an admin's model to a tracked row."""
    params = []
    for model_admin in ADMINS:
        for field in model_admin.model._meta.get_fields():
            if (
                field.concrete
                and field.is_relation
                and not field.auto_created
                and label(field.related_model) in TRACKED
            ):
                params.append(
                    pytest.param(
                        model_admin,
                        field.name,
                        id=f"{label(model_admin.model)}.{field.name}",
                    )
                )
    return params


def _actions() -> list:
    return [
        pytest.param(model_admin, name, id=f"{label(model_admin.model)}-{name}")
        for model_admin in ADMINS
        for _func, name, _description in model_admin._get_base_actions()
    ]


# --- the two zones -----------------------------------------------------------


@dataclass
class World:
    rows: dict[str, dict[str, set]]  # zone → model label → primary keys
    main: dict[str, dict[str, object]]  # zone → name → primary key of a chosen row
    users: dict[str, int]  # actor → user primary key

    def user(self, actor: str) -> User:
        return User.objects.get(pk=self.users[actor])

    def of(self, zone: str, model) -> set:
        return self.rows[zone][label(model)]

    def target(self, zone: str, model) -> object:
        """The row of a model that a test points at in a zone."""
        pk = self.main[zone].get(label(model))
        return pk if pk is not None else min(self.of(zone, model))


def _pks() -> dict[str, set]:
    return {
        label(model): set(model._base_manager.values_list("pk", flat=True))
        for model in _tracked_models()
    }


def _signup(zone: str, status: str, group, street, rules) -> Signup:
    mark = MARK[zone]
    gone = status == SignupStatus.WITHDRAWN
    # A withdrawn signup keeps no personal data; the others their own number.
    erased = {"phone": ""} if gone else {}
    return SignupFactory(
        group=group,
        municipality=group.municipality,
        house_rules=rules,
        status=status,
        first_name="" if gone else f"Bewoner{mark}",
        last_name="" if gone else f"{mark}sen-{status}",
        street_name="" if gone else street.name,
        street=None if gone else street,
        house_number="12",
        **erased,
        email="" if gone else f"{status}@{mark.lower()}.example",
        confirmed_at=None if status == SignupStatus.UNCONFIRMED else timezone.now(),
        decided_at=timezone.now() if status in DECIDED_STATUSES else None,
    )


def _build_zone(zone: str) -> tuple[dict[str, object], dict[str, int]]:
    mark = MARK[zone]
    low = mark.lower()
    postcode = {"a": 3570, "b": 3580}[zone]
    police_zone = PoliceZoneFactory(
        name=f"PZ {mark}", contact_name=f"Inspecteur {mark}", email=f"pz@{low}.example"
    )
    municipality = MunicipalityFactory(
        zone=police_zone,
        name=f"{mark}gem",
        slug=f"{low}gem",
        postcodes=f"{postcode}, {postcode + 1}",
    )
    streets = [
        StreetFactory(municipality=municipality, name=f"{mark}{kind}")
        for kind in ("straat", "laan", "plein")
    ]
    region = RegionFactory(
        municipality=municipality,
        name=f"{mark}wijk",
        description=f"Rond de {mark}straat",
    )
    RegionStreetFactory(region=region, street=streets[0])
    RegionStreetFactory(
        region=region,
        street=streets[1],
        parity=NumberParity.EVEN,
        number_from=2,
        number_to=40,
    )
    group = WhatsAppGroupFactory(
        municipality=municipality,
        region=region,
        name=f"WABP {mark}wijk",
        description=f"Buren van de {mark}wijk",
    )
    umbrella = UmbrellaGroupFactory(municipality=municipality, name=f"Koepel {mark}")
    staff = UserFactory(
        username=f"{low}-staff",
        first_name=f"Agent{mark}",
        last_name=f"{mark}politie",
        email=f"agent@{low}.example",
    )
    add_zone_staff(police_zone, user=staff)
    coordinator = CoordinatorFactory(
        zone=police_zone,
        groups=[group, umbrella],
        first_name=f"Coördinator{mark}",
        last_name=f"{mark}man",
        email=f"{low}man@{low}.example",
    )
    login = UserFactory(
        username=f"{low}-coordinator",
        first_name=f"Coördinator{mark}",
        last_name=f"{mark}man",
        email=coordinator.email,
    )
    link_coordinator_login(coordinator, user=login)
    # The signups accepted version 1; version 2 is current and nobody's yet.
    accepted = HouseRulesFactory(
        zone=police_zone, version=1, title=f"Reglement {mark}", is_current=False
    )
    current = HouseRulesFactory(
        zone=police_zone, version=2, title=f"Reglement {mark} herzien"
    )
    signups = {
        status: _signup(zone, status, group, streets[0], accepted)
        for status in SignupStatus.values
    }
    application = SignupFactory(
        role=SignupRole.COORDINATOR,
        group=None,
        municipality=municipality,
        house_rules=accepted,
        proposed_group_name=f"WABP {mark} Noord",
        proposed_area=f"{mark}plein en omgeving",
        first_name=f"Starter{mark}",
        last_name=f"{mark}starter",
        street_name=streets[2].name,
        email=f"starter@{low}.example",
    )
    meeting = MeetingFactory(
        zone=police_zone,
        starts_at=(timezone.now() + timedelta(days=30)).replace(microsecond=0),
        title=f"Overleg {mark}",
        location=f"Gemeentehuis {mark}gem",
        agenda=f"Overleg {mark}",
    )
    invite_coordinators(meeting, by=staff)
    # The staff wrote to the coordinators of the zone's group.
    send_message(
        police_zone,
        by=staff,
        subject=f"Bericht {mark}",
        body=f"Nieuws van {mark}",
        groups=[group],
    )
    download = DownloadFactory(
        zone=police_zone, title=f"Presentatie {mark}", file=f"downloads/{low}.pdf"
    )
    export = services.record_export(
        [signups[SignupStatus.APPROVED]], by=staff, kind=ExportKind.CSV
    )
    # The member accepted version 1: ask them to accept version 2.
    services.request_reacceptance(current, by=staff)
    # A resident of the zone asked for their data: staff exported it.
    privacy_request, _export = privacy.export_person(
        privacy.PersonQuery(email=signups[SignupStatus.PENDING].email), by=staff
    )
    # A member who withdrew: the coordinators still see whom to remove.
    withdrawn = WithdrawnMember.objects.create(
        signup=signups[SignupStatus.WITHDRAWN],
        group=group,
        first_name=f"Vertrokken{mark}",
        last_name=f"{mark}vertrek",
        phone=f"+324705{postcode}",
        withdrawn_at=timezone.now(),
    )
    # A member who did not answer the yearly question: whom to remove.
    to_remove = MemberToRemove.objects.create(
        signup=signups[SignupStatus.APPROVED],
        group=group,
        reason=RemovalReason.NO_ANSWER,
    )
    # A mail to the pending signup that the mail server kept refusing.
    undelivered = Email.objects.filter(to__contains=f"@{low}.example").latest("pk")
    Email.objects.filter(pk=undelivered.pk).update(
        status=STATUS.failed, number_of_retries=12
    )
    # A resident of the zone waits for a group on the street no region covers.
    waiting = WaitingListEntryFactory(
        street=streets[2], house_number="7", email=f"wachtend@{low}.example"
    )
    # The coordinator offered their group to a successor.
    handover = Handover.objects.create(
        group=group,
        from_coordinator=coordinator,
        first_name=f"Opvolger{mark}",
        last_name=f"{mark}opvolger",
        email=f"opvolger@{low}.example",
        expires_at=timezone.now() + timedelta(days=14),
    )
    # Staff imported a street list; one line was refused.
    street_import = StreetImport.objects.create(
        municipality=municipality,
        file_name=f"straten-{mark}.csv",
        status="done",
        total_rows=2,
        processed_rows=2,
        existing_count=1,
        refused_count=1,
        refused=[{"line": 3, "reason": f"Postcode {mark} is geen postcode"}],
        created_by=staff,
        finished_at=timezone.now(),
    )
    main = {
        "groups.policezone": police_zone.pk,
        "groups.municipality": municipality.pk,
        "groups.street": streets[0].pk,
        "groups.region": region.pk,
        "groups.whatsappgroup": group.pk,
        "groups.coordinator": coordinator.pk,
        "groups.meeting": meeting.pk,
        "groups.download": download.pk,
        "groups.handover": handover.pk,
        "groups.streetimport": street_import.pk,
        "registrations.houserules": current.pk,
        "registrations.signup": signups[SignupStatus.PENDING].pk,
        "registrations.pendingsignup": signups[SignupStatus.PENDING].pk,
        "registrations.member": signups[SignupStatus.APPROVED].pk,
        "registrations.groupapplication": application.pk,
        "registrations.exportrecord": export.pk,
        "registrations.privacyrequest": privacy_request.pk,
        "registrations.withdrawnmember": withdrawn.pk,
        "registrations.membertoremove": to_remove.pk,
        "registrations.waitinglistentry": waiting.pk,
        "wabp_portal.undeliveredmail": undelivered.pk,
        "auth.user": staff.pk,
        "application": application.pk,
        **{f"signup:{status}": signup.pk for status, signup in signups.items()},
    }
    return main, {f"staff_{zone}": staff.pk, f"coordinator_{zone}": login.pk}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        before = _pks()
        main_a, users_a = _build_zone("a")
        after_a = _pks()
        main_b, users_b = _build_zone("b")
        after_b = _pks()
        superuser = UserFactory(
            username="hoofdbeheer", is_superuser=True, is_staff=True
        )
        yield World(
            rows={
                "a": {key: after_a[key] - before[key] for key in before},
                "b": {key: after_b[key] - after_a[key] for key in before},
            },
            main={"a": main_a, "b": main_b},
            users={**users_a, **users_b, "superuser": superuser.pk},
        )
        transaction.set_rollback(True)


# --- helpers -----------------------------------------------------------------


def text(response: HttpResponse) -> str:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return body.decode(errors="replace")


def assert_nothing_of(zone: str, content: str) -> None:
    assert MARK[zone].lower() not in content.lower(), f"a row of zone {zone} shown"


def superuser_request(world: World):
    request = RequestFactory().get(INDEX_URL)
    request.user = world.user("superuser")
    return request


def admin_rows(world: World, model_admin, zone: str) -> set:
    """The rows of a zone this admin lists when scope plays no part."""
    listed = model_admin.get_queryset(superuser_request(world))
    rows = set(listed.values_list("pk", flat=True)) & world.of(zone, model_admin.model)
    assert rows, (
        f"zone {zone} has no row that the {label(model_admin.model)} admin lists: "
        "add one to _build_zone()"
    )
    return rows


def one_row(world: World, model_admin, zone: str):
    rows = admin_rows(world, model_admin, zone)
    chosen = world.main[zone].get(label(model_admin.model))
    return chosen if chosen in rows else min(rows)


def zone_data(world: World, zone: str) -> dict[str, list[dict]]:
    """Every stored value of the zone's rows, to tell that nothing changed."""
    return {
        label(model): list(
            model._base_manager.filter(pk__in=world.of(zone, model))
            .order_by("pk")
            .values()
        )
        for model in _tracked_models()
        if model is not User and not model._meta.proxy
    }


def new_rows_of(world: World, before: dict[str, set], zone: str) -> list[str]:
    """Rows written since ``before`` that belong to the zone (audit entries too)."""
    zone_pk = world.main[zone]["groups.policezone"]
    found = []
    for model in _tracked_models():
        if model._meta.proxy:
            continue
        new = (
            set(model._base_manager.values_list("pk", flat=True)) - before[label(model)]
        )
        for row in model._base_manager.filter(pk__in=new):
            if isinstance(row, LogEntry):
                row_zone = (row.additional_data or {}).get("zone")
            elif hasattr(row, "get_additional_data"):
                row_zone = row.get_additional_data().get("zone")
            else:
                continue
            if row_zone == zone_pk:
                found.append(f"{label(model)} {row.pk}")
    return found


def login(client, world: World, actor: str):
    client.force_login(world.user(actor))
    return client


def missing_warning(response, model_admin, pk) -> str:
    """Django's message for an object that is not in the admin's queryset."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return translation.gettext(
            "%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"
        ) % {"name": model_admin.opts.verbose_name, "key": pk}


def warnings_of(response) -> list[str]:
    return [
        str(message)
        for message in messages.get_messages(response.wsgi_request)
        if message.level == messages.WARNING
    ]


def outcome(response, model_admin, pk) -> str:
    """What a request for one object came to, as the user would notice it.

    ``missing``: 404, or Django's redirect to the admin index with its "doesn't
    exist" warning; ``deferred``: a redirect to the object's own change page
    (which the tests open on their own); ``forbidden``: 403; ``method``: 405;
    ``refused``: 400; ``ok``: anything else that is not an error.
    """
    status = response.status_code
    if status == HTTPStatus.FOUND:
        location = response["Location"]
        if location == INDEX_URL:
            assert missing_warning(response, model_admin, pk) in warnings_of(response)
            return "missing"
        if location == change_url(model_admin, pk):
            return "deferred"
    kinds = {
        HTTPStatus.NOT_FOUND: "missing",
        HTTPStatus.FORBIDDEN: "forbidden",
        HTTPStatus.METHOD_NOT_ALLOWED: "method",
        HTTPStatus.BAD_REQUEST: "refused",
    }
    if status in kinds:
        return kinds[status]
    assert status < HTTPStatus.BAD_REQUEST, status
    return "ok"


def stored(instance, field_name: str):
    field = instance._meta.get_field(field_name)
    if field.many_to_many:
        return set(getattr(instance, field_name).values_list("pk", flat=True))
    return getattr(instance, field.attname)


def model_choice_fields(response) -> Iterator[tuple[str, forms.ModelChoiceField]]:
    """Every model choice of the form and its inlines, including the blank row."""
    forms_shown = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_shown += [*inline.formset.forms, inline.formset.empty_form]
    for form in forms_shown:
        for name, field in form.fields.items():
            # A formset's hidden id is looked up in the formset's own rows.
            hidden = isinstance(field.widget, forms.HiddenInput)
            if isinstance(field, forms.ModelChoiceField) and not hidden:
                yield form.add_prefix(name), field


# --- changelists -------------------------------------------------------------


def filter_choices(response) -> dict[str, set[str]]:
    """Related model label → the primary keys the list filters offer.

    Django shows a related filter only when it has two choices or more.
    """
    offered: dict[str, set[str]] = {}
    for spec in response.context["cl"].filter_specs:
        if hasattr(spec, "lookup_choices") and getattr(spec, "field", None):
            related = label(spec.field.related_model)
            offered.setdefault(related, set()).update(
                str(pk) for pk, _label in spec.lookup_choices
            )
    return offered


@pytest.mark.parametrize(("model_admin", "zone"), _admin_params(ADMINS, "a", "b"))
def test_zone_staff_changelist_and_its_filters_hold_only_their_zone(
    client, world, model_admin, zone
):
    user = world.user(STAFF[zone])
    other = OTHER[zone]

    response = login(client, world, STAFF[zone]).get(changelist_url(model_admin))

    if not may_view(user, model_admin.model):
        assert response.status_code == HTTPStatus.FORBIDDEN
        return
    assert response.status_code == HTTPStatus.OK
    cl = response.context["cl"]
    shown = set(cl.queryset.values_list("pk", flat=True))
    assert not shown & world.of(other, model_admin.model)
    assert shown <= world.of(zone, model_admin.model)
    if model_admin.opts.app_label != "auditlog":
        # An audit log may leave entries out; a list of the zone's table may not.
        assert shown == admin_rows(world, model_admin, zone)
    assert cl.result_count == len(shown)
    for related, pks in filter_choices(response).items():
        if related in TRACKED:
            assert not pks & {str(pk) for pk in world.rows[other][related]}, related
    content = text(response)
    assert_nothing_of(other, content)
    for pk in admin_rows(world, model_admin, other):
        assert change_url(model_admin, pk) not in content


FILTERED = [model_admin for model_admin in ADMINS if _related_filters(model_admin)]


@pytest.mark.parametrize("model_admin", _admin_params(ADMINS))
def test_superuser_changelist_and_its_filters_hold_both_zones(
    client, world, model_admin
):
    response = login(client, world, "superuser").get(changelist_url(model_admin))

    assert response.status_code == HTTPStatus.OK
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert admin_rows(world, model_admin, "a") <= shown
    assert admin_rows(world, model_admin, "b") <= shown
    offered = filter_choices(response)
    assert bool(offered) == (model_admin in FILTERED)
    for related, pks in offered.items():
        for zone in ("a", "b"):
            assert pks & {str(pk) for pk in world.rows[zone][related]}, (related, zone)


def test_admin_index_shows_nothing_of_another_zone(client, world):
    response = login(client, world, "staff_a").get(INDEX_URL)

    assert response.status_code == HTTPStatus.OK
    assert MARK["a"] in text(response)  # the dashboard lists the own groups
    assert_nothing_of("b", text(response))


def test_statistics_show_nothing_of_another_zone(client, world):
    url = reverse("statistics")
    login(client, world, "staff_a")

    response = client.get(url)
    foreign = client.get(url, {"gemeente": f"{MARK['b'].lower()}gem"})

    assert response.status_code == HTTPStatus.OK
    assert_nothing_of("b", text(response))
    assert foreign.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(("model_admin", "url"), LIST_URLS)
def test_other_list_pages_show_nothing_of_another_zone(client, world, model_admin, url):
    response = login(client, world, "staff_a").get(url.build(model_admin))

    assert response.status_code in {
        HTTPStatus.OK,
        HTTPStatus.FOUND,
        HTTPStatus.FORBIDDEN,
        HTTPStatus.METHOD_NOT_ALLOWED,
    }
    assert_nothing_of("b", text(response))


# --- one object by URL -------------------------------------------------------


@pytest.mark.parametrize(("model_admin", "url"), OBJECT_URLS)
def test_zone_staff_opens_own_objects_and_finds_none_of_another_zone(
    client, world, model_admin, url
):
    user = world.user("staff_a")
    own_pk = one_row(world, model_admin, "a")
    foreign_pk = one_row(world, model_admin, "b")
    login(client, world, "staff_a")

    own_response = client.get(url.build(model_admin, own_pk))
    before = zone_data(world, "b")
    before_rows = _pks()
    seen_response = client.get(url.build(model_admin, foreign_pk))
    posted_responses = (
        # Django's history page reads whatever the method; the bare id redirects.
        []
        if url.name in {"history", "redirect"}
        else [client.post(url.build(model_admin, foreign_pk), POSTED)]
    )

    own = outcome(own_response, model_admin, own_pk)
    assert own != "missing"
    if url.name == "redirect":
        assert own == "deferred"
    if url.name in {"change", "history"}:
        expected = (
            HTTPStatus.OK if may_view(user, model_admin.model) else HTTPStatus.FORBIDDEN
        )
        assert own_response.status_code == expected
    seen = outcome(seen_response, model_admin, foreign_pk)
    assert seen in {"missing", "forbidden", "method", "deferred"}
    if own == "ok":
        # Where the own object opens, the other zone's is simply not there.
        assert seen == "missing"
    if seen == "deferred":
        assert own == "deferred"
    if seen == "missing" and url.name in {"change", "delete", "history"}:
        # Django answers a missing object with a redirect to the admin index.
        assert seen_response.status_code == HTTPStatus.FOUND
    for response in posted_responses:
        posted = outcome(response, model_admin, foreign_pk)
        assert posted in {"missing", "forbidden", "method", "deferred", "refused"}
    for response in [own_response, seen_response, *posted_responses]:
        assert_nothing_of("b", text(response))
    assert zone_data(world, "b") == before
    assert _pks() == before_rows


# Django's delete, history and bare-id pages find the object as change does.
SUPERUSER_OBJECT_URLS = [
    param
    for param in OBJECT_URLS
    if param.values[1].name not in {"delete", "history", "redirect"}
]


@pytest.mark.parametrize(("model_admin", "url"), SUPERUSER_OBJECT_URLS)
def test_superuser_opens_objects_of_any_zone(client, world, model_admin, url):
    # Zone B: the one the tests above keep staff of zone A out of.
    pk = one_row(world, model_admin, "b")

    response = login(client, world, "superuser").get(url.build(model_admin, pk))

    assert outcome(response, model_admin, pk) != "missing"
    if url.name == "change":
        assert response.status_code == HTTPStatus.OK


# --- search and autocomplete -------------------------------------------------

SEARCHABLE = [model_admin for model_admin in ADMINS if model_admin.search_fields]


@pytest.mark.parametrize("model_admin", _admin_params(SEARCHABLE))
def test_zone_staff_search_finds_nothing_of_another_zone(client, world, model_admin):
    response = login(client, world, "staff_a").get(
        changelist_url(model_admin), {"q": MARK["b"]}
    )

    if response.status_code == HTTPStatus.FORBIDDEN:
        assert not may_view(world.user("staff_a"), model_admin.model)
        return
    assert response.status_code == HTTPStatus.OK
    assert not response.context["cl"].queryset.exists()
    # The search term itself is echoed back in the search box.
    assert_nothing_of("b", text(response).replace(MARK["b"], ""))


@pytest.mark.parametrize("model_admin", _admin_params(SEARCHABLE))
def test_superuser_search_finds_rows_of_another_zone(client, world, model_admin):
    response = login(client, world, "superuser").get(
        changelist_url(model_admin), {"q": MARK["b"]}
    )

    found = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert found
    assert found <= world.of("b", model_admin.model)


def test_zone_staff_search_for_another_zones_group_by_name_finds_nothing(client, world):
    group = WhatsAppGroup.objects.get(pk=world.target("b", WhatsAppGroup))
    url = reverse("admin:groups_whatsappgroup_changelist")

    own = login(client, world, "staff_b").get(url, {"q": group.name})
    other = login(client, world, "staff_a").get(url, {"q": group.name})

    assert list(own.context["cl"].result_list) == [group]
    assert list(other.context["cl"].result_list) == []
    assert other.context["cl"].result_count == 0


def autocomplete(client, source, field_name: str, term: str) -> HttpResponse:
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": source._meta.app_label,
            "model_name": source._meta.model_name,
            "field_name": field_name,
            "term": term,
        },
    )


@pytest.mark.parametrize("zone", ["a", "b"])
@pytest.mark.parametrize(("source", "field_name"), _autocomplete_sources())
def test_zone_staff_autocomplete_offers_nothing_of_another_zone(
    client, world, source, field_name, zone
):
    remote = source._meta.get_field(field_name).related_model
    other = OTHER[zone]
    login(client, world, STAFF[zone])

    for term in ("", MARK[other]):
        response = autocomplete(client, source, field_name, term)

        if response.status_code == HTTPStatus.FORBIDDEN:
            assert not may_view(world.user(STAFF[zone]), remote)
            continue
        assert response.status_code == HTTPStatus.OK
        offered = {result["id"] for result in response.json()["results"]}
        assert not offered & {str(pk) for pk in world.of(other, remote)}, term
        assert_nothing_of(other, response.content.decode())
        if term == "" and remote is not User:
            assert offered == {str(pk) for pk in world.of(zone, remote)}


@pytest.mark.parametrize(("source", "field_name"), _autocomplete_sources())
def test_superuser_autocomplete_offers_rows_of_another_zone(
    client, world, source, field_name
):
    remote = source._meta.get_field(field_name).related_model

    response = autocomplete(login(client, world, "superuser"), source, field_name, "")

    offered = {result["id"] for result in response.json()["results"]}
    assert offered & {str(pk) for pk in world.of("b", remote)}


# --- forms: the choices offered and what a post may point at ------------------


def assert_no_choice_of_another_zone(world: World, response) -> None:
    assert_nothing_of("b", text(response))
    for name, field in model_choice_fields(response):
        related = label(field.queryset.model)
        if related in TRACKED:
            offered = set(field.queryset.values_list("pk", flat=True))
            assert not offered & world.rows["b"][related], name


@pytest.mark.parametrize("model_admin", _admin_params(ADMINS))
def test_zone_staff_add_form_offers_no_choice_of_another_zone(
    client, world, model_admin
):
    opts = model_admin.opts

    response = login(client, world, "staff_a").get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    )

    if response.status_code == HTTPStatus.FORBIDDEN:
        assert not may(world.user("staff_a"), "add", model_admin.model)
        return
    assert response.status_code == HTTPStatus.OK
    assert_no_choice_of_another_zone(world, response)


# The choices the staff keep their zone's table with, on the add forms.
OWN_CHOICES = [
    ("groups.municipality", "zone"),
    ("groups.street", "municipality"),
    ("groups.region", "municipality"),
    ("groups.whatsappgroup", "municipality"),
    ("groups.whatsappgroup", "region"),
    ("groups.coordinator", "zone"),
    ("groups.coordinator", "groups"),
    ("groups.meeting", "zone"),
    ("groups.download", "zone"),
    ("registrations.houserules", "zone"),
]


@pytest.mark.parametrize(
    ("model", "field_name"),
    [pytest.param(*case, id=".".join(case)) for case in OWN_CHOICES],
)
def test_zone_staff_form_offers_exactly_the_choices_of_their_zone(
    client, world, model, field_name
):
    app_label, model_name = model.split(".")

    response = login(client, world, "staff_a").get(
        reverse(f"admin:{app_label}_{model_name}_add")
    )

    field = response.context["adminform"].form.fields[field_name]
    offered = set(field.queryset.values_list("pk", flat=True))
    assert offered == world.rows["a"][label(field.queryset.model)]


def test_superuser_form_offers_choices_of_both_zones(client, world):
    response = login(client, world, "superuser").get(reverse("admin:groups_region_add"))

    field = response.context["adminform"].form.fields["municipality"]
    offered = set(field.queryset.values_list("pk", flat=True))
    assert world.of("a", Municipality) | world.of("b", Municipality) <= offered


@pytest.mark.parametrize("model_admin", _admin_params(ADMINS))
def test_zone_staff_change_form_offers_no_choice_of_another_zone_and_saves(
    client, world, model_admin
):
    # Saving the form as shown also calibrates the test below: form_data()
    # posts back a valid form, so the errors found there come from the zone.
    user = world.user("staff_a")
    url = change_url(model_admin, one_row(world, model_admin, "a"))
    login(client, world, "staff_a")
    page = client.get(url)
    if page.status_code == HTTPStatus.FORBIDDEN:
        assert not may_view(user, model_admin.model)
        return
    assert page.status_code == HTTPStatus.OK
    assert_no_choice_of_another_zone(world, page)

    response = client.post(url, form_data(page))

    if not may(user, "change", model_admin.model):
        assert response.status_code == HTTPStatus.FORBIDDEN
        return
    errors = response.context and response.context["errors"]
    assert response.status_code == HTTPStatus.FOUND, errors
    assert response["Location"].startswith(changelist_url(model_admin))


# Fields staff edit on a change form: pointing one at the other zone is refused.
# (A house-rules version keeps its zone once published.)
MUST_REFUSE = set(OWN_CHOICES) - {("registrations.houserules", "zone")}


@pytest.mark.parametrize(("model_admin", "field_name"), _relation_fields())
def test_zone_staff_cannot_point_an_object_of_their_zone_at_another_zone(
    client, world, model_admin, field_name
):
    model = model_admin.model
    field = model._meta.get_field(field_name)
    pk = one_row(world, model_admin, "a")
    instance = model._base_manager.get(pk=pk)
    before = stored(instance, field_name)
    foreign = str(world.target("b", field.related_model))
    url = change_url(model_admin, pk)
    request = RequestFactory().get(url)
    request.user = world.user("staff_a")
    editable = model_admin.has_change_permission(request, instance) and (
        field_name in model_admin.get_form(request, instance).base_fields
    )
    login(client, world, "staff_a")
    # Only an editable field needs the rest of the form to be valid.
    data = form_data(client.get(url)) if editable else {}
    data[field_name] = [foreign] if field.many_to_many else foreign

    response = client.post(url, data)

    if (label(model), field_name) in MUST_REFUSE:
        assert editable
    if editable:
        assert response.status_code == HTTPStatus.OK
        assert field_name in response.context["adminform"].form.errors
        assert_nothing_of("b", text(response))
    else:
        # Ignored (read-only) or the whole post refused: either way unchanged.
        assert response.status_code in {
            HTTPStatus.OK,
            HTTPStatus.FOUND,
            HTTPStatus.FORBIDDEN,
        }
    assert stored(model._base_manager.get(pk=pk), field_name) == before


def inline_formset(response, model):
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    )


def add_inline_row(data: dict, formset, values: dict) -> None:
    index = int(data[f"{formset.prefix}-TOTAL_FORMS"])
    data[f"{formset.prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in values.items():
        data[f"{formset.prefix}-{index}-{name}"] = value


def test_zone_staff_cannot_add_a_street_of_another_zone_to_their_region(client, world):
    region_pk = world.main["a"]["groups.region"]
    url = reverse("admin:groups_region_change", args=[region_pk])
    login(client, world, "staff_a")
    page = client.get(url)
    data = form_data(page)
    add_inline_row(
        data,
        inline_formset(page, RegionStreet),
        {"street": str(world.main["b"]["groups.street"]), "parity": "all"},
    )

    response = client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    errors = inline_formset(response, RegionStreet).errors
    assert any("street" in form_errors for form_errors in errors)
    assert not RegionStreet.objects.filter(
        region_id=region_pk, street__in=world.of("b", Street)
    ).exists()


def test_zone_staff_cannot_make_a_coordinator_of_another_zone_coordinate_their_group(
    client, world
):
    group_pk = world.main["a"]["groups.whatsappgroup"]
    foreign = Coordinator.objects.get(pk=world.main["b"]["groups.coordinator"])
    url = reverse("admin:groups_whatsappgroup_change", args=[group_pk])
    login(client, world, "staff_a")
    page = client.get(url)
    data = form_data(page)
    add_inline_row(
        data,
        inline_formset(page, Coordinator.groups.through),
        {"coordinator": str(foreign.pk)},
    )

    response = client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    errors = inline_formset(response, Coordinator.groups.through).errors
    assert any("coordinator" in form_errors for form_errors in errors)
    assert not foreign.groups.filter(pk=group_pk).exists()


INLINE_ROWS = {
    # The admin, the inline's model and a change that makes the row "changed".
    "region-coverage": (Region, RegionStreet, {"parity": NumberParity.ODD}),
    "group-coordinators": (WhatsAppGroup, Coordinator.groups.through, {}),
}


@pytest.mark.parametrize("case", list(INLINE_ROWS))
def test_zone_staff_cannot_change_a_row_of_another_zone_through_an_inline(
    client, world, case
):
    model, inline_model, change = INLINE_ROWS[case]
    model_admin = admin.site.get_model_admin(model)
    url = change_url(model_admin, world.main["a"][label(model)])
    login(client, world, "staff_a")
    page = client.get(url)
    data = form_data(page)
    formset = inline_formset(page, inline_model)
    assert formset.initial_form_count()
    # The hidden id of the first row, typed over with a row of zone B.
    data[f"{formset.prefix}-0-id"] = str(min(world.of("b", inline_model)))
    for name, value in change.items():
        data[f"{formset.prefix}-0-{name}"] = value
    before = zone_data(world, "b")
    before_rows = _pks()

    response = client.post(url, data)

    assert response.status_code in {
        HTTPStatus.OK,
        HTTPStatus.FOUND,
        HTTPStatus.BAD_REQUEST,
    }
    assert zone_data(world, "b") == before
    assert not new_rows_of(world, before_rows, "b")


def test_zone_staff_cannot_move_a_signup_to_a_group_of_another_zone(client, world):
    pk = world.main["a"][f"signup:{SignupStatus.PENDING}"]
    url = reverse("admin:registrations_pendingsignup_move", args=[pk])
    foreign_group = world.main["b"]["groups.whatsappgroup"]
    login(client, world, "staff_a")

    page = client.get(url)
    response = client.post(url, {"group": str(foreign_group)})

    offered = page.context["form"].fields["group"].queryset
    assert not offered.filter(pk__in=world.of("b", WhatsAppGroup)).exists()
    assert_nothing_of("b", text(page))
    assert response.status_code == HTTPStatus.OK
    assert "group" in response.context["form"].errors
    signup = Signup.objects.get(pk=pk)
    assert (signup.group_id, signup.status) == (
        world.main["a"]["groups.whatsappgroup"],
        SignupStatus.PENDING,
    )


def test_zone_staff_cannot_found_an_applied_group_in_a_region_of_another_zone(
    client, world
):
    pk = world.main["a"]["application"]
    url = reverse("admin:registrations_groupapplication_approve", args=[pk])
    foreign_region = world.main["b"]["groups.region"]
    before_rows = _pks()

    response = login(client, world, "staff_a").post(
        url, {"group_name": "WABP Nieuwe wijk", "region": str(foreign_region)}
    )

    assert response.status_code == HTTPStatus.OK
    assert "region" in response.context["form"].errors
    assert Signup.objects.get(pk=pk).status == SignupStatus.PENDING
    assert not WhatsAppGroup.objects.filter(name="WABP Nieuwe wijk").exists()
    assert _pks() == before_rows


# --- bulk actions, list editing, import and export ---------------------------


@pytest.mark.parametrize(("model_admin", "action"), _actions())
def test_bulk_action_on_rows_of_another_zone_changes_nothing(
    client, world, model_admin, action
):
    foreign = admin_rows(world, model_admin, "b")
    before = zone_data(world, "b")
    before_rows = _pks()

    response = login(client, world, "staff_a").post(
        changelist_url(model_admin),
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [str(pk) for pk in foreign],
            "index": "0",
            **POSTED,
        },
    )

    assert response.status_code in {
        HTTPStatus.OK,
        HTTPStatus.FOUND,
        HTTPStatus.FORBIDDEN,
    }
    assert_nothing_of("b", text(response))
    assert zone_data(world, "b") == before
    assert not new_rows_of(world, before_rows, "b")
    exports = ExportRecord.objects.exclude(
        pk__in=before_rows["registrations.exportrecord"]
    )
    assert not exports.filter(groups__in=world.of("b", WhatsAppGroup)).exists()


EDITABLE_LISTS = [model_admin for model_admin in ADMINS if model_admin.list_editable]


def edited_value(field: models.Field) -> str | None:
    if isinstance(field, models.BooleanField):
        return None  # an unticked box: whatever it was, it would turn off
    if isinstance(field, models.IntegerField):
        return "99"
    return "Gekaapt"


@pytest.mark.parametrize("model_admin", _admin_params(EDITABLE_LISTS))
def test_list_editing_a_row_of_another_zone_changes_nothing(client, world, model_admin):
    pk = one_row(world, model_admin, "b")
    before = zone_data(world, "b")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(pk),
        "_save": "Save",
    }
    for name in model_admin.list_editable:
        value = edited_value(model_admin.model._meta.get_field(name))
        if value is not None:
            data[f"form-0-{name}"] = value

    response = login(client, world, "staff_a").post(changelist_url(model_admin), data)

    # 400: Django refuses a list edit that would add a row instead.
    assert response.status_code in {
        HTTPStatus.OK,
        HTTPStatus.FOUND,
        HTTPStatus.BAD_REQUEST,
    }
    assert_nothing_of("b", text(response))
    assert zone_data(world, "b") == before


EXPORTABLE = [
    model_admin for model_admin in ADMINS if hasattr(model_admin, "export_action")
]
IMPORTABLE = [
    model_admin for model_admin in ADMINS if hasattr(model_admin, "import_action")
]


def format_index(formats, title: str) -> str:
    return str([each().get_title() for each in formats].index(title))


def export_csv(client, model_admin) -> HttpResponse:
    """Post the export page's form as shown, every column ticked, as CSV."""
    opts = model_admin.opts
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    data = {
        "format": format_index(model_admin.get_export_formats(), "csv"),
        "resource": "0",
    }
    for name, field in page.context["form"].fields.items():
        if isinstance(field, forms.BooleanField):
            data[name] = "on"
    return client.post(url, data)


@pytest.mark.parametrize(
    ("model_admin", "actor"), _admin_params(EXPORTABLE, "staff_a", "superuser")
)
def test_export_holds_the_rows_of_the_users_zones_only(
    client, world, model_admin, actor
):
    response = export_csv(login(client, world, actor), model_admin)

    assert response.status_code == HTTPStatus.OK
    assert "attachment" in response["Content-Disposition"]
    content = text(response)
    assert MARK["a"] in content
    assert (MARK["b"] in content) == (actor == "superuser")


@pytest.mark.parametrize("model_admin", _admin_params(IMPORTABLE))
def test_importing_rows_of_another_zone_is_refused(client, world, model_admin):
    # The superuser's export: zone A's rows (unchanged) and zone B's.
    exported = export_csv(login(client, world, "superuser"), model_admin).content
    assert MARK["b"].encode() in exported
    opts = model_admin.opts
    before = zone_data(world, "b")
    before_rows = _pks()

    response = login(client, world, "staff_a").post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_import"),
        {
            "resource": "0",
            "format": format_index(model_admin.get_import_formats(), "csv"),
            "import_file": SimpleUploadedFile("tabel.csv", exported),
        },
    )

    assert response.status_code == HTTPStatus.OK
    result = response.context["result"]
    assert result.has_errors() or result.has_validation_errors()
    assert response.context.get("confirm_form") is None
    assert zone_data(world, "b") == before
    assert _pks() == before_rows


# --- signups -------------------------------------------------------------------

SIGNUP_LISTS = {
    "signup": set(SignupStatus.values),
    "pendingsignup": {SignupStatus.PENDING},
    "member": {SignupStatus.APPROVED},
}


@pytest.mark.parametrize("model_name", list(SIGNUP_LISTS))
def test_zone_staff_signup_lists_show_own_signups_in_every_status(
    client, world, model_name
):
    response = login(client, world, "staff_a").get(
        reverse(f"admin:registrations_{model_name}_changelist")
    )

    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    for status in SignupStatus.values:
        own = world.main["a"][f"signup:{status}"]
        assert (own in shown) == (status in SIGNUP_LISTS[model_name]), status
        assert world.main["b"][f"signup:{status}"] not in shown, status


@pytest.mark.parametrize("model_name", ["signup", "groupapplication"])
def test_zone_staff_see_applications_for_a_new_group_of_their_zone(
    client, world, model_name
):
    response = login(client, world, "staff_a").get(
        reverse(f"admin:registrations_{model_name}_changelist")
    )

    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert world.main["a"]["application"] in shown
    assert world.main["b"]["application"] not in shown


DECISIONS = {
    "approve": (SignupStatus.PENDING, services.approve_signup, {}),
    "reject": (SignupStatus.PENDING, services.reject_signup, {"reason": "Buiten."}),
    "mark_added": (SignupStatus.APPROVED, services.mark_added, {}),
    "end": (
        SignupStatus.APPROVED,
        services.end_membership,
        {"status": SignupStatus.LEFT},
    ),
}
DECIDED = {
    "approve": lambda signup: signup.status == SignupStatus.APPROVED,
    "reject": lambda signup: signup.status == SignupStatus.REJECTED,
    "mark_added": lambda signup: signup.added_to_whatsapp_at is not None,
    "end": lambda signup: signup.status == SignupStatus.LEFT,
}


@pytest.mark.parametrize("decision", list(DECISIONS))
def test_zone_staff_decides_a_signup_of_their_zone(world, decision):
    status, service, kwargs = DECISIONS[decision]
    signup = Signup.objects.get(pk=world.main["a"][f"signup:{status}"])

    service(signup, by=world.user("staff_a"), **kwargs)

    signup.refresh_from_db()
    assert DECIDED[decision](signup)


@pytest.mark.parametrize("decision", list(DECISIONS))
def test_zone_staff_may_not_decide_a_signup_of_another_zone(world, decision):
    status, service, kwargs = DECISIONS[decision]
    signup = Signup.objects.get(pk=world.main["b"][f"signup:{status}"])
    before = zone_data(world, "b")

    with pytest.raises(PermissionDenied):
        service(signup, by=world.user("staff_a"), **kwargs)

    assert zone_data(world, "b") == before


@pytest.mark.parametrize(
    ("decision", "data", "status"),
    [
        ("approve", {}, SignupStatus.APPROVED),
        ("reject", {"reason": "Woont buiten de zone."}, SignupStatus.REJECTED),
    ],
)
def test_zone_staff_decides_a_signup_of_their_zone_from_its_page(
    client, world, decision, data, status
):
    pk = world.main["a"][f"signup:{SignupStatus.PENDING}"]

    response = login(client, world, "staff_a").post(
        reverse(f"admin:registrations_pendingsignup_{decision}", args=[pk]), data
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse(
        "admin:registrations_pendingsignup_changelist"
    )
    signup = Signup.objects.get(pk=pk)
    assert signup.status == status
    assert signup.decided_by == world.user("staff_a")


# --- a coordinator is not staff ------------------------------------------------

STAFF_ONLY = [
    "groups.policezone",
    "groups.municipality",
    "groups.street",
    "groups.region",
    "groups.meeting",
    "groups.download",
    "registrations.houserules",
    "registrations.groupapplication",
    "registrations.exportrecord",
    "registrations.privacyrequest",
    "auditlog.logentry",
]


def test_coordinator_is_not_zone_staff(world):
    assert not is_zone_staff(world.user("coordinator_a"))
    assert is_zone_staff(world.user("staff_a"))


@pytest.mark.parametrize(
    ("model", "view"),
    [
        pytest.param(model, view, id=f"{model}-{view}")
        for model in STAFF_ONLY
        for view in ("changelist", "add", "change")
    ],
)
def test_coordinator_cannot_open_the_zones_table(client, world, model, view):
    app_label, model_name = model.split(".")
    model_admin = admin.site.get_model_admin(apps.get_model(app_label, model_name))
    args = [one_row(world, model_admin, "a")] if view == "change" else []

    response = login(client, world, "coordinator_a").get(
        reverse(f"admin:{app_label}_{model_name}_{view}", args=args)
    )

    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("model", ["groups.whatsappgroup", "groups.coordinator"])
def test_coordinator_cannot_add_groups_or_coordinators(client, world, model):
    app_label, model_name = model.split(".")

    response = login(client, world, "coordinator_a").get(
        reverse(f"admin:{app_label}_{model_name}_add")
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
