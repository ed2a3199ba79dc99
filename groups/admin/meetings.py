"""Meetings of the coordinators, the invitations and the answers."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..constants import MeetingResponse
from ..models import Meeting, MeetingInvitation
from .base import RecordAdminMixin, ScopedAdmin, ScopedInline, ServiceWritesMixin


class MeetingInvitationInline(RecordAdminMixin, ScopedInline):
    """Who was invited and what they answered: the portal writes it, staff read."""

    model = MeetingInvitation
    extra = 0
    can_delete = False
    fields = ["coordinator", "answer", "responded_at"]
    readonly_fields = fields
    verbose_name_plural = _("invitations and answers")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("coordinator")

    @admin.display(description=_("answer"))
    def answer(self, obj: MeetingInvitation) -> str:
        return obj.get_response_display() or _("not answered yet")


@admin.register(Meeting)
class MeetingAdmin(ServiceWritesMixin, ScopedAdmin):
    list_display = [
        "display_title",
        "starts_at",
        "location",
        "zone",
        "yes_count",
        "no_count",
        "unanswered_count",
    ]
    list_select_related = ["zone"]
    list_filter = [("zone", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "starts_at"
    fields = ["zone", "title", "starts_at", "ends_at", "location", "agenda"]
    inlines = [MeetingInvitationInline]
    actions = ["invite_selected"]
    change_form_template = "admin/groups/meeting/change_form.html"
    save_service = staticmethod(services.save_meeting)
    delete_service = staticmethod(services.delete_meetings)

    def get_queryset(self, request: HttpRequest):
        invitations = {
            "yes_count": Q(invitations__response=MeetingResponse.YES),
            "no_count": Q(invitations__response=MeetingResponse.NO),
            "unanswered_count": Q(invitations__response=""),
        }
        return (
            super()
            .get_queryset(request)
            .annotate(
                **{
                    name: Count("invitations", filter=condition)
                    for name, condition in invitations.items()
                }
            )
            .order_by(*Meeting._meta.ordering)
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="groups_meeting_invite",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("title"), ordering="title")
    def display_title(self, obj: Meeting) -> str:
        return obj.display_title

    @admin.display(description=_("will come"), ordering="yes_count")
    def yes_count(self, obj: Meeting) -> int:
        return obj.yes_count

    @admin.display(description=_("cannot come"), ordering="no_count")
    def no_count(self, obj: Meeting) -> int:
        return obj.no_count

    @admin.display(description=_("not answered yet"), ordering="unanswered_count")
    def unanswered_count(self, obj: Meeting) -> int:
        return obj.unanswered_count

    @admin.action(
        description=_("Invite all active coordinators"), permissions=["change"]
    )
    def invite_selected(self, request: HttpRequest, queryset) -> None:
        self._invite(request, list(queryset))

    def invite_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The button on the change page: the action for one meeting."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            raise Http404
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        self._invite(request, [meeting])
        return redirect("admin:groups_meeting_change", meeting.pk)

    def _invite(self, request: HttpRequest, meetings: list[Meeting]) -> None:
        invited = refused = 0
        for meeting in meetings:
            try:
                invited += services.invite_coordinators(meeting, by=request.user)
            except PermissionDenied:
                refused += 1
                self.message_user(
                    request,
                    _("%(meeting)s: you may not invite to this meeting.")
                    % {"meeting": meeting},
                    messages.ERROR,
                )
            except ValidationError as error:
                refused += 1
                self.message_user(
                    request,
                    f"{meeting}: {' '.join(error.messages)}",
                    messages.WARNING,
                )
        if invited:
            self.message_user(
                request,
                ngettext(
                    "%(count)d coordinator was invited by e-mail.",
                    "%(count)d coordinators were invited by e-mail.",
                    invited,
                )
                % {"count": invited},
                messages.SUCCESS,
            )
        elif not refused:
            self.message_user(
                request,
                _("Every active coordinator of the zone was already invited."),
                messages.INFO,
            )
