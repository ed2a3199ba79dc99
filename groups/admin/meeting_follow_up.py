"""After a meeting: staff record attendance and upload the minutes; the
invited coordinators read their meetings, with the minutes, in the portal.

``MeetingMinutesView`` serves the minutes file itself: never from a public
media URL, only to the zone's staff and the coordinators invited to the
meeting (``Meeting.minutes_visible_to``); anyone else, logged in or not, gets
a 404, as for a meeting that does not exist.
"""

from django import forms
from django.contrib import admin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from wabp_portal.forms import FocusFirstErrorMixin

from ..models import Meeting, MeetingInvitation


class InvitationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: MeetingInvitation) -> str:
        coordinator = obj.coordinator
        answer = obj.get_response_display() or _("not answered")
        return f"{coordinator.first_name} {coordinator.last_name} ({answer})"


class MeetingFollowUpForm(FocusFirstErrorMixin, forms.Form):
    """Who attended (ticked: attended; not ticked: did not) and the minutes."""

    attended = InvitationChoiceField(
        label=_("Attended"),
        queryset=MeetingInvitation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the coordinators who were there."),
    )
    minutes = forms.FileField(
        label=_("Minutes (PDF)"),
        required=False,
        validators=Meeting._meta.get_field("minutes").validators,
        help_text=_(
            "A PDF of at most 10 MB. Only the zone's staff and the invited "
            "coordinators can open it. A new file replaces the previous one."
        ),
    )
    notify = forms.BooleanField(
        label=_("Mail the invited coordinators that the minutes are ready"),
        required=False,
    )

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        invitations = (
            MeetingInvitation.objects.filter(meeting=meeting)
            .select_related("coordinator")
            .order_by("coordinator__last_name", "coordinator__first_name", "pk")
        )
        self.fields["attended"].queryset = invitations
        self.fields["attended"].initial = [
            invitation.pk for invitation in invitations if invitation.attended
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("notify") and not cleaned.get("minutes"):
            self.add_error(
                "notify", _("Upload the minutes to mail the coordinators about them.")
            )
        return cleaned


class MyMeetingsView(TemplateView):
    """A coordinator's meetings: date, title, place, answer, attended, minutes."""

    template_name = "admin/groups/my_meetings.html"

    def get_context_data(self, **kwargs) -> dict:
        user = self.request.user
        invitations = (
            MeetingInvitation.objects.visible_to(user)
            .filter(coordinator__user=user, coordinator__is_active=True)
            .select_related("meeting")
            .order_by("-meeting__starts_at", "pk")
        )
        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": _("My meetings"),
            "invitations": invitations,
        }


class MeetingMinutesView(View):
    """The minutes as a download, for those the meeting's minutes are for."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = Meeting.objects.filter(pk=pk).select_related("zone").first()
        if (
            meeting is None
            or not meeting.minutes
            or not meeting.minutes_visible_to(request.user)
        ):
            raise Http404
        try:
            file = meeting.minutes.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        date = meeting.starts_at.date().isoformat()
        response = FileResponse(
            file,
            as_attachment=True,
            filename=f"verslag-overleg-{date}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        # Not for shared caches: who may read it depends on the login.
        response["Cache-Control"] = "private, no-store"
        return response
