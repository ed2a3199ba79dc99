import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from post_office.models import STATUS, Email

from groups.services import add_zone_staff
from registrations.notifications import send_decision
from tests.factories import (
    CoordinatorFactory,
    PoliceZoneFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)
from wabp_portal.mail.models import Mail, UndeliveredMail
from wabp_portal.mail.queue import queue_mail

pytestmark = pytest.mark.django_db


def test_plain_text_parts_and_subject_are_not_html_escaped():
    group = WhatsAppGroupFactory(name="WABP 't Hof & Co")
    signup = SignupFactory(group=group, status="approved", decided_at=timezone.now())

    send_decision(signup, "signup_approved")

    mail = Email.objects.get()
    assert "WABP 't Hof & Co" in mail.subject
    assert "WABP 't Hof & Co" in mail.message
    assert "&amp;" not in mail.message and "&#x27;" not in mail.message
    # The HTML part still escapes.
    assert "WABP &#x27;t Hof &amp; Co" in mail.html_message


# --- the one scope rule for mails (wabp_portal.mail.models) -------------------


def queued_for(zone) -> Email:
    return queue_mail(
        to=["griet.vanhoudt@example.be"],
        template="registrations/email/confirm_signup",
        context={"confirm_url": "https://example.be/x", "withdraw_url": ""},
        language="nl",
        zone=zone,
    )


def test_zone_staff_see_the_mail_of_each_of_their_zones_and_no_other():
    first, second, other = PoliceZoneFactory.create_batch(3)
    staff = UserFactory()
    add_zone_staff(first, user=staff)
    add_zone_staff(second, user=staff)
    own = [queued_for(first), queued_for(second)]
    queued_for(other)

    visible = Mail.objects.visible_to(staff).values_list("pk", flat=True)
    assert sorted(visible) == sorted(mail.pk for mail in own)


def test_a_mail_without_a_zone_is_a_superusers_only():
    zone = PoliceZoneFactory()
    staff = UserFactory()
    add_zone_staff(zone, user=staff)
    mail = queued_for(zone)
    Email.objects.filter(pk=mail.pk).update(headers={"Reply-To": zone.email})

    assert not Mail.objects.visible_to(staff).exists()
    assert list(Mail.objects.visible_to(UserFactory(is_superuser=True))) == [
        Mail.objects.get(pk=mail.pk)
    ]


def test_coordinators_inactive_staff_and_visitors_see_no_mail():
    zone = PoliceZoneFactory()
    queued_for(zone)
    group = WhatsAppGroupFactory(municipality__zone=zone)
    coordinator = CoordinatorFactory(
        user=UserFactory(is_staff=True), zone=zone, groups=[group]
    )
    inactive = UserFactory(is_active=False)
    add_zone_staff(zone, user=inactive)

    assert not Mail.objects.visible_to(coordinator.user).exists()
    assert not Mail.objects.visible_to(inactive).exists()
    assert not Mail.objects.visible_to(AnonymousUser()).exists()


def test_undelivered_mail_is_scoped_by_the_same_rule():
    zone, other = PoliceZoneFactory.create_batch(2)
    staff = UserFactory()
    add_zone_staff(zone, user=staff)
    own, foreign = queued_for(zone), queued_for(other)
    Email.objects.filter(pk__in=[own.pk, foreign.pk]).update(status=STATUS.failed)

    assert [mail.pk for mail in UndeliveredMail.objects.visible_to(staff)] == [own.pk]
    assert Mail.objects.get(pk=own.pk).zone_id == zone.pk
