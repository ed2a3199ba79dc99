"""The admin of signups: the coordinator's work lists and the staff's overview.

Every list goes through ``Signup.objects.visible_to`` (ScopedAdmin), so an
action that names foreign ids only ever sees the caller's own rows. Signups
change only through the services, never by editing the form.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.admin import RecordAdminMixin, ScopedAdmin, ScopedRelatedFilter
from groups.models import Region, WhatsAppGroup

from . import audit, exports, services
from .constants import ExportKind, SignupRole, SignupStatus
from .models import (
    ExportRecord,
    GroupApplication,
    HouseRules,
    Member,
    PendingSignup,
    PrivacyRequest,
    Signup,
    StatusChange,
    WithdrawnMember,
)
from .services.house_rules import REACCEPTING_STATUSES


@admin.register(HouseRules)
class HouseRulesAdmin(ScopedAdmin):
    """Versions of the house rules; a new version is published by adding one."""

    list_display = [
        "title",
        "version",
        "zone",
        "is_current",
        "published_at",
        "accepted_count",
        "asked_count",
    ]
    list_filter = [("zone", admin.RelatedOnlyFieldListFilter), "is_current"]
    actions = ["ask_to_reaccept"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        in_groups = Q(signups__status__in=REACCEPTING_STATUSES)
        return (
            super()
            .get_queryset(request)
            .annotate(
                accepted=Count("signups", filter=in_groups, distinct=True),
                asked=Count("reacceptance_requests", distinct=True),
            )
            .order_by(*HouseRules._meta.ordering)
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["zone", "title", "body", "pdf"]
        return ["zone", "version", "is_current", "title", "body", "pdf", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A version someone accepted is a record of what they agreed to.
        if obj.signups.exists():
            return self.get_fields(request, obj)
        return ["zone", "version", "is_current", "published_at"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        services.publish_house_rules(obj, by=request.user)
        self.message_user(
            request,
            _("Version %(version)s is now the current house rules.")
            % {"version": obj.version},
            messages.SUCCESS,
        )

    @admin.display(description=_("members who accepted it"), ordering="accepted")
    def accepted_count(self, obj: HouseRules) -> int:
        return obj.accepted

    @admin.display(description=_("asked to accept it"), ordering="asked")
    def asked_count(self, obj: HouseRules) -> int:
        return obj.asked

    @admin.action(description=_("Ask members on an older version to accept this one"))
    def ask_to_reaccept(self, request, queryset) -> None:
        for rules in queryset:
            if not rules.is_current:
                self.message_user(
                    request,
                    _(
                        "Version %(version)s is not current; only the current "
                        "version can be accepted."
                    )
                    % {"version": rules.version},
                    messages.WARNING,
                )
                continue
            asked = services.request_reacceptance(rules, by=request.user)
            self.message_user(
                request,
                ngettext(
                    "%(count)d member was asked by e-mail to accept version "
                    "%(version)s.",
                    "%(count)d members were asked by e-mail to accept version "
                    "%(version)s.",
                    asked,
                )
                % {"count": asked, "version": rules.version},
                messages.SUCCESS,
            )


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The resident reads this in the e-mail. Be polite and brief."),
    )


SIGNUP_FIELDSETS = [
    (None, {"fields": ["status", "role", "group", "outside_region"]}),
    (_("New group"), {"fields": ["proposed_group_name", "proposed_area"]}),
    (
        _("Resident"),
        {
            "fields": [
                "first_name",
                "last_name",
                "street_name",
                "house_number",
                "box",
                "postcode",
                "municipality",
                "phone_link",
                "email",
                "language",
            ]
        },
    ),
    (
        _("Consent"),
        {"fields": ["house_rules", "house_rules_accepted_at", "privacy_accepted_at"]},
    ),
    (
        _("Decision"),
        {
            "fields": [
                "created_at",
                "confirmed_at",
                "decided_at",
                "decided_by",
                "decision_reason",
                "added_to_whatsapp_at",
                "ended_at",
                "erased_at",
            ]
        },
    ),
]


class BaseSignupAdmin(ScopedAdmin):
    """Read-only signups of the caller's scope, with the decision actions."""

    fieldsets = SIGNUP_FIELDSETS
    inlines = [StatusChangeInline]
    list_select_related = ["group", "municipality"]
    search_fields = ["first_name", "last_name", "email", "phone", "street_name"]
    list_per_page = 50
    status: str | None = None
    role: str | None = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.role:
            queryset = queryset.filter(role=self.role)
        return queryset

    def get_readonly_fields(self, request, obj=None):
        return [
            field for _name, options in self.fieldsets for field in options["fields"]
        ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # "Change" here means deciding through the actions; the form stays
        # read-only (see get_readonly_fields).
        return request.user.has_perm("registrations.change_signup")

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if change and obj is not None and request.method in ("GET", "HEAD"):
            # The page shows the resident's name, address and phone number:
            # each opening is an entry in the audit log.
            audit.log_view(obj)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: Signup) -> str:
        return str(obj)

    @admin.display(description=_("address"))
    def address(self, obj: Signup) -> str:
        return obj.address

    @admin.display(description=_("mobile number"), ordering="phone")
    def phone_link(self, obj: Signup) -> str:
        if not obj.phone:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener" title="{}">{}</a>',
            obj.whatsapp_url,
            _("Open a WhatsApp chat"),
            obj.phone.as_international,
        )

    @admin.display(description=_("outside region"), boolean=True)
    def outside(self, obj: Signup) -> bool:
        return obj.outside_region

    @admin.display(description=_("waiting"), ordering="created_at")
    def waiting(self, obj: Signup) -> str:
        days = (timezone.now() - (obj.confirmed_at or obj.created_at)).days
        return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}

    def _run(self, request, queryset, service, success: str, **kwargs) -> None:
        done = failed = 0
        for signup in queryset:
            try:
                service(signup, by=request.user, **kwargs)
            except (services.InvalidTransition, PermissionDenied, ValidationError):
                failed += 1
            else:
                done += 1
        if done:
            self.message_user(request, success % {"count": done}, messages.SUCCESS)
        if failed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d signup was not changed: it was already decided "
                    "or is not yours to decide.",
                    "%(count)d signups were not changed: they were already "
                    "decided or are not yours to decide.",
                    failed,
                )
                % {"count": failed},
                messages.WARNING,
            )

    def _own(self, request, pk: int) -> Signup:
        """A signup of this work list the caller may decide, or 404/403."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _reject_one(self, request, pk: int, *, title, intro, submit, success):
        """The reason page of one signup, then the rejection and its mail."""
        signup = self._own(request, pk)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            self._run(
                request,
                Signup.objects.filter(pk=signup.pk),
                services.reject_signup,
                success,
                reason=form.cleaned_data["reason"],
            )
            return redirect(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
            )
        return decision_page(
            self,
            request,
            title=title,
            intro=intro,
            signup=signup,
            form=form,
            submit=submit,
        )

    def _ask_reason(
        self,
        request,
        queryset,
        *,
        action: str,
        title: str,
        service,
        success: str,
        **kwargs,
    ) -> HttpResponse | None:
        """An intermediate page that asks for the reason, then applies it."""
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._run(
                request,
                queryset,
                service,
                success,
                reason=form.cleaned_data["reason"],
                **kwargs,
            )
            return None
        return TemplateResponse(
            request,
            "admin/registrations/reason.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "signups": queryset,
                "action": action,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(PendingSignup)
class PendingSignupAdmin(BaseSignupAdmin):
    """The coordinator's work list: oldest first, decide one or many."""

    status = SignupStatus.PENDING
    role = SignupRole.PARTICIPANT
    # Most useful first: on a phone the columns to the right scroll away.
    list_display = [
        "full_name",
        "phone_link",
        "waiting",
        "outside",
        "address",
        "group",
        "email",
    ]
    list_filter = [("group", ScopedRelatedFilter), "outside_region"]
    ordering = ["created_at"]
    actions = ["approve_selected", "reject_selected"]
    change_form_template = "admin/registrations/pendingsignup/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="registrations_pendingsignup_approve",
            ),
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="registrations_pendingsignup_reject",
            ),
            path(
                "<int:pk>/move/",
                self.admin_site.admin_view(self.move_view),
                name="registrations_pendingsignup_move",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Approve the selected signups"))
    def approve_selected(self, request, queryset) -> None:
        self._run(
            request,
            queryset,
            services.approve_signup,
            _("%(count)d signup(s) approved; the residents were e-mailed."),
        )

    @admin.action(description=_("Reject the selected signups…"))
    def reject_selected(self, request, queryset):
        return self._ask_reason(
            request,
            queryset,
            action="reject_selected",
            title=_("Reject signups"),
            service=services.reject_signup,
            success=_("%(count)d signup(s) rejected; the residents were e-mailed."),
        )

    def approve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return redirect("admin:registrations_pendingsignup_change", pk)
        signup = self._own(request, pk)
        self._run(
            request,
            Signup.objects.filter(pk=signup.pk),
            services.approve_signup,
            _("%(count)d signup(s) approved; the residents were e-mailed."),
        )
        return redirect("admin:registrations_pendingsignup_changelist")

    def reject_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._reject_one(
            request,
            pk,
            title=_("Reject signup"),
            intro=_("The resident reads the reason in the e-mail."),
            submit=_("Confirm and e-mail the resident"),
            success=_("%(count)d signup(s) rejected; the residents were e-mailed."),
        )

    def move_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Pass a signup on to the group that really covers the address."""
        signup = self._own(request, pk)
        form = MoveForm(request.POST or None, signup=signup)
        if request.method == "POST" and form.is_valid():
            try:
                services.move_signup(
                    signup, by=request.user, to=form.cleaned_data["group"]
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            except (services.InvalidTransition, PermissionDenied):
                self.message_user(
                    request,
                    _("The signup was not moved: it was decided meanwhile."),
                    messages.WARNING,
                )
                return redirect("admin:registrations_pendingsignup_changelist")
            else:
                self.message_user(
                    request,
                    _("The signup was moved to %(group)s; the resident was e-mailed.")
                    % {"group": form.cleaned_data["group"]},
                    messages.SUCCESS,
                )
                return redirect("admin:registrations_pendingsignup_changelist")
        return decision_page(
            self,
            request,
            title=_("Move signup to another group"),
            intro=_(
                "Move this signup when the resident chose a group that does not "
                "cover their address. The resident and the new group's "
                "coordinators are told."
            ),
            signup=signup,
            form=form,
            submit=_("Move and e-mail the resident"),
        )


class MoveForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("New group"), queryset=WhatsAppGroup.objects.none()
    )

    def __init__(self, *args, signup: Signup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any active neighbourhood group of the zone: the names are public.
        self.fields["group"].queryset = (
            WhatsAppGroup.objects.neighbourhood()
            .filter(is_active=True, municipality__zone=signup.municipality.zone_id)
            .exclude(pk=signup.group_id)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )


def decision_page(model_admin, request, *, title, intro, signup, form, submit):
    return TemplateResponse(
        request,
        "admin/registrations/decision_form.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "signup": signup,
            "form": form,
            "submit": submit,
            "opts": model_admin.model._meta,
        },
    )


class ApplicationApprovalForm(forms.Form):
    group_name = forms.CharField(label=_("Name of the group"), max_length=100)
    region = forms.ModelChoiceField(
        label=_("Existing region"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("Choose a region of the municipality, or name a new one below."),
    )
    region_name = forms.CharField(
        label=_("New region"),
        max_length=200,
        required=False,
        help_text=_(
            "For example the streets it covers: “Motstraat, Rode Kruisstraat”."
        ),
    )

    def __init__(self, *args, signup: Signup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(
            municipality=signup.municipality_id
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("region") and not cleaned.get("region_name", "").strip():
            raise ValidationError(_("Choose an existing region or name a new one."))
        return cleaned


@admin.register(GroupApplication)
class GroupApplicationAdmin(BaseSignupAdmin):
    """Applications to coordinate a new group: the zone's staff decide."""

    status = SignupStatus.PENDING
    role = SignupRole.COORDINATOR
    list_display = [
        "full_name",
        "proposed_group_name",
        "municipality",
        "waiting",
        "phone_link",
        "email",
    ]
    list_filter = [("municipality", ScopedRelatedFilter)]
    ordering = ["created_at"]
    actions = None
    change_form_template = "admin/registrations/groupapplication/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="registrations_groupapplication_approve",
            ),
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="registrations_groupapplication_reject",
            ),
            *super().get_urls(),
        ]

    # Deciding applications is the staff's: ask for the proxy's own
    # permissions, which coordinators do not hold (they hold change_signup).
    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("registrations.view_groupapplication")

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("registrations.change_groupapplication")

    def approve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        signup = self._own(request, pk)
        form = ApplicationApprovalForm(
            request.POST or None,
            signup=signup,
            initial={
                "group_name": signup.proposed_group_name,
                # A short area ("Kerkstraat, Schoolstraat") names the region well.
                "region_name": signup.proposed_area
                if len(signup.proposed_area) <= 100
                else "",
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                group = services.approve_application(
                    signup,
                    by=request.user,
                    group_name=form.cleaned_data["group_name"],
                    region=form.cleaned_data["region"],
                    region_name=form.cleaned_data["region_name"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            except (services.InvalidTransition, PermissionDenied):
                self.message_user(
                    request,
                    _("The application was decided meanwhile; nothing changed."),
                    messages.WARNING,
                )
                return redirect("admin:registrations_groupapplication_changelist")
            else:
                self.message_user(
                    request,
                    _(
                        "The group %(group)s was founded and %(name)s was invited "
                        "as its coordinator. Publish the group when it is ready."
                    )
                    % {"group": group.name, "name": signup.full_name},
                    messages.SUCCESS,
                )
                return redirect("admin:groups_whatsappgroup_change", group.pk)
        return decision_page(
            self,
            request,
            title=_("Approve new-group application"),
            intro=_(
                "Approving creates the group (hidden until you publish it), its "
                "region, and the coordinator with their login, and e-mails them "
                "an invitation."
            ),
            signup=signup,
            form=form,
            submit=_("Found the group and invite the coordinator"),
        )

    def reject_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._reject_one(
            request,
            pk,
            title=_("Reject new-group application"),
            intro=_("The applicant reads the reason in the e-mail."),
            submit=_("Reject and e-mail the applicant"),
            success=_("%(count)d application(s) rejected; the applicant was e-mailed."),
        )


@admin.register(Member)
class MemberAdmin(BaseSignupAdmin):
    """Members of the coordinator's groups: mark added, end, export."""

    status = SignupStatus.APPROVED
    list_display = [
        "full_name",
        "phone_link",
        "added_to_whatsapp_at",
        "group",
        "address",
        "email",
        "decided_at",
    ]
    list_filter = [
        ("group", ScopedRelatedFilter),
        ("added_to_whatsapp_at", admin.EmptyFieldListFilter),
    ]
    ordering = ["group__name", "last_name", "first_name"]
    actions = [
        "mark_added_selected",
        "export_csv",
        "export_vcard",
        "mark_left_selected",
        "mark_removed_selected",
    ]

    @admin.action(description=_("Mark as added to the WhatsApp group"))
    def mark_added_selected(self, request, queryset) -> None:
        self._run(
            request,
            queryset,
            services.mark_added,
            _("%(count)d member(s) marked as added."),
        )

    @admin.action(description=_("Mark as left the group"))
    def mark_left_selected(self, request, queryset) -> None:
        self._run(
            request,
            queryset,
            services.end_membership,
            _("%(count)d member(s) marked as left."),
            status=SignupStatus.LEFT,
        )

    @admin.action(description=_("Remove from the group…"))
    def mark_removed_selected(self, request, queryset):
        return self._ask_reason(
            request,
            queryset,
            action="mark_removed_selected",
            title=_("Remove members"),
            service=services.end_membership,
            success=_("%(count)d member(s) removed; they were e-mailed."),
            status=SignupStatus.REMOVED,
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


@admin.register(Signup)
class SignupAdmin(BaseSignupAdmin):
    """Every signup in the caller's scope, in every state, with its history."""

    list_display = ["full_name", "group", "role", "status", "outside", "created_at"]
    list_filter = [
        "status",
        "role",
        "outside_region",
        ("group", ScopedRelatedFilter),
        # Not a date hierarchy: that reads every signup to list the years.
        ("created_at", admin.DateFieldListFilter),
    ]
    ordering = ["-created_at"]
    actions = None


@admin.register(WithdrawnMember)
class WithdrawnMemberAdmin(ScopedAdmin):
    """Members who withdrew: whom the coordinators remove from the WhatsApp group.

    The only place their name and number are still shown; marking them
    removed deletes the row (``services.mark_removed_from_whatsapp``), and so
    does the retention purge after WITHDRAWN_MEMBER_RETENTION_DAYS.
    """

    list_display = ["full_name", "phone_display", "group", "withdrawn_at", "was_added"]
    list_filter = [("group", ScopedRelatedFilter)]
    list_select_related = ["group", "signup"]
    ordering = ["withdrawn_at", "pk"]
    actions = ["mark_removed_selected"]
    fields = readonly_fields = [
        "first_name",
        "last_name",
        "phone_display",
        "group",
        "withdrawn_at",
        "was_added",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only by marking the person removed, so that it is said why.
        return False

    def save_model(self, request, obj, form, change) -> None:
        # Every field is read-only: the row changes only by being marked removed.
        pass

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request,
            {
                "retention_days": settings.WITHDRAWN_MEMBER_RETENTION_DAYS,
                **(extra_context or {}),
            },
        )

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: WithdrawnMember) -> str:
        return obj.full_name

    @admin.display(description=_("mobile number"), ordering="phone")
    def phone_display(self, obj: WithdrawnMember) -> str:
        return obj.phone.as_international if obj.phone else "—"

    @admin.display(description=_("was marked as added"), boolean=True)
    def was_added(self, obj: WithdrawnMember) -> bool:
        return obj.signup.added_to_whatsapp_at is not None

    @admin.action(
        description=_("Mark as removed from the WhatsApp group"),
        permissions=["change"],
    )
    def mark_removed_selected(self, request, queryset) -> None:
        done = 0
        for withdrawn in queryset:
            try:
                done += services.mark_removed_from_whatsapp(withdrawn, by=request.user)
            except PermissionDenied:
                continue
        self.message_user(
            request,
            ngettext(
                "%(count)d person marked as removed; their name and number "
                "were erased.",
                "%(count)d people marked as removed; their names and numbers "
                "were erased.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(ExportRecord)
class ExportRecordAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "count"]
    # "user" may be empty, so the admin's automatic select_related() skips it.
    list_select_related = ["user"]
    list_filter = ["kind"]
    readonly_fields = ["created_at", "user", "kind", "count", "groups"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        visible = WhatsAppGroup.objects.visible_to(request.user).values("pk")
        return queryset.filter(groups__in=visible).distinct()


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(RecordAdminMixin, ScopedAdmin):
    """Exports and erasures of a person's data, read-only: the record is kept as is.

    They are made on the privacy page (``admin/privacy/``), never here.
    """

    list_display = [
        "__str__",
        "handled_at",
        "kind",
        "zone",
        "handled_by",
        "signup_count",
        "mail_count",
        "coordinator_count",
        "login_count",
    ]
    list_filter = ["kind"]
    fields = readonly_fields = [
        "kind",
        "zone",
        "handled_by",
        "handled_at",
        "signup_count",
        "mail_count",
        "coordinator_count",
        "login_count",
    ]
    list_select_related = ["zone", "handled_by"]
    actions = None
