"""Members of the coordinator's groups, their exports and the record of those."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.admin import (
    RecordAdminMixin,
    ScopedAdmin,
    ScopedAdminMixin,
    ScopedRelatedFilter,
)

from .. import exports, services
from ..constants import ExportKind, SignupStatus
from ..models import ExportRecord, Member, Signup
from .filters import AddedToWhatsAppFilter
from .house_rules import HouseRulesVersionFilter, house_rules_version
from .signups import BaseSignupAdmin

# Which signups the undo view puts back (a row's button, the message's form).
UNDO_FIELD = "signup"
# Beyond this many, the message links to the list rather than holding a form
# with every number (messages are kept in the session).
UNDO_BUTTON_LIMIT = 200
ENDED_PARAMETER = "beeindigd"
ENDED_RECENTLY = "recent"


def showing_ended(request: HttpRequest) -> bool:
    return request.GET.get(ENDED_PARAMETER) == ENDED_RECENTLY


def ended_list_url() -> str:
    return (
        reverse("admin:registrations_member_changelist")
        + f"?{ENDED_PARAMETER}={ENDED_RECENTLY}"
    )


def ending_intro() -> str:
    hours = int(services.undo_window().total_seconds() // 3600)
    return ngettext(
        "They are e-mailed that their membership ended, but only after "
        "%(hours)d hour: until then you can undo it (Members, filter "
        '"Recently ended, can be undone").',
        "They are e-mailed that their membership ended, but only after "
        "%(hours)d hours: until then you can undo it (Members, filter "
        '"Recently ended, can be undone").',
        hours,
    ) % {"hours": hours}


class EndedFilter(admin.SimpleListFilter):
    """Current members, or those whose end can still be undone.

    The filter only names the view; ``MemberAdmin.get_queryset`` reads it,
    because the ended are not among the members the list starts from.
    """

    title = _("membership")
    parameter_name = ENDED_PARAMETER

    def lookups(self, request, model_admin):
        return [(ENDED_RECENTLY, _("Recently ended, can be undone"))]

    def queryset(self, request, queryset):
        return queryset

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Current members"),
        }
        yield {
            "selected": self.value() == ENDED_RECENTLY,
            "query_string": changelist.get_query_string(
                {self.parameter_name: ENDED_RECENTLY}
            ),
            "display": _("Recently ended, can be undone"),
        }


def remind_to_reset_invite_links(model_admin, request, groups) -> None:
    """Someone was removed: whoever holds the group's link can join again."""
    for group in sorted(groups, key=lambda group: group.name):
        model_admin.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "Reset the WhatsApp invite link of %(group)s, so that the "
                    "old link no longer lets anyone in: in WhatsApp, open the "
                    "group info > Invite via link > Reset link. Then copy the "
                    "new link into the portal."
                )
                % {"group": group.name},
                reverse("admin:groups_whatsappgroup_invite_link", args=[group.pk]),
                _("Paste the new invite link"),
            ),
            messages.WARNING,
        )


@admin.register(Member)
class MemberAdmin(BaseSignupAdmin):
    """Members of the coordinator's groups: mark added, end, export."""

    status = SignupStatus.APPROVED
    list_display = [
        "full_name",
        "phone_link",
        "whatsapp_added",
        "group",
        "address",
        "email",
        # The approval date is on the member's page: at 1280 px the list
        # has room for the house-rules version or for it, not for both.
        house_rules_version,
    ]
    list_select_related = ["group", "municipality", "house_rules"]
    list_filter = [
        ("group", ScopedRelatedFilter),
        AddedToWhatsAppFilter,
        HouseRulesVersionFilter,
    ]
    ordering = ["group__name", "last_name", "first_name"]
    actions = [
        "mark_added_selected",
        "export_csv",
        "export_vcard",
        "mark_left_selected",
        "mark_removed_selected",
        "restore_selected",
    ]

    # --- the members whose end can still be undone ---------------------------

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), EndedFilter]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        if showing_ended(request):
            # The members of the caller's scope who left or were removed in
            # the last MEMBERSHIP_UNDO_HOURS (the EndedFilter's view).
            return services.ended_recently(
                ScopedAdmin.get_queryset(self, request)
            ).order_by("-ended_at", "pk")
        return super().get_queryset(request)

    def changelist_view(self, request, extra_context=None):
        # The cards a phone shows (change_list.html) follow the same view.
        return super().changelist_view(
            request,
            {
                **(extra_context or {}),
                "showing_ended": showing_ended(request),
                "undo_field": UNDO_FIELD,
            },
        )

    def get_list_display(self, request):
        if showing_ended(request):
            return ["full_name", "status", "group", "ended_at", "undo_until", "undo"]
        return super().get_list_display(request)

    def get_list_display_links(self, request, list_display):
        if showing_ended(request):
            return None  # an ended signup is read in "All signups"
        return super().get_list_display_links(request, list_display)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if showing_ended(request):
            return {"restore_selected": actions["restore_selected"]}
        actions.pop("restore_selected", None)
        return actions

    @admin.display(description=_("can be undone until"))
    def undo_until(self, obj: Signup) -> str:
        deadline = services.undo_deadline(obj)
        if deadline is None:
            return "—"
        return date_format(timezone.localtime(deadline), "DATETIME_FORMAT")

    @admin.display(description=_("undo"))
    def undo(self, obj: Signup) -> str:
        # A button of the list's own form, sent to the undo view instead.
        return format_html(
            '<button type="submit" class="button" formaction="{}" name="{}" '
            'value="{}" aria-label="{}">{}</button>',
            reverse("admin:registrations_member_undo"),
            UNDO_FIELD,
            obj.pk,
            _("Undo ending the membership of %(name)s") % {"name": obj},
            _("Undo"),
        )

    def added_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """One tap: the coordinator added this member to the WhatsApp group."""
        if request.method != "POST":
            return redirect("admin:registrations_member_change", pk)
        member = self._own(request, pk)
        self._run(
            request,
            Signup.objects.filter(pk=member.pk),
            services.mark_added,
            _("%(count)d member(s) marked as added."),
        )
        # Back to the list as it was filtered (our own path, only its query).
        changelist = reverse("admin:registrations_member_changelist")
        query = request.GET.urlencode()
        return redirect(f"{changelist}?{query}" if query else changelist)

    @admin.display(description=_("Added to WhatsApp"), ordering="added_to_whatsapp_at")
    def whatsapp_added(self, obj: Member) -> str:
        if obj.added_to_whatsapp_at:
            return formats.date_format(
                timezone.localtime(obj.added_to_whatsapp_at), "SHORT_DATE_FORMAT"
            )
        # A button of the list's own form (which carries the CSRF token).
        return format_html(
            '<button type="submit" class="button" formaction="{}" '
            'formnovalidate>{}<span class="visually-hidden">: {}</span></button>',
            reverse("admin:registrations_member_added", args=[obj.pk]),
            _("Added to WhatsApp"),
            obj.full_name,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/added/",
                self.admin_site.admin_view(self.added_view),
                name="registrations_member_added",
            ),
            path(
                "ongedaan-maken/",
                self.admin_site.admin_view(self.undo_view),
                name="registrations_member_undo",
            ),
            *super().get_urls(),
        ]

    def undo_view(self, request: HttpRequest) -> HttpResponse:
        """Put the members back whose end is posted (the message's button, a row's)."""
        if request.method != "POST":
            return redirect(ended_list_url())
        if not self.has_change_permission(request):
            raise PermissionDenied
        pks = [pk for pk in request.POST.getlist(UNDO_FIELD) if pk.isdigit()]
        # The caller's scope only: another group's ids are simply not found.
        queryset = Signup.objects.visible_to(request.user).filter(pk__in=pks)
        self._restore(request, queryset)
        return redirect("admin:registrations_member_changelist")

    @admin.action(description=_("Undo: put back in the group"))
    def restore_selected(self, request, queryset):
        done = self._confirm_then_run(
            request,
            queryset,
            action="restore_selected",
            title=_("Undo ending memberships"),
            intro=_(
                "They are members again, as before. The e-mail about the end "
                "of their membership is not sent."
            ),
            submit=_("Put back in the group"),
            service=services.restore_membership,
            success=None,
        )
        if isinstance(done, HttpResponse):
            return done
        self._say_restored(request, done)
        return None

    def _restore(self, request, queryset) -> None:
        self._say_restored(
            request, self._run(request, queryset, services.restore_membership, None)
        )

    def _say_restored(self, request, done: list[Signup]) -> None:
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d member is back in the group; no e-mail was sent.",
                    "%(count)d members are back in the group; no e-mail was sent.",
                    len(done),
                )
                % {"count": len(done)},
                messages.SUCCESS,
            )

    # --- the actions ---------------------------------------------------------

    @admin.action(description=_("Mark as added to the WhatsApp group"))
    def mark_added_selected(self, request, queryset):
        done = self._confirm_then_run(
            request,
            queryset,
            action="mark_added_selected",
            title=_("Mark as added to the WhatsApp group"),
            submit=_("Mark as added"),
            service=services.mark_added,
            success=_("%(count)d member(s) marked as added."),
        )
        return done if isinstance(done, HttpResponse) else None

    @admin.action(description=_("Mark as left the group…"))
    def mark_left_selected(self, request, queryset):
        done = self._confirm_then_run(
            request,
            queryset,
            action="mark_left_selected",
            title=_("Mark as left the group"),
            intro=ending_intro(),
            submit=_("Mark as left"),
            service=services.end_membership,
            success=None,
            always=True,
            status=SignupStatus.LEFT,
        )
        if isinstance(done, HttpResponse):
            return done
        self._say_ended(request, done, SignupStatus.LEFT)
        return None

    @admin.action(description=_("Remove from the group…"))
    def mark_removed_selected(self, request, queryset):
        done = self._ask_reason(
            request,
            queryset,
            action="mark_removed_selected",
            title=_("Remove members"),
            intro=ending_intro(),
            submit=_("Remove from the group"),
            service=services.end_membership,
            success=None,
            status=SignupStatus.REMOVED,
        )
        if isinstance(done, HttpResponse):
            return done
        self._say_ended(request, done, SignupStatus.REMOVED)
        return None

    def _say_ended(self, request, done: list[Signup], status: str) -> None:
        """How many ended, with the button that undoes it; after a removal,
        the reminder to reset each group's invite link."""
        if not done:
            return
        count = len(done)
        if status == SignupStatus.LEFT:
            text = ngettext(
                "%(count)d member marked as left. They are e-mailed on "
                "%(deadline)s, unless you undo it before then.",
                "%(count)d members marked as left. They are e-mailed on "
                "%(deadline)s, unless you undo it before then.",
                count,
            )
        else:
            text = ngettext(
                "%(count)d member removed. They are e-mailed on %(deadline)s, "
                "unless you undo it before then.",
                "%(count)d members removed. They are e-mailed on %(deadline)s, "
                "unless you undo it before then.",
                count,
            )
        deadline = timezone.now() + services.undo_window()
        text %= {
            "count": count,
            "deadline": date_format(timezone.localtime(deadline), "DATETIME_FORMAT"),
        }
        if count > UNDO_BUTTON_LIMIT:
            button = format_html(
                '<a href="{}">{}</a>', ended_list_url(), _("Undo in the list")
            )
        else:
            button = format_html(
                '<form method="post" action="{}">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">{}'
                '<button type="submit" class="button">{}</button></form>',
                reverse("admin:registrations_member_undo"),
                get_token(request),
                format_html_join(
                    "",
                    '<input type="hidden" name="{}" value="{}">',
                    ((UNDO_FIELD, signup.pk) for signup in done),
                ),
                _("Undo"),
            )
        self.message_user(request, format_html("{} {}", text, button), messages.SUCCESS)
        if status == SignupStatus.REMOVED:
            remind_to_reset_invite_links(
                self, request, {signup.group for signup in done if signup.group}
            )

    @admin.action(description=_("Export as spreadsheet (CSV)"))
    def export_csv(self, request, queryset) -> HttpResponse:
        return self._export(
            request, queryset, ExportKind.CSV, exports.members_csv, "text/csv"
        )

    @admin.action(description=_("Export as phone contacts (vCard)"))
    def export_vcard(self, request, queryset) -> HttpResponse:
        return self._export(
            request, queryset, ExportKind.VCARD, exports.members_vcard, "text/vcard"
        )

    def _export(self, request, queryset, kind, render, content_type) -> HttpResponse:
        """The selected members as a download, recorded as an export."""
        members = list(queryset.select_related("group", "municipality"))
        services.record_export(members, by=request.user, kind=kind)
        response = HttpResponse(
            render(members), content_type=f"{content_type}; charset=utf-8"
        )
        filename = "leden.csv" if kind == ExportKind.CSV else "leden.vcf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


@admin.register(ExportRecord)
class ExportRecordAdmin(RecordAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Who exported whose data: the caller's scope (``ExportRecord.visible_to``)."""

    list_display = ["created_at", "user", "kind", "count"]
    # "user" may be empty, so the admin's automatic select_related() skips it.
    list_select_related = ["user"]
    list_filter = ["kind"]
    readonly_fields = ["created_at", "user", "kind", "count", "groups"]
