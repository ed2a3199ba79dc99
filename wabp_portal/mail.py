"""Queue e-mail in the django-post-office outbox, in the caller's transaction.

The mail exists exactly when the change that causes it was committed; the
mail worker sends it (with retries) afterwards, so a failing mail server
delays mail and never loses a change. Both apps send through here.
"""

from django.conf import settings
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from post_office import mail

ZONE_HEADER = "X-WABP-Zone"


def queue_mail(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str,
    zone,
    attachments: dict | None = None,
) -> None:
    """Render ``<template>.{subject.txt,txt,html}`` in the language and queue it.

    ``template`` is a path without extension, e.g. ``groups/email/meeting``;
    ``zone`` (a PoliceZone) signs the mail and receives the replies.
    """
    to = [address for address in to if address]
    if not to:
        return
    context = {**context, "zone": zone, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = render_plain_text(f"{template}.subject.txt", context)
        text = render_plain_text(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    mail.send(
        recipients=to,
        sender=settings.DEFAULT_FROM_EMAIL,
        subject=" ".join(subject.split()),
        message=text,
        html_message=html,
        # ZONE_HEADER lets the zone's staff, and only them, see the mail if
        # it cannot be delivered (registrations.UndeliveredMail).
        headers={"Reply-To": zone.email, ZONE_HEADER: str(zone.pk)},
        priority="medium",
        attachments=attachments,
    )


def render_plain_text(name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping.

    A group called "WABP 't Hof" must read so in the subject and the text
    part, not "WABP &#x27;t Hof".
    """
    return get_template(name).template.render(Context(context, autoescape=False))
