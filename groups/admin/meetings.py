"""Meetings of the coordinators, the invitations and the answers."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..constants import MeetingResponse
from ..models import Meeting, MeetingInvitation
from .base import RecordAdminMixin, ScopedAdmin, ScopedInline, ServiceWritesMixin
from .meeting_follow_up import MeetingFollowUpForm

CANCEL_TEMPLATE = "admin/groups/meeting/cancel_confirmation.html"
FOLLOW_UP_TEMPLATE = "admin/groups/meeting/follow_up.html"


class MeetingInvitationInline(RecordAdminMixin, ScopedInline):
    """Who was invited and what they answered: the portal writes it, staff read."""

    model = MeetingInvitation
    extra = 0
    can_delete = False
    fields = [
        "coordinator",
        "answer",
        "responded_at",
        "has_latest_version",
        "attended",
    ]
    readonly_fields = fields
    verbose_name_plural = _("invitations and answers")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("coordinator", "meeting")

    @admin.display(description=_("answer"))
    def answer(self, obj: MeetingInvitation) -> str:
        if not obj.coordinator.is_active:
            return _("no longer a coordinator")
        return obj.get_response_display() or _("not answered yet")

    @admin.display(description=_("has the latest version"), boolean=True)
    def has_latest_version(self, obj: MeetingInvitation) -> bool:
        return obj.sequence_sent >= obj.meeting.sequence


def answers_summary(meeting: Meeting) -> list[dict]:
    """The answers of a meeting as staff read them: each answer, count, names."""
    groups: dict[str, list[str]] = {"yes": [], "no": [], "": [], "lapsed": []}
    invitations = (
        MeetingInvitation.objects.filter(meeting=meeting)
        .select_related("coordinator")
        .order_by("coordinator__last_name", "coordinator__first_name", "pk")
    )
    for invitation in invitations:
        coordinator = invitation.coordinator
        key = invitation.response if coordinator.is_active else "lapsed"
        groups[key].append(f"{coordinator.first_name} {coordinator.last_name}")
    if not any(groups.values()):
        return []
    labels = {
        "yes": _("Will come"),
        "no": _("Cannot come"),
        "": _("Not answered yet"),
        "lapsed": _("No longer a coordinator"),
    }
    return [
        {"key": key or "none", "label": labels[key], "names": names}
        for key, names in groups.items()
        if names or key != "lapsed"
    ]


@admin.register(Meeting)
class MeetingAdmin(ServiceWritesMixin, ScopedAdmin):
    list_display = [
        "display_title",
        "starts_at",
        "location",
        "zone",
        "state",
        "yes_count",
        "no_count",
        "unanswered_count",
    ]
    list_select_related = ["zone"]
    list_filter = [("zone", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "starts_at"
    fields = ["zone", "title", "starts_at", "ends_at", "location", "agenda"]
    inlines = [MeetingInvitationInline]
    actions = ["invite_selected", "cancel_selected"]
    change_form_template = "admin/groups/meeting/change_form.html"
    delete_service = staticmethod(services.delete_meetings)

    def get_queryset(self, request: HttpRequest):
        # Only the answers of coordinators still in their role count.
        active = Q(invitations__coordinator__is_active=True)
        invitations = {
            "yes_count": active & Q(invitations__response=MeetingResponse.YES),
            "no_count": active & Q(invitations__response=MeetingResponse.NO),
            "unanswered_count": active & Q(invitations__response=""),
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

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # A cancelled meeting is kept as it was announced: read only.
        if obj is not None and obj.is_cancelled:
            return False
        return super().has_change_permission(request, obj)

    def get_fields(self, request: HttpRequest, obj=None):
        if obj is not None and obj.is_cancelled:
            return [*self.fields, "cancelled_at"]
        return super().get_fields(request, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="groups_meeting_invite",
            ),
            path(
                "<path:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name="groups_meeting_cancel",
            ),
            path(
                "<path:object_id>/follow-up/",
                self.admin_site.admin_view(self.follow_up_view),
                name="groups_meeting_follow_up",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        meeting = self.get_object(request, unquote(object_id))
        extra = {"answers": answers_summary(meeting)} if meeting is not None else {}
        return super().change_view(
            request, object_id, form_url, {**extra, **(extra_context or {})}
        )

    @admin.display(description=_("title"), ordering="title")
    def display_title(self, obj: Meeting) -> str:
        return obj.display_title

    @admin.display(description=_("state"))
    def state(self, obj: Meeting) -> str:
        if obj.is_cancelled:
            return _("cancelled")
        if obj.has_started:
            return _("held")
        return _("planned")

    @admin.display(description=_("will come"), ordering="yes_count")
    def yes_count(self, obj: Meeting) -> int:
        return obj.yes_count

    @admin.display(description=_("cannot come"), ordering="no_count")
    def no_count(self, obj: Meeting) -> int:
        return obj.no_count

    @admin.display(description=_("not answered yet"), ordering="unanswered_count")
    def unanswered_count(self, obj: Meeting) -> int:
        return obj.unanswered_count

    # Saving and deleting ---------------------------------------------------

    def save_model(self, request, obj, form, change) -> None:
        saved = services.save_meeting(obj)
        if not change or not saved.changes:
            return
        if obj.has_started:
            self.message_user(
                request,
                _("The meeting has already started: nobody was told of the change."),
                messages.INFO,
            )
        elif saved.told:
            told = ngettext(
                "The change was sent to %(count)d invited coordinator.",
                "The change was sent to %(count)d invited coordinators.",
                saved.told,
            ) % {"count": saved.told}
            if saved.changes.asks_again:
                told += " " + str(
                    _(
                        "The time or the place changed: their answers were cleared "
                        "and the e-mail asks them to answer again."
                    )
                )
            else:
                told += " " + str(_("Their answers stay as they were."))
            self.message_user(request, told, messages.SUCCESS)
        else:
            self.message_user(
                request,
                _("Nobody is invited yet, so nobody was told of the change."),
                messages.INFO,
            )

    def delete_model(self, request, obj) -> None:
        self._deleted(
            request, services.delete_meetings(Meeting.objects.filter(pk=obj.pk))
        )

    def delete_queryset(self, request, queryset) -> None:
        self._deleted(request, services.delete_meetings(queryset))

    def _deleted(self, request, result: services.MeetingsDeleted) -> None:
        if result.told:
            self.message_user(
                request,
                ngettext(
                    "Before it was deleted, %(count)d invited coordinator was told "
                    "that the meeting is cancelled.",
                    "Before it was deleted, %(count)d invited coordinators were told "
                    "that the meeting is cancelled.",
                    result.told,
                )
                % {"count": result.told},
                messages.INFO,
            )

    # Inviting ----------------------------------------------------------------

    @admin.action(
        description=_("Invite all active coordinators"), permissions=["change"]
    )
    def invite_selected(self, request: HttpRequest, queryset) -> None:
        self._invite(request, list(queryset))

    def invite_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The button on the change page: the action for one meeting."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        meeting = self._meeting_to_change(request, object_id)
        self._invite(request, [meeting])
        return redirect("admin:groups_meeting_change", meeting.pk)

    def _meeting_to_change(self, request: HttpRequest, object_id: str) -> Meeting:
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            raise Http404
        # Not of this meeting: a cancelled one says so through the service.
        if not self.has_change_permission(request):
            raise PermissionDenied
        return meeting

    def _invite(self, request: HttpRequest, meetings: list[Meeting]) -> None:
        invited = updated = refused = 0
        for meeting in meetings:
            try:
                result = services.invite_coordinators(meeting, by=request.user)
            except PermissionDenied:
                refused += 1
                self._refused(request, meeting)
            except ValidationError as error:
                refused += 1
                self.message_user(
                    request,
                    f"{meeting}: {' '.join(error.messages)}",
                    messages.WARNING,
                )
            else:
                invited += result.invited
                updated += result.updated
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
        if updated:
            self.message_user(
                request,
                ngettext(
                    "%(count)d invited coordinator had an older version of the "
                    "meeting and got the update.",
                    "%(count)d invited coordinators had an older version of the "
                    "meeting and got the update.",
                    updated,
                )
                % {"count": updated},
                messages.SUCCESS,
            )
        if not invited and not updated and not refused:
            self.message_user(
                request,
                _(
                    "Nobody new to invite: every active coordinator of the zone is "
                    "invited and has the latest version. A change is sent as soon "
                    "as you save it."
                ),
                messages.INFO,
            )

    def _refused(self, request: HttpRequest, meeting: Meeting) -> None:
        self.message_user(
            request,
            _("%(meeting)s: you may not change this meeting.") % {"meeting": meeting},
            messages.ERROR,
        )

    # Cancelling ----------------------------------------------------------------

    @admin.action(description=_("Cancel the meeting"), permissions=["change"])
    def cancel_selected(self, request: HttpRequest, queryset) -> HttpResponse | None:
        meetings = list(queryset.select_related("zone"))
        if request.POST.get("confirm") == "yes":
            self._cancel(request, meetings)
            return None
        return self._cancel_confirmation(request, meetings, from_action=True)

    def cancel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The button on the change page: ask, then cancel on the POST."""
        meeting = self._meeting_to_change(request, object_id)
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            self._cancel(request, [meeting])
            return redirect("admin:groups_meeting_change", meeting.pk)
        return self._cancel_confirmation(request, [meeting], from_action=False)

    def _cancel_confirmation(
        self, request: HttpRequest, meetings: list[Meeting], *, from_action: bool
    ) -> HttpResponse:
        rows = []
        for meeting in meetings:
            to_tell = MeetingInvitation.objects.to_tell().filter(meeting=meeting)
            rows.append({"meeting": meeting, "to_tell": to_tell.count()})
        return TemplateResponse(
            request,
            CANCEL_TEMPLATE,
            {
                **self.admin_site.each_context(request),
                "title": _("Cancel the meeting?"),
                "opts": self.opts,
                "rows": rows,
                "from_action": from_action,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "now": timezone.now(),
            },
        )

    def _cancel(self, request: HttpRequest, meetings: list[Meeting]) -> None:
        for meeting in meetings:
            try:
                told = services.cancel_meeting(meeting, by=request.user)
            except PermissionDenied:
                self._refused(request, meeting)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{meeting}: {' '.join(error.messages)}",
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(meeting)s is cancelled. %(count)d invited coordinator "
                        "was told by e-mail.",
                        "%(meeting)s is cancelled. %(count)d invited coordinators "
                        "were told by e-mail.",
                        told,
                    )
                    % {"meeting": meeting, "count": told},
                    messages.SUCCESS,
                )

    # After the meeting: attendance and minutes ------------------------------

    def follow_up_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Who attended, and the minutes: once the meeting has started."""
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            raise Http404
        if not meeting.can_be_managed_by(request.user):
            raise PermissionDenied
        problem = ""
        if meeting.is_cancelled:
            problem = _(
                "This meeting was cancelled: there is no attendance or minutes."
            )
        elif not meeting.has_started:
            problem = _(
                "The meeting has not started yet: attendance and minutes are "
                "recorded once it has."
            )
        form = None
        if not problem:
            if request.method == "POST":
                form = MeetingFollowUpForm(request.POST, request.FILES, meeting=meeting)
                if form.is_valid() and self._follow_up(request, meeting, form):
                    return redirect("admin:groups_meeting_change", meeting.pk)
            else:
                form = MeetingFollowUpForm(meeting=meeting)
        return TemplateResponse(
            request,
            FOLLOW_UP_TEMPLATE,
            {
                **self.admin_site.each_context(request),
                "title": _("Attendance and minutes"),
                "opts": self.opts,
                "meeting": meeting,
                "form": form,
                "problem": problem,
            },
        )

    def _follow_up(self, request: HttpRequest, meeting: Meeting, form) -> bool:
        data = form.cleaned_data
        try:
            with transaction.atomic():
                attended = services.record_attendance(
                    meeting,
                    present=[invitation.pk for invitation in data["attended"]],
                    by=request.user,
                )
                told = None
                if data["minutes"]:
                    told = services.save_minutes(
                        meeting,
                        file=data["minutes"],
                        by=request.user,
                        notify=data["notify"],
                    )
        except ValidationError as error:
            form.add_error(None, error)
            return False
        self.message_user(
            request,
            ngettext(
                "Attendance saved: %(count)d coordinator attended.",
                "Attendance saved: %(count)d coordinators attended.",
                attended,
            )
            % {"count": attended},
            messages.SUCCESS,
        )
        if told is not None:
            message = str(_("The minutes are saved."))
            if data["notify"]:
                message += " " + ngettext(
                    "%(count)d invited coordinator gets an e-mail.",
                    "%(count)d invited coordinators get an e-mail.",
                    told,
                ) % {"count": told}
            self.message_user(request, message, messages.SUCCESS)
        return True
