"""Load the demo municipality: the real networks of Alken and demo accounts.

Idempotent: every object is looked up by its natural key first, so running the
command twice changes nothing. The demo passwords are for demonstration only.
"""

import csv
import random
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from groups import network_cache
from groups.constants import GroupKind
from groups.models import (
    Coordinator,
    Municipality,
    PoliceZone,
    Region,
    RegionStreet,
    WhatsAppGroup,
)
from groups.services import (
    add_zone_staff,
    import_street,
    import_streets_csv,
    link_coordinator_login,
    link_municipalities,
)
from registrations.constants import SignupRole
from registrations.models import HouseRules, Signup
from registrations.services import (
    SignupRequest,
    approve_signup,
    confirm_signup,
    create_signup,
    reject_signup,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
NETWORKS_CSV = DATA_DIR / "alken_networks.csv"
STREETS_CSV = DATA_DIR / "alken_streets_demo.csv"

# Demo only: one street for each ward region, which the seed names no streets of.
DEMO_WARD_STREETS = {
    "Terkoest": "Terkoeststraat",
    "Sint-Joris": "Sint-Jorisstraat",
    "Kolmen": "Kolmenstraat",
    "Waterkant": "Waterkantstraat",
    "Langveld": "Langveldstraat",
}
HISTORY_SIZE = 36
DEMO_FIRST_NAMES = ["An", "Bram", "Els", "Jonas", "Lien", "Pieter", "Sara", "Wout"]
DEMO_LAST_NAMES = ["Claes", "Janssens", "Maes", "Peeters", "Smets", "Wouters"]

# Demo accounts only, documented in the README (accepted bandit finding).
DEMO_PASSWORD = "wabp-demo-2026"  # noqa: S105  # nosec B105
STAFF_USERNAME = "politie"
ZONE_CONTACT = {
    "contact_name": "Annekatrien Gacoms",
    "email": "pz.loon.beleid@police.belgium.be",
}


class Command(BaseCommand):
    help = "Load the demo networks of Alken, demo accounts and pending signups."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            zone = self.load_networks()
            self.load_streets(zone)
            # Alken as Statbel lists it: NIS code, French name, postcodes.
            link_municipalities(Municipality.objects.filter(zone=zone))
            staff = self.load_staff(zone)
            house_rules = self.load_house_rules(zone)
            self.load_signups(zone, house_rules)
            self.load_history(zone, house_rules, staff)
            self.load_application(zone, house_rules)
            # Written without the services, as development data is: the
            # public table's cache is told here that the table changed.
            network_cache.invalidate()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded. Log in at /admin/ as '{STAFF_USERNAME}' "
                f"(police zone) or a coordinator, password '{DEMO_PASSWORD}'."
            )
        )

    def load_networks(self) -> PoliceZone:
        with NETWORKS_CSV.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        zone = None
        for order, row in enumerate(rows, start=1):
            zone, _ = PoliceZone.objects.get_or_create(
                name=row["police_zone"], defaults=ZONE_CONTACT
            )
            municipality, _ = Municipality.objects.get_or_create(
                zone=zone,
                name=row["municipality"],
                defaults={
                    "slug": slugify(row["municipality"]),
                    "postcodes": row["postcode"],
                },
            )
            region, _ = Region.objects.get_or_create(
                municipality=municipality, name=row["region"]
            )
            for street_name in filter(None, row["streets"].split(";")):
                street = import_street(
                    municipality, name=street_name, postcode=row["postcode"]
                )
                RegionStreet.objects.get_or_create(
                    region=region,
                    street=street,
                    number_from=None,
                    number_to=None,
                )
            group, _ = WhatsAppGroup.objects.get_or_create(
                municipality=municipality,
                name=row["group"],
                defaults={
                    "region": region,
                    "display_order": order,
                    "invite_link": demo_invite_link(row["group"], order),
                },
            )
            self.load_umbrella_group(municipality)
            self.load_coordinator(zone, group, row["coordinator"], order)
        if zone is None:
            raise CommandError("The networks file is empty.")
        return zone

    def load_coordinator(
        self, zone: PoliceZone, group: WhatsAppGroup, name: str, order: int
    ) -> None:
        first_name, _, last_name = name.strip().partition(" ")
        username = f"{slugify(first_name)}.{slugify(last_name)}"
        coordinator, _ = Coordinator.objects.get_or_create(
            zone=zone,
            email=f"{username}@example.org",
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "phone": f"+3247010{order:04d}",
                "listed_publicly": True,
            },
        )
        coordinator.groups.add(group)
        umbrella = WhatsAppGroup.objects.filter(
            municipality=group.municipality, kind=GroupKind.UMBRELLA
        ).first()
        if umbrella:
            coordinator.groups.add(umbrella)
        if coordinator.user is None:
            user = self.demo_user(username, first_name, last_name, coordinator.email)
            link_coordinator_login(coordinator, user=user)

    def load_umbrella_group(self, municipality: Municipality) -> None:
        WhatsAppGroup.objects.get_or_create(
            municipality=municipality,
            kind=GroupKind.UMBRELLA,
            defaults={
                "name": f"WABP {municipality.name} coördinatoren",
                "is_public": False,
                "invite_link": demo_invite_link("umbrella", 0),
            },
        )

    def load_streets(self, zone: PoliceZone) -> None:
        """A demo street list in the address register's format, and the wards'.

        The list is a sample for the demo, not Alken's official register: staff
        import the real one from the register (see the README).
        """
        municipality = Municipality.objects.get(zone=zone, name="Alken")
        import_streets_csv(municipality, STREETS_CSV.read_bytes())
        for region_name, street_name in DEMO_WARD_STREETS.items():
            region = Region.objects.get(municipality=municipality, name=region_name)
            street = municipality.streets.get(name=street_name)
            RegionStreet.objects.get_or_create(
                region=region, street=street, number_from=None, number_to=None
            )

    def load_staff(self, zone: PoliceZone) -> User:
        user = self.demo_user(
            STAFF_USERNAME, "Demo", "Politiezone", "politie@example.org"
        )
        if not zone.staff.filter(pk=user.pk).exists():
            add_zone_staff(zone, user=user)
        return user

    def demo_user(
        self, username: str, first_name: str, last_name: str, email: str
    ) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": email,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def load_house_rules(self, zone: PoliceZone) -> HouseRules:
        text = (DATA_DIR / "demo_house_rules_nl.txt").read_text(encoding="utf-8")
        title, _, body = text.partition("\n\n")
        house_rules, _ = HouseRules.objects.get_or_create(
            zone=zone,
            version=1,
            defaults={"title": title.strip(), "body": body.strip(), "is_current": True},
        )
        return house_rules

    def load_signups(self, zone: PoliceZone, house_rules: HouseRules) -> None:
        with (DATA_DIR / "demo_signups.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            if Signup.objects.filter(email=row["email"]).exists():
                continue
            group = WhatsAppGroup.objects.select_related("municipality").get(
                municipality__zone=zone, name=row["group"]
            )
            signup, _ = create_signup(
                SignupRequest(
                    role=SignupRole.PARTICIPANT,
                    group=group,
                    municipality=group.municipality,
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    street_name=row["street"],
                    house_number=row["house_number"],
                    postcode=group.municipality.postcode_list[0],
                    phone=row["phone"],
                    email=row["email"],
                    house_rules=house_rules,
                    language="nl",
                )
            )
            confirm_signup(signup)

    def load_history(
        self, zone: PoliceZone, house_rules: HouseRules, staff: User
    ) -> None:
        """A year of decided signups, so the statistics have something to show.

        Generated from a fixed seed with made-up names (example.org addresses).
        """
        # A made-up demo history, not security (accepted bandit finding).
        rng = random.Random(3570)  # nosec B311
        now = timezone.now()
        groups = list(
            WhatsAppGroup.objects.published()
            .filter(municipality__zone=zone)
            .select_related("municipality", "region")
            .order_by("display_order")
        )
        streets = {
            group.pk: list(group.region.streets.values_list("name", flat=True))
            for group in groups
        }
        for number in range(1, HISTORY_SIZE + 1):
            email = f"demo.member{number}@example.org"
            if Signup.objects.filter(email=email).exists():
                continue
            group = groups[rng.randrange(len(groups))]
            street = rng.choice(streets[group.pk] or ["Stationsstraat"])
            signup, _ = create_signup(
                SignupRequest(
                    role=SignupRole.PARTICIPANT,
                    group=group,
                    municipality=group.municipality,
                    first_name=rng.choice(DEMO_FIRST_NAMES),
                    last_name=rng.choice(DEMO_LAST_NAMES),
                    street_name=street,
                    house_number=str(rng.randint(1, 120)),
                    postcode=group.municipality.postcode_list[0],
                    phone=f"+3247020{number:04d}",
                    email=email,
                    house_rules=house_rules,
                    language="nl",
                )
            )
            signup = confirm_signup(signup)
            rejected = rng.random() < 0.1
            if rejected:
                reject_signup(signup, by=staff, reason="Adres buiten Alken.")
            else:
                approve_signup(signup, by=staff)
            # Spread over the past year: submitted, confirmed within a day,
            # decided after a few days.
            submitted = now - timedelta(
                days=rng.randint(5, 360), hours=rng.randint(0, 23)
            )
            confirmed = submitted + timedelta(hours=rng.randint(1, 20))
            decided = confirmed + timedelta(days=rng.choice([0, 1, 1, 2, 3, 5, 8, 13]))
            Signup.objects.filter(pk=signup.pk).update(
                created_at=submitted,
                confirmed_at=confirmed,
                decided_at=decided,
                added_to_whatsapp_at=None if rejected else decided,
                ended_at=decided if rejected else None,
            )

    def load_application(self, zone: PoliceZone, house_rules: HouseRules) -> None:
        """A resident who applies to start a group for an uncovered street."""
        email = "hanne.vos@example.org"
        if Signup.objects.filter(email=email).exists():
            return
        municipality = Municipality.objects.get(zone=zone, name="Alken")
        signup, _ = create_signup(
            SignupRequest(
                role=SignupRole.COORDINATOR,
                municipality=municipality,
                first_name="Hanne",
                last_name="Vos",
                street_name="Kerkstraat",
                house_number="14",
                postcode=municipality.postcode_list[0],
                phone="+32470100299",
                email=email,
                house_rules=house_rules,
                language="nl",
                proposed_group_name="WABP Kerkveld",
                proposed_area="Kerkstraat, Schoolstraat en Molenstraat",
            )
        )
        confirm_signup(signup)


def demo_invite_link(name: str, order: int) -> str:
    code = "".join(character for character in slugify(name) if character.isalnum())
    return f"https://chat.whatsapp.com/DEMO{code[:20]}{order:04d}"
