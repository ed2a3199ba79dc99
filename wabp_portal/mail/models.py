"""The outbox as our screens and services read it, with its one scope rule.

The outbox is django-post-office's ``Email`` table; ``Mail`` and
``UndeliveredMail`` are proxies of it, so they add no table. They belong to
the kernel app (``wabp_portal``), whose models module imports them.
"""

from typing import Self

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from post_office.models import STATUS, Email

from .queue import ZONE_HEADER


class MailQuerySet(models.QuerySet):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> Self:
        """Superuser: all; zone staff: mail sent on behalf of their zones.

        The one rule for the outbox: a mail belongs to the zone whose id
        ``queue_mail`` wrote in its ZONE_HEADER when it was queued, never to
        an address (a zone's e-mail address is theirs to edit). A mail
        without that header is a superuser's only.

        The kernel imports no app, so the user's zones are read through the
        accessor that ``groups.PoliceZone.staff`` gives every user
        (``related_name="police_zones"``), as the admin's index page does.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.in_zones(user.police_zones.values_list("pk", flat=True))

    def in_zones(self, zone_ids) -> Self:
        return self.filter(
            **{f"headers__{ZONE_HEADER}__in": [str(pk) for pk in zone_ids]}
        )


class Mail(Email):
    """A mail of the outbox, as our screens and services read it."""

    objects = MailQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        default_permissions = ()

    @property
    def zone_id(self) -> int | None:
        """The zone the mail was sent for (see MailQuerySet.visible_to)."""
        headers = self.headers if isinstance(self.headers, dict) else {}
        try:
            return int(headers.get(ZONE_HEADER, ""))
        except ValueError:
            return None


class UndeliveredMailQuerySet(MailQuerySet):
    pass


class UndeliveredMailManager(models.Manager.from_queryset(UndeliveredMailQuerySet)):
    def get_queryset(self) -> UndeliveredMailQuerySet:
        return (
            super().get_queryset().filter(status__in=[STATUS.failed, STATUS.requeued])
        )


class UndeliveredMail(Mail):
    """A mail of the outbox that failed: still being retried, or given up.

    The mail worker (``wabp_portal.mail.outbox``) retries with a growing delay
    and gives up after ``MAIL_MAX_ATTEMPTS``; staff see both here and can send
    a given-up mail again once the cause (a typo in the address, a full
    mailbox, the mail server) is fixed.
    """

    objects = UndeliveredMailManager()

    class Meta:
        proxy = True
        verbose_name = _("undelivered mail")
        verbose_name_plural = _("undelivered mail")
        ordering = ["-created", "-pk"]
        # Nobody adds, edits or deletes a mail here; staff may send it again.
        default_permissions = ("view",)
        permissions = [("resend_undeliveredmail", _("Can send undelivered mail again"))]
