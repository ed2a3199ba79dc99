import pytest
from django.utils import timezone
from post_office.models import Email

from registrations.notifications import send_decision
from tests.factories import SignupFactory, WhatsAppGroupFactory

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
