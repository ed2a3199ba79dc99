"""Queue e-mail in the django-post-office outbox, in the caller's transaction.

The mail exists exactly when the change that causes it was committed; the
mail worker sends it (with retries) afterwards, so a failing mail server
delays mail and never loses a change. Both apps send through here.

The mail is rendered here, once, from our own templates, and stored as the
finished text. It is *not* handed to ``post_office.mail.send``: that compiles
the subject and both bodies as Django templates once more, so a resident
called ``{% debug %}`` would have run template code in the mail. Whatever a
person typed is data, never a template.
"""

from datetime import datetime
from email.utils import make_msgid

from django.conf import settings
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from post_office.models import PRIORITY, STATUS, Email
from post_office.settings import get_message_id_fqdn
from post_office.signals import email_queued
from post_office.utils import create_attachments

# The zone a mail was sent for, by id: the one rule that decides which
# zone's staff may see a mail (MailQuerySet.visible_to in .models).
ZONE_HEADER = "X-WABP-Zone"


def queue_mail(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str,
    zone,
    attachments: dict | None = None,
    headers: dict[str, str] | None = None,
    send_after: datetime | None = None,
) -> Email | None:
    """Render ``<template>.{subject.txt,txt,html}`` in the language and queue it.

    ``template`` is a path without extension, e.g. ``groups/email/meeting``;
    ``zone`` (a PoliceZone) signs the mail and receives the replies.
    ``attachments`` maps a file name to ``{"file": File, "mimetype": ...}``;
    ``headers`` are added to the mail's own (an app's marks, never personal).
    ``send_after`` holds the mail until then (the outbox row's
    ``scheduled_time``: the worker takes only mail that is due), so that what
    caused it can still be undone and the mail cancelled.
    """
    to = [address for address in to if address]
    if not to:
        return None
    context = {**context, "zone": zone, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = render_plain_text(f"{template}.subject.txt", context)
        text = render_plain_text(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    email = Email.objects.create(
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        subject=_one_line(subject),
        message=text,
        html_message=html,
        headers={**(headers or {}), "Reply-To": zone.email, ZONE_HEADER: str(zone.pk)},
        # Kept for the mail's life, so that a mail sent again after a worker
        # died mid-send carries the same Message-ID and can be recognised.
        message_id=make_msgid(domain=get_message_id_fqdn()),
        priority=PRIORITY.medium,
        status=STATUS.queued,
        scheduled_time=send_after,
    )
    if attachments:
        email.attachments.add(*create_attachments(_only_files(attachments)))
    email_queued.send(sender=Email, emails=[email])
    return email


def _one_line(subject: str) -> str:
    """The subject on one line, cut to what the outbox stores (989 characters)."""
    limit = Email._meta.get_field("subject").max_length
    return " ".join(subject.split())[:limit]


def _only_files(attachments: dict) -> dict:
    """post-office opens a *string* as a path on disk: we only pass files."""
    for name, data in attachments.items():
        content = data.get("file") if isinstance(data, dict) else data
        if isinstance(content, str):
            raise TypeError(f"attachment {name!r} must be a file, not a path")
    return attachments


def render_plain_text(name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping.

    A group called "WABP 't Hof" must read so in the subject and the text
    part, not "WABP &#x27;t Hof".
    """
    return get_template(name).template.render(Context(context, autoescape=False))
