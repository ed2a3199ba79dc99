"""The mail in the admin: undelivered mail for the zone's staff, the outbox.

*Undelivered mail* is what the mail worker could not send, for the zone's
staff. django-post-office registers its own admin of the whole outbox
(superusers only); its "Resend" sends on a POST only (``OutboxEmailAdmin``).

The list is scoped like every list of the apps (``groups.admin.ScopedAdmin``,
which the kernel may not import): it reads ``UndeliveredMail.objects
.visible_to``, the one rule for mails, counts at most 10,000 rows and is
titled by the model's name.
"""

import logging

from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Left
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from post_office.admin import EmailAdmin
from post_office.models import STATUS, Email, EmailTemplate, Log

from ..paginator import CappedCountPaginator
from . import outbox, queue
from .models import UndeliveredMail

logger = logging.getLogger(__name__)


class StateFilter(admin.SimpleListFilter):
    """Given up or still being retried: the two states this list holds."""

    title = _("state")
    parameter_name = "state"
    STATUSES = {"given-up": STATUS.failed, "retrying": STATUS.requeued}

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("given-up", _("given up")), ("retrying", _("being retried"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        status = self.STATUSES.get(self.value())
        return queryset if status is None else queryset.filter(status=status)


@admin.register(UndeliveredMail)
class UndeliveredMailAdmin(admin.ModelAdmin):
    """Read-only: the worker retries by itself; staff may send a given-up mail again."""

    # A superuser's list holds every zone's: no count past 10,000 rows, nor
    # of the whole table beside a filtered list.
    paginator = CappedCountPaginator
    show_full_result_count = False

    list_display = [
        "created",
        "subject",
        "recipients",
        "state",
        "attempts",
        "next_attempt",
        "last_error",
    ]
    list_display_links = ["created", "subject"]
    list_filter = [StateFilter]
    search_fields = ["subject"]
    fields = readonly_fields = [
        "recipients",
        "subject",
        "created",
        "state",
        "attempts",
        "next_attempt",
        "last_error",
        "message",
    ]
    actions = ["send_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        last_log = Log.objects.filter(email=OuterRef("pk")).order_by("-date", "-pk")
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .annotate(
                last_error_type=Subquery(last_log.values("exception_type")[:1]),
                last_error_message=Subquery(
                    last_log.annotate(short=Left("message", 200)).values("short")[:1]
                ),
            )
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        # A mail the worker has not rendered yet is shown rendered (not stored).
        mail = super().get_object(request, object_id, from_field)
        return queue.shown(mail) if mail is not None else None

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # "Undelivered mail", not Django's "Select undelivered mail to view".
        title = capfirst(self.opts.verbose_name_plural)
        return super().changelist_view(
            request, {"title": title, **(extra_context or {})}
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.resend_{opts.model_name}")

    @admin.display(description=_("to"))
    def recipients(self, mail: UndeliveredMail) -> str:
        return ", ".join(mail.to)

    @admin.display(description=_("state"), ordering="status")
    def state(self, mail: UndeliveredMail) -> str:
        if mail.status == STATUS.failed:
            return _("given up")
        return _("being retried")

    @admin.display(description=_("attempts"), ordering="number_of_retries")
    def attempts(self, mail: UndeliveredMail) -> int:
        return mail.number_of_retries or 0

    @admin.display(description=_("next attempt"), ordering="scheduled_time")
    def next_attempt(self, mail: UndeliveredMail):
        return mail.scheduled_time if mail.status == STATUS.requeued else None

    @admin.display(description=_("last error"))
    def last_error(self, mail: UndeliveredMail) -> str:
        kind = getattr(mail, "last_error_type", "") or ""
        message = getattr(mail, "last_error_message", "") or ""
        return f"{kind}: {message}" if kind else message

    @admin.action(description=_("Send again"), permissions=["resend"])
    def send_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = outbox.send_again(queryset)
        logger.info(
            "undelivered mail sent again count=%s actor=%s", count, request.user.pk
        )
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d mail will be sent again.",
                    "%(count)d mails will be sent again.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _(
                    "Only mails that were given up can be sent again; "
                    "the others are still being retried."
                ),
                messages.WARNING,
            )


class OutboxEmailAdmin(EmailAdmin):
    """django-post-office's admin of the outbox, whose "Resend" needs a POST.

    Upstream sends the mail again on a GET of ``<pk>/resend/`` (a link on the
    mail's page): any page a superuser opened, or a prefetching browser,
    could send it. A POST goes through the admin's CSRF check; the page's
    link is a form (templates/admin/post_office/email/change_form.html).
    Its list action (requeue) is an admin action, which Django runs on a POST
    only.

    A mail queued to be rendered later (``queue.render_queued``) is shown
    rendered, and rendered before it is sent again; upstream's list would
    compile its subject from a database template, which ours never have.
    """

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        mail = super().get_object(request, object_id, from_field)
        return queue.shown(mail) if mail is not None else None

    @admin.display(description=_("subject"), ordering="subject")
    def shortened_subject(self, instance: Email) -> str:
        if queue.is_unrendered(instance):
            return _("(rendered when it is sent)")
        return Truncator(instance.subject).chars(100)

    def resend(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        mail = super().get_object(request, str(pk))
        if (
            mail is not None
            and queue.is_unrendered(mail)
            and self.has_change_permission(request, mail)
        ):
            try:
                outbox.render(mail)  # stored, as the worker does before sending
            except queue.NotRendered:
                # What it was about is gone: nothing is sent.
                self.message_user(
                    request, _("This mail can no longer be sent."), messages.ERROR
                )
                return HttpResponseRedirect(
                    reverse("admin:post_office_email_change", args=[pk])
                )
        return super().resend(request, pk)


admin.site.unregister(Email)
admin.site.register(Email, OutboxEmailAdmin)
# The portal keeps no mail templates in the database (ours are files, rendered
# once by wabp_portal.mail.queue): an EmailTemplate typed into the admin would be
# compiled as a Django template, which nothing a person types ever is.
admin.site.unregister(EmailTemplate)
