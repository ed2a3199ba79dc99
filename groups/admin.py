from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin

from wabp_portal.admin_a11y import LabelledFieldsMixin, LabelledTabularInline
from wabp_portal.paginator import CappedCountPaginator

from . import services
from .constants import MeetingResponse
from .models import (
    Coordinator,
    Download,
    Meeting,
    MeetingInvitation,
    Municipality,
    PoliceZone,
    Region,
    RegionStreet,
    Street,
    WhatsAppGroup,
    is_zone_staff,
)
from .resources import CoordinatorResource, WhatsAppGroupResource


class ScopedAdminMixin:
    """Every list, form choice and autocomplete goes through ``visible_to``.

    Objects outside the user's scope are simply not in the queryset, so the
    admin answers a hand-typed URL to one of them like a missing object.
    """

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).visible_to(request.user)

    def _scoped(self, db_field, request: HttpRequest, kwargs: dict) -> dict:
        manager = db_field.related_model._default_manager
        if "queryset" not in kwargs and hasattr(manager, "visible_to"):
            kwargs["queryset"] = manager.visible_to(request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._scoped(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._scoped(db_field, request, kwargs)
        )


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """Filter by a related object among those the user may see.

    Django's RelatedOnlyFieldListFilter finds its choices by reading every
    row of the list (a million signups for a superuser); the user's own
    groups or municipalities are a small query of their own. Above
    ``limit`` choices the filter is left out: the search box serves better.
    """

    limit = 200

    def field_choices(self, field, request, model_admin):
        related = field.related_model._default_manager.visible_to(request.user)
        if field.related_model is WhatsAppGroup:
            related = related.neighbourhood()
        choices = related.order_by("name").values_list("pk", "name")
        rows = list(choices[: self.limit + 1])
        return [] if len(rows) > self.limit else rows


class RecordAdminMixin:
    """A record kept as it was written: nobody adds, changes or deletes one here,
    not even a superuser, whatever permissions a role holds."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ScopedAdmin(ScopedAdminMixin, LabelledFieldsMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # No list counts more than 10,000 rows, nor the whole table beside a
    # filtered list: a superuser's lists hold a country.
    paginator = CappedCountPaginator
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        # "Waiting signups", not Django's "Select waiting signup to change".
        title = capfirst(self.model._meta.verbose_name_plural)
        return super().changelist_view(
            request, {"title": title, **(extra_context or {})}
        )


class TableImportExportMixin(ImportExportMixin):
    """Import and export of the coordinator table, for the zone's staff only."""

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {
            **super().get_resource_kwargs(request, *args, **kwargs),
            "user": request.user,
        }

    def has_import_permission(self, request) -> bool:
        return is_zone_staff(request.user) and super().has_import_permission(request)

    def has_export_permission(self, request) -> bool:
        return is_zone_staff(request.user) and super().has_export_permission(request)


class ScopedInline(ScopedAdminMixin, LabelledTabularInline):
    def get_queryset(self, request: HttpRequest):
        # Inline rows are already limited by their scoped parent.
        return LabelledTabularInline.get_queryset(self, request)


@admin.register(PoliceZone)
class PoliceZoneAdmin(ScopedAdmin):
    list_display = ["name", "contact_name", "email"]
    search_fields = ["name"]
    filter_horizontal = ["staff"]

    def get_readonly_fields(self, request, obj=None):
        # Staff keep their zone's contact block; who is staff is the admin's call.
        if request.user.is_superuser:
            return []
        return ["name", "staff"]


class StreetFileForm(forms.Form):
    file = forms.FileField(
        label=_("Street list (CSV)"),
        help_text=_(
            "As the Flemish address register exports it: one street a line, "
            "with at least the columns “straatnaam” and “postcode”."
        ),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdmin):
    list_display = ["name", "postcodes", "zone", "street_count"]
    list_select_related = ["zone"]
    search_fields = ["name", "postcodes"]
    prepopulated_fields = {"slug": ["name"]}
    change_form_template = "admin/groups/municipality/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(street_count=Count("streets", distinct=True))
            # Aggregates drop Meta.ordering; autocomplete pages need an order.
            .order_by(*Municipality._meta.ordering)
        )

    @admin.display(description=_("streets"), ordering="street_count")
    def street_count(self, obj: Municipality) -> int:
        return obj.street_count

    def get_urls(self):
        return [
            path(
                "<path:object_id>/import-streets/",
                self.admin_site.admin_view(self.import_streets_view),
                name="groups_municipality_import_streets",
            ),
            *super().get_urls(),
        ]

    def import_streets_view(self, request: HttpRequest, object_id: str):
        municipality = self.get_object(request, unquote(object_id))
        if municipality is None:
            raise Http404
        if not (
            self.has_change_permission(request, municipality)
            and request.user.has_perm("groups.add_street")
        ):
            raise PermissionDenied
        form = StreetFileForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                report = services.import_streets_csv(
                    municipality, form.cleaned_data["file"].read()
                )
            except services.StreetFileError as error:
                form.add_error("file", str(error))
        return TemplateResponse(
            request,
            "admin/groups/municipality/import_streets.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Import streets of %(name)s") % {"name": municipality},
                "opts": self.opts,
                "original": municipality,
                "form": form,
                "report": report,
            },
        )


@admin.register(Street)
class StreetAdmin(ScopedAdmin):
    list_display = ["name", "postcode", "municipality"]
    list_select_related = ["municipality"]
    list_filter = [("municipality", ScopedRelatedFilter)]
    search_fields = ["name", "search_name", "postcode"]


class RegionStreetInline(ScopedInline):
    model = RegionStreet
    extra = 1
    autocomplete_fields = ["street"]
    verbose_name = _("street")
    verbose_name_plural = _("streets of the region")


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["name", "municipality", "street_count"]
    list_select_related = ["municipality"]
    list_filter = [("municipality", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "streets__name"]
    inlines = [RegionStreetInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(street_count=Count("coverage", distinct=True))
            # Aggregates drop Meta.ordering; autocomplete pages need an order.
            .order_by(*Region._meta.ordering)
        )

    @admin.display(description=_("streets"), ordering="street_count")
    def street_count(self, obj: Region) -> int:
        return obj.street_count


class CoordinatorInline(ScopedInline):
    model = Coordinator.groups.through
    extra = 0
    autocomplete_fields = ["coordinator"]
    verbose_name = _("coordinator")
    verbose_name_plural = _("coordinators")

    # Who coordinates a group is the zone's to decide, never a coordinator's.
    def has_add_permission(self, request, obj=None) -> bool:
        return is_zone_staff(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_zone_staff(request.user) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_zone_staff(request.user) and super().has_delete_permission(
            request, obj
        )


@admin.register(WhatsAppGroup)
class WhatsAppGroupAdmin(TableImportExportMixin, ScopedAdmin):
    resource_classes = [WhatsAppGroupResource]
    list_display = [
        "name",
        "region",
        "municipality",
        "kind",
        "is_public",
        "is_active",
        "display_order",
    ]
    list_select_related = ["region", "municipality"]
    list_filter = [
        ("municipality", admin.RelatedOnlyFieldListFilter),
        "kind",
        "is_public",
        "is_active",
    ]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]
    inlines = [CoordinatorInline]
    # What a coordinator may keep of their own group; the rest is the zone's.
    coordinator_editable = {"description", "invite_link", "send_invite_link"}

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if obj.is_public and obj.is_active and not obj.invite_link:
            # Approved residents would get no link to join.
            self.message_user(
                request,
                _(
                    "%(group)s is public but has no WhatsApp invite link yet: "
                    "ask its coordinator to add it."
                )
                % {"group": obj.name},
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not Coordinator.groups.through:
            super().save_formset(request, form, formset, change)
            return
        # Saving the link rows themselves would bypass the audit log, which
        # records a coordinator's groups from the coordinator's side.
        group = form.instance
        formset.save(commit=False)
        for row in formset.deleted_objects:
            row.coordinator.groups.remove(group)
        for row, _changed in formset.changed_objects:
            formset.model.objects.get(pk=row.pk).coordinator.groups.remove(group)
            row.coordinator.groups.add(group)
        for row in formset.new_objects:
            row.coordinator.groups.add(group)

    def get_readonly_fields(self, request, obj=None):
        if is_zone_staff(request.user):
            return []
        return [
            field.name
            for field in WhatsAppGroup._meta.get_fields()
            if field.concrete
            and field.editable
            and not field.auto_created
            and field.name not in self.coordinator_editable
        ]


class CoordinatorForm(forms.ModelForm):
    request_user: User  # set by CoordinatorAdmin.get_form

    class Meta:
        model = Coordinator
        fields = [
            "zone",
            "user",
            "first_name",
            "last_name",
            "email",
            "phone",
            "groups",
            "listed_publicly",
            "shares_contact",
            "notification_mode",
            "is_active",
        ]

    def clean_email(self) -> str:
        # Stored lower-case everywhere, so one address is one coordinator.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and self.instance.pk is None:
            try:
                services.check_email_for_login(email, by=self.request_user)
            except ValidationError as error:
                self.add_error(None, error)
        user = self.instance.user if self.instance.pk else None
        if (
            "is_active" in self.changed_data
            and cleaned.get("is_active")
            and user is not None
            and not user.is_active
            and not services.may_manage_login(self.request_user, user)
        ):
            self.add_error(
                "is_active",
                _(
                    "This coordinator's login also serves another role; ask an "
                    "administrator to reactivate it."
                ),
            )
        zone = cleaned.get("zone") or getattr(self.instance, "zone", None)
        groups = cleaned.get("groups")
        if zone is not None and groups is not None:
            foreign = [g.name for g in groups if g.municipality.zone_id != zone.pk]
            if foreign:
                self.add_error(
                    "groups",
                    _("These groups lie in another police zone: %(names)s.")
                    % {"names": ", ".join(foreign)},
                )
        return cleaned


@admin.register(Coordinator)
class CoordinatorAdmin(TableImportExportMixin, ScopedAdmin):
    resource_classes = [CoordinatorResource]
    form = CoordinatorForm
    actions = ["send_invitation", "deactivate", "reactivate", "reset_two_factor"]
    list_display = ["full_name", "email", "phone", "listed_publicly", "is_active"]
    list_filter = [
        ("zone", admin.RelatedOnlyFieldListFilter),
        "is_active",
        "listed_publicly",
        ("groups", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["first_name", "last_name", "email"]
    filter_horizontal = ["groups"]
    autocomplete_fields = ["user"]

    # What a coordinator may change on their own row: how they are reached and
    # shown. Their groups (assignment), zone and login are the zone's to keep.
    self_editable = {
        "phone",
        "listed_publicly",
        "shares_contact",
        "notification_mode",
    }

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The e-mail check asks whose login the address may link.
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        if is_zone_staff(request.user):
            # Logins are linked through the invitation, not picked from a
            # list of every account in the portal.
            return ["user"]
        return [
            field.name
            for field in Coordinator._meta.get_fields()
            if field.concrete
            and not field.auto_created
            and field.name not in self.self_editable
        ]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: Coordinator) -> str:
        return obj.full_name

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_zone_staff(request.user):
            for name in (
                "send_invitation",
                "deactivate",
                "reactivate",
                "reset_two_factor",
            ):
                actions.pop(name, None)
        return actions

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            # A new coordinator gets a login and an invitation to set a password.
            services.create_coordinator(
                obj, by=request.user, groups=form.cleaned_data.get("groups", ())
            )
            self.message_user(
                request,
                _("An invitation to set a password was e-mailed to %(email)s.")
                % {"email": obj.user.email},
                messages.SUCCESS,
            )
            return
        try:
            services.update_coordinator(obj, changed=form.changed_data, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        if (
            "email" in form.changed_data
            and obj.user is not None
            and obj.user.email != obj.email
        ):
            self.message_user(request, self.login_not_yours_message, messages.WARNING)

    login_not_yours_message = _(
        "The coordinator's login also serves another role, so it keeps its own "
        "e-mail address and receives its invitations there; ask an "
        "administrator to change it."
    )

    def _manageable(self, request, coordinators) -> tuple[list, int]:
        """The coordinators whose login ``request.user`` may act on, and the rest."""
        allowed = [
            coordinator
            for coordinator in coordinators
            if coordinator.user is None
            or services.may_manage_login(request.user, coordinator.user)
        ]
        return allowed, len(coordinators) - len(allowed)

    def _tell_refused(self, request, refused: int) -> None:
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d coordinator was left as it was: their login also "
                    "serves another role. Ask an administrator.",
                    "%(count)d coordinators were left as they were: their logins "
                    "also serve another role. Ask an administrator.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )

    @admin.action(description=_("Send the invitation to set a password again"))
    def send_invitation(self, request, queryset) -> None:
        coordinators, refused = self._manageable(
            request,
            list(queryset.active().filter(user__isnull=False).select_related("user")),
        )
        sent = 0
        for coordinator in coordinators:
            try:
                services.invite_coordinator(coordinator, by=request.user)
            except ValidationError:
                refused += 1
                continue
            sent += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation was sent.",
                "%(count)d invitations were sent.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS if sent else messages.WARNING,
        )
        self._tell_refused(request, refused)

    @admin.action(description=_("Deactivate: off the public table, login closed"))
    def deactivate(self, request, queryset) -> None:
        coordinators = list(queryset.active())
        for coordinator in coordinators:
            services.deactivate_coordinator(coordinator, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d coordinator was deactivated.",
                "%(count)d coordinators were deactivated.",
                len(coordinators),
            )
            % {"count": len(coordinators)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset two-step verification (lost phone)"))
    def reset_two_factor(self, request, queryset) -> None:
        coordinators, refused = self._manageable(
            request, list(queryset.filter(user__isnull=False).select_related("user"))
        )
        for coordinator in coordinators:
            services.reset_two_factor(coordinator, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d coordinator links an authenticator app again at "
                "their next login.",
                "%(count)d coordinators link an authenticator app again at "
                "their next login.",
                len(coordinators),
            )
            % {"count": len(coordinators)},
            messages.SUCCESS,
        )
        self._tell_refused(request, refused)

    @admin.action(description=_("Reactivate"))
    def reactivate(self, request, queryset) -> None:
        coordinators = list(queryset.filter(is_active=False))
        done = refused = 0
        for coordinator in coordinators:
            try:
                services.reactivate_coordinator(coordinator, by=request.user)
            except ValidationError:
                refused += 1
                continue
            done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d coordinator was reactivated.",
                "%(count)d coordinators were reactivated.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )
        self._tell_refused(request, refused)


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
class MeetingAdmin(ScopedAdmin):
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


class DownloadForm(forms.ModelForm):
    """Documents residents open: office formats and PDF, of a sensible size."""

    EXTENSIONS = ["pdf", "pptx", "ppt", "odp", "docx", "doc", "odt", "xlsx", "ods"]
    MAX_BYTES = 20 * 1024 * 1024

    class Meta:
        model = Download
        fields = ["zone", "title", "file", "is_public", "display_order"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):  # a new upload
            FileExtensionValidator(self.EXTENSIONS)(upload)
            if upload.size > self.MAX_BYTES:
                raise ValidationError(_("The file is larger than 20 MB."))
        return upload


@admin.register(Download)
class DownloadAdmin(ScopedAdmin):
    """The public downloads (presentation, forms), in the order shown."""

    form = DownloadForm
    list_display = ["title", "zone", "is_public", "display_order"]
    list_editable = ["is_public", "display_order"]
    list_filter = [("zone", admin.RelatedOnlyFieldListFilter)]
    ordering = ["zone", "display_order", "title"]


# The audit log (django-auditlog), read-only, each zone's staff their own.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogAdmin(RecordAdminMixin, LogEntryAdmin):
    """Who created, changed, deleted or opened what, and when.

    Append-only: nobody adds, changes or deletes an entry here, not even a
    superuser, whatever permissions a role holds. Entries without a zone
    (role changes of a login, an export across zones) are for superusers.
    """

    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest):
        entries = super().get_queryset(request)
        if request.user.is_superuser:
            return entries
        # Each entry carries its zone (ZoneAudited.get_additional_data).
        zones = list(
            PoliceZone.objects.filter(staff=request.user).values_list("pk", flat=True)
        )
        return entries.filter(additional_data__zone__in=zones)
