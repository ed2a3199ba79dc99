"""Signups: what every work list shares, the pending list, and all signups.

The forms are read-only: a signup changes only through the decision
actions and pages, which call the services.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.admin import ScopedAdmin, ScopedRelatedFilter
from groups.models import is_zone_staff

from .. import audit, services
from ..constants import SignupRole, SignupStatus
from ..models import PendingSignup, Signup, StatusChange
from . import confirm
from .forms import MoveForm, ReasonForm
from .views import decision_page


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


# Shown only for a signup staff entered for a resident.
ASSISTED_FIELDS = [
    "assisted_page",
    "consent_channel",
    "consent_recorded_by",
    "confirm_by_letter",
    "letter_signed_at",
]

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
                "email_changed_at",
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
            *(
                field
                for _name, options in self.fieldsets
                for field in options["fields"]
            ),
            *ASSISTED_FIELDS,
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # A participant's signup names no new group: an empty section of two
        # dashes only pushes the rest down on a phone.
        if obj is not None and not (obj.proposed_group_name or obj.proposed_area):
            fieldsets = [
                (name, options)
                for name, options in fieldsets
                if "proposed_group_name" not in options["fields"]
            ]
        if obj is not None and obj.consent_channel:
            # Entered by staff for a resident: who recorded the consent, how;
            # staff also get the page with the letter.
            assisted = ASSISTED_FIELDS
            if not is_zone_staff(request.user):
                assisted = [name for name in assisted if name != "assisted_page"]
            fieldsets = [
                (
                    name,
                    {**options, "fields": [*options["fields"], *assisted]}
                    if "house_rules" in options["fields"]
                    else options,
                )
                for name, options in fieldsets
            ]
        return fieldsets

    @admin.display(description=_("letter and signature"))
    def assisted_page(self, obj: Signup) -> str:
        if not obj.consent_channel:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("assisted-signup-done", args=[obj.pk]),
            _("Letter to print, signed letter"),
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # "Change" here means deciding through the actions; the form stays
        # read-only (see get_readonly_fields).
        return request.user.has_perm("registrations.change_signup")

    def get_model_perms(self, request: HttpRequest) -> dict[str, bool]:
        # The index offers the list to "View", not to "Change": the form is
        # read-only, and deciding happens through the actions.
        return {**super().get_model_perms(request), "change": False}

    def save_model(self, request, obj, form, change) -> None:
        # Every field is read-only: a signup changes only through the
        # services that the actions and decision pages call, never by
        # saving its form (which would only touch "last changed").
        pass

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if change and obj is not None and request.method in ("GET", "HEAD"):
            # The page shows the resident's name, address and phone number:
            # each opening is an entry in the audit log.
            audit.log_view(obj)
        if change:
            # "View waiting signup", not Django's "Change waiting signup".
            context["title"] = capfirst(
                _("View %(name)s") % {"name": self.opts.verbose_name}
            )
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

    def _run(
        self, request, queryset, service, success: str | None, **kwargs
    ) -> list[Signup]:
        """Apply the service to each signup; say how many; return those done.

        Without ``success`` the caller says it (with an undo button, say).
        """
        done: list[Signup] = []
        failed = 0
        for signup in queryset:
            try:
                done.append(service(signup, by=request.user, **kwargs))
            except (services.InvalidTransition, PermissionDenied, ValidationError):
                failed += 1
        if done and success:
            self.message_user(request, success % {"count": len(done)}, messages.SUCCESS)
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
        return done

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
        success: str | None,
        submit: str | None = None,
        intro: str = "",
        **kwargs,
    ) -> HttpResponse | list[Signup]:
        """An intermediate page that asks for the reason, then applies it.

        Returns the page, or the signups done once the reason is given.
        """
        form = ReasonForm(request.POST if confirm.APPLY in request.POST else None)
        page = confirm.ask(
            self,
            request,
            queryset,
            action=action,
            title=title,
            intro=intro,
            submit=submit or _("Confirm and e-mail the resident"),
            form=form,
        )
        if page is not None:
            return page
        return self._run(
            request,
            queryset,
            service,
            success,
            reason=form.cleaned_data["reason"],
            **kwargs,
        )

    def _confirm_then_run(
        self,
        request,
        queryset,
        *,
        action: str,
        title: str,
        submit: str,
        service,
        success: str | None,
        intro: str = "",
        always: bool = False,
        **kwargs,
    ) -> HttpResponse | list[Signup]:
        """Ask first when the action touches more than one signup (or always).

        Returns the confirmation page, or the signups done.
        """
        page = confirm.ask(
            self,
            request,
            queryset,
            action=action,
            title=title,
            intro=intro,
            submit=submit,
            always=always,
        )
        if page is not None:
            return page
        return self._run(request, queryset, service, success, **kwargs)


@admin.register(PendingSignup)
class PendingSignupAdmin(BaseSignupAdmin):
    """The coordinator's work list: oldest first, decide one or many."""

    status = SignupStatus.PENDING
    role = SignupRole.PARTICIPANT
    # On a phone the signups are cards (pendingsignup/change_list.html); on a
    # desk every column fits beside the filters, "outside region" inside the
    # address.
    list_display = [
        "full_name",
        "phone_link",
        "waiting",
        "address_and_region",
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

    @admin.display(description=_("address"))
    def address_and_region(self, obj: Signup) -> str:
        if obj.outside_region:
            return format_html(
                '{} <strong class="flag">{}</strong>', obj.address, _("outside region")
            )
        return obj.address

    @admin.action(description=_("Approve the selected signups"))
    def approve_selected(self, request, queryset):
        done = self._confirm_then_run(
            request,
            queryset,
            action="approve_selected",
            title=_("Approve signups"),
            intro=_("Each resident is e-mailed that they were accepted."),
            submit=_("Approve and e-mail the residents"),
            service=services.approve_signup,
            success=_("%(count)d signup(s) approved; the residents were e-mailed."),
        )
        return done if isinstance(done, HttpResponse) else None

    @admin.action(description=_("Reject the selected signups…"))
    def reject_selected(self, request, queryset):
        done = self._ask_reason(
            request,
            queryset,
            action="reject_selected",
            title=_("Reject signups"),
            service=services.reject_signup,
            success=_("%(count)d signup(s) rejected; the residents were e-mailed."),
        )
        return done if isinstance(done, HttpResponse) else None

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
