"""WhatsApp groups and who coordinates them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from wabp_portal.admin_a11y import LabelledInlineFormSet

from .. import capacity, services
from ..constants import GroupKind
from ..models import Coordinator, RegionStreet, WhatsAppGroup, is_zone_staff
from ..resources import WhatsAppGroupResource
from .base import ScopedAdmin, ScopedInline, ServiceWritesMixin, TableImportExportMixin
from .invite_link import InviteLinkAdminMixin

NO_STREET_WARNING = _(
    "%(group)s is published but its region covers no street: the finder "
    "tells its residents there is no group. Add its streets on the page of "
    "its region %(region)s."
)


class WhatsAppGroupForm(forms.ModelForm):
    """A hidden group is published only once its region covers a street."""

    class Meta:
        model = WhatsAppGroup
        fields = [
            "municipality",
            "region",
            "kind",
            "name",
            "description",
            "invite_link",
            "send_invite_link",
            "is_public",
            "is_active",
            "display_order",
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        group = self.instance
        if group.pk is None:
            return cleaned  # a new group: warned about when saved

        def value(name):
            return cleaned.get(name, getattr(group, name))

        region = value("region")
        publishing = (
            value("kind") == GroupKind.NEIGHBOURHOOD
            and value("is_public")
            and value("is_active")
            and not (group.is_public and group.is_active)
        )
        if (
            publishing
            and region is not None
            and not RegionStreet.objects.filter(region=region).exists()
        ):
            self.add_error(
                "is_public" if "is_public" in self.fields else None,
                _(
                    "The group's region covers no street yet, so residents "
                    "would not find it. Add its streets on the region's page "
                    "first, then publish the group."
                ),
            )
        return cleaned


class CoversStreetsFilter(admin.SimpleListFilter):
    title = _("streets")
    parameter_name = "straten"

    def lookups(self, request, model_admin):
        return [
            ("geen", _("covers no street")),
            ("wel", _("covers streets")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "geen":
            return queryset.filter(kind=GroupKind.NEIGHBOURHOOD, covers_streets=False)
        if self.value() == "wel":
            return queryset.filter(covers_streets=True)
        return queryset


class CoordinatorLinkFormSet(LabelledInlineFormSet):
    """The group's coordinators, each of the group's own zone."""

    def clean(self) -> None:
        super().clean()
        group = self.instance
        if group.municipality_id is None:
            return  # the group's own form says what is missing
        for form in self.forms:
            if "coordinator" not in form.fields or not form.has_changed():
                continue  # read-only for this user, or a link left as it was
            row = getattr(form, "cleaned_data", None) or {}
            coordinator = row.get("coordinator")
            if row.get("DELETE") or coordinator is None:
                continue
            if coordinator.zone_id != group.municipality.zone_id:
                form.add_error(
                    "coordinator",
                    _("A coordinator only coordinates groups of their own zone."),
                )


class CoordinatorInline(ScopedInline):
    model = Coordinator.groups.through
    formset = CoordinatorLinkFormSet
    extra = 0
    autocomplete_fields = ["coordinator"]
    fields = ["coordinator", "role"]
    verbose_name = _("coordinator")
    verbose_name_plural = _("coordinators")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "role":
            # A row posted without a role is led, as before roles existed.
            field.required = False
        return field

    # The links are rows of the coordinators, as when Django made their
    # table: the roles' permissions on coordinators rule them (as Django's
    # inline does for a table it made itself).
    def _may(self, request, *actions: str) -> bool:
        opts = Coordinator._meta
        return any(
            request.user.has_perm(
                f"{opts.app_label}.{get_permission_codename(action, opts)}"
            )
            for action in actions
        )

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may(request, "view", "change")

    # Who coordinates a group is the zone's to decide, never a coordinator's.
    def has_add_permission(self, request, obj=None) -> bool:
        return is_zone_staff(request.user) and self._may(request, "change")

    def has_change_permission(self, request, obj=None) -> bool:
        return is_zone_staff(request.user) and self._may(request, "change")

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_zone_staff(request.user) and self._may(request, "change")


@admin.register(WhatsAppGroup)
class WhatsAppGroupAdmin(
    InviteLinkAdminMixin, TableImportExportMixin, ServiceWritesMixin, ScopedAdmin
):
    resource_classes = [WhatsAppGroupResource]
    form = WhatsAppGroupForm
    list_display = [
        "name",
        "region",
        "municipality",
        "kind",
        "streets",
        "is_public",
        "is_active",
        "display_order",
    ]
    list_select_related = ["region", "municipality"]
    list_filter = [
        ("municipality", admin.RelatedOnlyFieldListFilter),
        "kind",
        CoversStreetsFilter,
        "is_public",
        "is_active",
    ]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]
    inlines = [CoordinatorInline]
    # What a coordinator may keep of their own group; the rest is the zone's.
    coordinator_editable = {"description", "invite_link", "send_invite_link"}
    save_service = staticmethod(services.save_whatsapp_group)
    delete_service = staticmethod(services.delete_whatsapp_groups)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                covers_streets=Exists(
                    RegionStreet.objects.filter(region=OuterRef("region_id"))
                )
            )
        )

    @admin.display(description=_("covers streets"), boolean=True)
    def streets(self, obj: WhatsAppGroup) -> bool | None:
        if obj.kind != GroupKind.NEIGHBOURHOOD:
            return None  # an umbrella group covers no address by nature
        return obj.covers_streets

    def _warn_no_street(self, request, group: WhatsAppGroup) -> None:
        if group.is_published and services.covers_no_street(group):
            self.message_user(
                request,
                NO_STREET_WARNING % {"group": group.name, "region": group.region},
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        self._warn_no_street(request, obj)
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
        # The link rows are never saved themselves: the service writes each
        # link from the coordinator's side, where the audit log records a
        # coordinator's groups.
        formset.save(commit=False)
        changed = [row for row, _fields in formset.changed_objects]
        removed = [row.coordinator for row in formset.deleted_objects] + [
            formset.model.objects.get(pk=row.pk).coordinator for row in changed
        ]
        rows = [*changed, *formset.new_objects]
        added = [row.coordinator for row in rows]
        if added or removed:
            services.change_coordinators_of_group(
                form.instance,
                add=added,
                remove=removed,
                roles={row.coordinator.pk: row.role for row in rows},
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A lead hands their group over from here; the capacity warning is
        # the registrations' to compute (``capacity.size_of``).
        group = self.get_object(request, object_id)
        extra = {}
        if group is not None:
            extra = {
                "may_hand_over": WhatsAppGroup.objects.led_by(request.user)
                .neighbourhood()
                .filter(pk=group.pk)
                .exists(),
                "capacity": capacity.warning_for(group),
                "no_street_warning": NO_STREET_WARNING
                % {"group": group.name, "region": group.region}
                if group.is_published and services.covers_no_street(group)
                else "",
            }
        return super().change_view(
            request, object_id, form_url, {**extra, **(extra_context or {})}
        )

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
