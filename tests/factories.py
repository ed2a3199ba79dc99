"""factory_boy factories, one per model, each building a valid row.

Related rows are kept consistent: a street's postcode is one of its
municipality's, a neighbourhood group's region lies in the group's
municipality, a signup accepts the current house rules of its group's zone.
"""

from zoneinfo import ZoneInfo

import factory
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from groups.constants import GroupKind, NumberParity
from groups.models import (
    Coordinator,
    Download,
    Meeting,
    MeetingInvitation,
    Municipality,
    PoliceZone,
    Region,
    RegionStreet,
    Street,
    WhatsAppGroup,
    normalize_street_name,
)
from registrations.constants import ExportKind, ReminderKind, SignupRole, SignupStatus
from registrations.models import (
    ExportRecord,
    HouseRules,
    Reminder,
    Signup,
    StatusChange,
    WaitingListEntry,
)

BRUSSELS = ZoneInfo("Europe/Brussels")


def fake(provider: str, **kwargs) -> factory.Faker:
    return factory.Faker(provider, locale="nl_BE", **kwargs)


class PoliceZoneFactory(DjangoModelFactory):
    class Meta:
        model = PoliceZone

    name = factory.Sequence(lambda n: f"PZ Zone {n}")
    contact_name = fake("name")
    email = factory.Sequence(lambda n: f"info{n}@politiezone.example")
    phone = factory.Sequence(lambda n: f"+3211{n % 1_000_000:06d}")
    website = "https://www.politie.be/5380"


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    zone = factory.SubFactory(PoliceZoneFactory)
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    # Two distinct four-digit postcodes, the first one used by default.
    postcodes = factory.Sequence(
        lambda n: f"{3000 + (2 * n) % 6000}, {3001 + (2 * n) % 6000}"
    )


class StreetFactory(DjangoModelFactory):
    class Meta:
        model = Street

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Straat {n}")
    postcode = factory.LazyAttribute(lambda o: o.municipality.postcode_list[0])
    # Street.clean() derives it; factories skip clean(), so derive it here too.
    search_name = factory.LazyAttribute(lambda o: normalize_street_name(o.name))


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Wijk {n}")
    description = ""


class RegionStreetFactory(DjangoModelFactory):
    class Meta:
        model = RegionStreet

    region = factory.SubFactory(RegionFactory)
    street = factory.SubFactory(
        StreetFactory, municipality=factory.SelfAttribute("..region.municipality")
    )
    parity = NumberParity.ALL
    number_from = None
    number_to = None


class WhatsAppGroupFactory(DjangoModelFactory):
    """A neighbourhood group covering a region of its own municipality."""

    class Meta:
        model = WhatsAppGroup

    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.SubFactory(
        RegionFactory, municipality=factory.SelfAttribute("..municipality")
    )
    kind = GroupKind.NEIGHBOURHOOD
    name = factory.Sequence(lambda n: f"WABP Wijk {n}")
    invite_link = factory.Sequence(
        lambda n: f"https://chat.whatsapp.com/InviteCode{n:010d}"
    )


class UmbrellaGroupFactory(WhatsAppGroupFactory):
    kind = GroupKind.UMBRELLA
    region = None
    name = factory.Sequence(lambda n: f"Koepel coördinatoren {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = fake("first_name")
    last_name = fake("last_name")
    email = factory.Sequence(lambda n: f"user{n}@example.be")
    password = factory.django.Password("correct horse battery staple")


class CoordinatorFactory(DjangoModelFactory):
    """A coordinator; pass ``groups=[...]`` (and their ``zone``) to link groups."""

    class Meta:
        model = Coordinator
        skip_postgeneration_save = True

    zone = factory.SubFactory(PoliceZoneFactory)
    first_name = fake("first_name")
    last_name = fake("last_name")
    email = factory.Sequence(lambda n: f"coordinator{n}@example.be")
    phone = factory.Sequence(lambda n: f"+32471{n % 1_000_000:06d}")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(extracted)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    zone = factory.SubFactory(PoliceZoneFactory)
    starts_at = fake("future_datetime", end_date="+90d", tzinfo=BRUSSELS)
    location = "Gemeentehuis, raadzaal"
    agenda = ""


class MeetingInvitationFactory(DjangoModelFactory):
    """An unanswered invitation of a coordinator of the meeting's zone."""

    class Meta:
        model = MeetingInvitation

    meeting = factory.SubFactory(MeetingFactory)
    coordinator = factory.SubFactory(
        CoordinatorFactory, zone=factory.SelfAttribute("..meeting.zone")
    )


class DownloadFactory(DjangoModelFactory):
    class Meta:
        model = Download

    zone = factory.SubFactory(PoliceZoneFactory)
    title = factory.Sequence(lambda n: f"Presentatie {n}")
    file = factory.django.FileField(filename="presentatie.pdf", data=b"%PDF-1.4\n")


class HouseRulesFactory(DjangoModelFactory):
    """The current house rules of a zone (only one per zone may be current)."""

    class Meta:
        model = HouseRules

    zone = factory.SubFactory(PoliceZoneFactory)
    version = factory.Sequence(lambda n: n + 1)
    title = "Huishoudelijk reglement WABP"
    body = "Wees beleefd.\n\nDeel geen persoonsgegevens."
    is_current = True


def current_house_rules(zone: PoliceZone) -> HouseRules:
    """The zone's current house rules, created if it has none yet."""
    if zone.pk is None:  # SignupFactory.build(): nothing is saved
        return HouseRulesFactory.build(zone=zone)
    return HouseRules.objects.filter(
        zone=zone, is_current=True
    ).first() or HouseRulesFactory(zone=zone)


class SignupFactory(DjangoModelFactory):
    """A participant whose e-mail is confirmed and who waits for a decision."""

    class Meta:
        model = Signup

    role = SignupRole.PARTICIPANT
    status = SignupStatus.PENDING
    group = factory.SubFactory(WhatsAppGroupFactory)
    municipality = factory.SelfAttribute("group.municipality")
    first_name = fake("first_name")
    last_name = fake("last_name")
    street_name = fake("street_name")
    house_number = fake("building_number")
    postcode = factory.LazyAttribute(lambda o: o.municipality.postcode_list[0])
    phone = factory.Sequence(lambda n: f"+32470{n % 1_000_000:06d}")
    email = factory.Sequence(lambda n: f"bewoner{n}@example.be")
    house_rules = factory.LazyAttribute(
        lambda o: current_house_rules(o.municipality.zone)
    )
    house_rules_accepted_at = factory.LazyFunction(timezone.now)
    privacy_accepted_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class StatusChangeFactory(DjangoModelFactory):
    """The step that brought a signup into its e-mail-confirmed state."""

    class Meta:
        model = StatusChange

    signup = factory.SubFactory(SignupFactory)
    from_status = SignupStatus.UNCONFIRMED
    to_status = SignupStatus.PENDING
    actor = None


class ExportRecordFactory(DjangoModelFactory):
    class Meta:
        model = ExportRecord
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    kind = ExportKind.CSV
    count = 1

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(extracted)


class ReminderFactory(DjangoModelFactory):
    class Meta:
        model = Reminder

    coordinator = factory.SubFactory(CoordinatorFactory)
    kind = ReminderKind.PENDING
    day = factory.LazyFunction(timezone.localdate)


class ApplicationFactory(SignupFactory):
    """A confirmed application to coordinate a new group, waiting for the zone."""

    role = SignupRole.COORDINATOR
    group = None
    municipality = factory.SubFactory(MunicipalityFactory)
    proposed_group_name = factory.Sequence(lambda n: f"WABP Nieuwe Wijk {n}")
    proposed_area = "Motstraat en Rode Kruisstraat"


class WaitingListEntryFactory(DjangoModelFactory):
    """A confirmed entry on the waiting list, for a street the portal knows."""

    class Meta:
        model = WaitingListEntry

    street = factory.SubFactory(StreetFactory)
    municipality = factory.SelfAttribute("street.municipality")
    street_name = factory.SelfAttribute("street.name")
    street_key = factory.LazyAttribute(lambda o: normalize_street_name(o.street_name))
    house_number = ""
    email = factory.Sequence(lambda n: f"wachtend{n}@example.be")
    confirmed_at = factory.LazyFunction(timezone.now)
