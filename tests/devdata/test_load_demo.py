import pytest
from django.apps import apps
from django.core.management import call_command

from groups.models import Coordinator, Municipality, PoliceZone, Street, WhatsAppGroup
from registrations.constants import SignupRole, SignupStatus
from registrations.models import HouseRules, Signup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _snapshot() -> dict[str, list]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in {"groups", "registrations", "auth", "post_office"}
        and model._meta.model_name not in {"permission"}
    }


def test_load_demo_loads_the_alken_networks():
    call_command("load_demo", verbosity=0)

    zone = PoliceZone.objects.get()
    assert zone.name == "Politiezone kanton Borgloon"
    assert zone.email == "pz.loon.beleid@police.belgium.be"
    alken = Municipality.objects.get(name="Alken")
    assert alken.postcode_list == ["3570"]
    groups = WhatsAppGroup.objects.published()
    assert groups.count() == 9
    assert set(groups.values_list("name", flat=True)) >= {
        "WABP Terkoest",
        "WABP Klameer/Hamee",
        "WABP Terkoest Zuid",
    }
    klameer = groups.get(name="WABP Klameer/Hamee")
    assert klameer.region.name == "Motstraat, Rode Kruisstraat"
    assert set(klameer.region.streets.values_list("name", flat=True)) == {
        "Motstraat",
        "Rode Kruisstraat",
    }
    # The streets the seed names, and the demo street list on top.
    assert Street.objects.count() == 28
    assert not Street.objects.filter(coverage__isnull=True, name="Beukenlaan").exists()
    assert Coordinator.objects.listed().count() == 9
    assert all(c.user and c.user.is_staff for c in Coordinator.objects.all())
    assert HouseRules.objects.current().get().version == 1
    assert Signup.objects.pending().count() >= 5


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    before = _snapshot()

    call_command("load_demo", verbosity=0)

    assert _snapshot() == before


def test_demo_signups_wait_for_their_coordinators():
    call_command("load_demo", verbosity=0)

    pending = Signup.objects.filter(
        status=SignupStatus.PENDING, role=SignupRole.PARTICIPANT
    )
    assert pending.filter(outside_region=True).exists()
    for signup in pending:
        assert signup.house_rules.is_current
        assert signup.group.coordinators.exists()


def test_demo_has_a_new_group_application_and_a_year_of_decisions():
    call_command("load_demo", verbosity=0)

    application = Signup.objects.get(role=SignupRole.COORDINATOR)
    assert application.status == SignupStatus.PENDING
    assert application.group is None
    decided = Signup.objects.filter(decided_at__isnull=False)
    assert decided.filter(status=SignupStatus.APPROVED).count() > 20
    months = {signup.created_at.strftime("%Y-%m") for signup in decided}
    assert len(months) >= 6
