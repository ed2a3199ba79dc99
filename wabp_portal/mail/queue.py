"""Queue e-mail in the django-post-office outbox, in the caller's transaction.

The mail exists exactly when the change that causes it was committed; the
mail worker sends it (with retries) afterwards, so a failing mail server
delays mail and never loses a change. Both apps send through here.

The mail is rendered once, from our own templates, and stored as the
finished text: here, or (``render_later``) by the mail worker just before it
sends it. It is *not* handed to ``post_office.mail.send``: that compiles the
subject and both bodies as Django templates once more, so a resident called
``{% debug %}`` would have run template code in the mail. Whatever a person
typed is data, never a template.

Rendering later is for the requests that must be quick (the e-loket's
signup): rendering three templates cost a fifth of a signup. The outbox row
then holds what to render, under ``DEFERRED`` in post-office's ``context``:
the template, the language, and the context with each model instance stored
as its label and number, read again when the mail is rendered, so the row
holds no copy of a name (erasing the signup erases what the mail would say).
Its ``template`` stays empty, so post-office's own dispatch never compiles
anything (it renders ``context`` only with a database template); the worker
renders the mail with the same functions as here (``render_queued``), stores
the text and only then sends it. Everything that shows a queued mail (the
admin, the privacy export) renders such a row on view (``shown``).
"""

from datetime import datetime
from email.utils import make_msgid

from django.apps import apps
from django.conf import settings
from django.db import models
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.functional import Promise
from post_office.models import PRIORITY, STATUS, Email
from post_office.settings import get_message_id_fqdn
from post_office.signals import email_queued
from post_office.utils import create_attachments

# The zone a mail was sent for, by id: the one rule that decides which
# zone's staff may see a mail (MailQuerySet.visible_to in .models).
ZONE_HEADER = "X-WABP-Zone"
# The key of post-office's ``context`` under which a mail not yet rendered
# keeps what to render (``render_later``).
DEFERRED = "wabp_render"
# How a model instance is stored in a deferred mail's context.
MODEL_KEY = "__model__"


class NotRendered(Exception):
    """A deferred mail could not be rendered (its data is gone, or a bug)."""


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
    render_later: bool = False,
) -> Email | None:
    """Render ``<template>.{subject.txt,txt,html}`` in the language and queue it.

    ``template`` is a path without extension, e.g. ``groups/email/meeting``;
    ``zone`` (a PoliceZone) signs the mail and receives the replies.
    ``attachments`` maps a file name to ``{"file": File, "mimetype": ...}``;
    ``headers`` are added to the mail's own (an app's marks, never personal).
    ``send_after`` holds the mail until then (the outbox row's
    ``scheduled_time``: the worker takes only mail that is due), so that what
    caused it can still be undone and the mail cancelled.
    ``render_later`` leaves the rendering to the mail worker (see the
    module): the context may then hold model instances (saved ones), text,
    numbers, lists and dicts of them, nothing else.
    """
    to = [address for address in to if address]
    if not to:
        return None
    if render_later:
        subject = text = html = ""
        with translation.override(language):
            stored = {
                DEFERRED: {
                    "template": template,
                    "language": language,
                    "zone": _stored(zone),
                    "context": _stored(context),
                }
            }
    else:
        stored = None
        subject, text, html = render_mail(template, context, language, zone)
    email = Email.objects.create(
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        subject=subject,
        message=text,
        html_message=html,
        headers={**(headers or {}), "Reply-To": zone.email, ZONE_HEADER: str(zone.pk)},
        # Kept for the mail's life, so that a mail sent again after a worker
        # died mid-send carries the same Message-ID and can be recognised.
        message_id=make_msgid(domain=get_message_id_fqdn()),
        priority=PRIORITY.medium,
        status=STATUS.queued,
        scheduled_time=send_after,
        context=stored,
    )
    if attachments:
        email.attachments.add(*create_attachments(_only_files(attachments)))
    email_queued.send(sender=Email, emails=[email])
    return email


def render_mail(template: str, context: dict, language: str, zone) -> tuple:
    """Subject, text and HTML of ``template`` in ``language``, signed by ``zone``."""
    context = {**context, "zone": zone, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = render_plain_text(f"{template}.subject.txt", context)
        text = render_plain_text(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return _one_line(subject), text, html


def is_unrendered(email: Email) -> bool:
    """Whether the mail still waits to be rendered (``render_later``)."""
    return isinstance(email.context, dict) and DEFERRED in email.context


def render_queued(email: Email) -> Email:
    """Render a deferred mail into ``email`` (in memory); the caller stores it.

    The same rendering as ``queue_mail``'s. Raises ``NotRendered`` when a
    model instance the mail names no longer exists (a signup deleted before
    its mail went out: nothing is sent about it); any other failure (a
    broken template) raises as it is.
    """
    if not is_unrendered(email):
        return email
    email.subject, email.message, email.html_message = rendered_parts(email)
    email.context = None
    email._cached_email_message = None
    return email


def rendered_parts(email: Email) -> tuple[str, str, str]:
    """Subject, text and HTML of a deferred mail, as the worker will send them."""
    spec = email.context[DEFERRED]
    return render_mail(
        spec["template"],
        _loaded(spec["context"]),
        spec["language"],
        _loaded(spec["zone"]),
    )


def shown(email: Email) -> Email:
    """The mail as a person reads it: a deferred one rendered in memory, not stored.

    For the screens and exports that show queued mail. A mail that cannot be
    rendered any more (see ``render_queued``) is shown as it is stored.
    """
    if is_unrendered(email):
        try:
            render_queued(email)
        except NotRendered:
            pass
    return email


def _stored(value):
    """``value`` as JSON: a model instance as its label and number."""
    if isinstance(value, models.Model):
        if value.pk is None:
            raise TypeError("an unsaved instance cannot be rendered later")
        return {MODEL_KEY: value._meta.label_lower, "pk": value.pk}
    if isinstance(value, dict):
        return {str(key): _stored(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_stored(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Promise):
        return str(value)  # lazy text, in the mail's language (see queue_mail)
    raise TypeError(f"{type(value).__name__} cannot be rendered later")


def _loaded(value):
    """What ``_stored`` stored, each model instance read again."""
    if isinstance(value, dict):
        if MODEL_KEY in value:
            model = apps.get_model(value[MODEL_KEY])
            instance = model._default_manager.filter(pk=value["pk"]).first()
            if instance is None:
                raise NotRendered(f"{model._meta.label} {value['pk']} is gone")
            return instance
        return {key: _loaded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_loaded(item) for item in value]
    return value


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
