"""The coordinator table as a spreadsheet (django-import-export).

Two files make the table: the groups (with their municipality and region)
and the coordinators (with the groups they coordinate). Rows are matched on
their natural keys, never on database ids, so a file exported from one
portal imports into another: a group by municipality and name, a coordinator
by zone and e-mail address.

Rows are written through the services (``groups.services``), as the admin
writes them; reading a row writes nothing. Every lookup goes through
``visible_to(user)``: staff import into and export
from their own zones only, and a row naming anything outside them is refused
with the reason. Nothing is written unless every row is valid (the import
runs in one transaction; see IMPORT_EXPORT_USE_TRANSACTIONS).

Every text cell is exported as text for spreadsheets (a group called
``=HYPERLINK(...)`` would run in the staff member's spreadsheet) and
restored on import, so an exported file imports back unchanged
(``wabp_portal.spreadsheets``).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from wabp_portal.spreadsheets import neutralise, restore

from .constants import GroupKind
from .models import Coordinator, Municipality, PoliceZone, Region, WhatsAppGroup
from .services import (
    create_coordinator,
    save_whatsapp_group,
    set_coordinator_groups,
    update_coordinator,
)


class ScopedResource(resources.ModelResource):
    """A resource that sees only what its user may see."""

    def __init__(self, *, user=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field.widget, ScopedWidgetMixin):
                field.widget.user = user

    def get_queryset(self):
        return self._meta.model.objects.visible_to(self.user)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return neutralise(value) if isinstance(value, str) else value

    def import_row(self, row, instance_loader, **kwargs):
        # Before any other hook reads the row: they see the cells as typed.
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = restore(value)
        return super().import_row(row, instance_loader, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        # import-export cleans many-to-many columns only when saving; clean
        # them here as well, so an unknown name is reported with the row.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)


class ScopedWidgetMixin:
    user = None

    def visible(self, model):
        return model.objects.visible_to(self.user)


class ZoneWidget(ScopedWidgetMixin, widgets.ForeignKeyWidget):
    def __init__(self) -> None:
        super().__init__(PoliceZone, field="name")

    def get_queryset(self, value, row, *args, **kwargs):
        return self.visible(PoliceZone)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except PoliceZone.DoesNotExist as error:
            raise ValueError(
                _("“%(value)s” is not a police zone you keep.") % {"value": value}
            ) from error


class MunicipalityWidget(ScopedWidgetMixin, widgets.ForeignKeyWidget):
    def __init__(self) -> None:
        super().__init__(Municipality, field="name")

    def get_queryset(self, value, row, *args, **kwargs):
        return self.visible(Municipality)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except Municipality.DoesNotExist as error:
            raise ValueError(
                _("“%(value)s” is not a municipality of your zone.") % {"value": value}
            ) from error
        except Municipality.MultipleObjectsReturned as error:
            raise ValueError(
                _("More than one municipality is called “%(value)s”.")
                % {"value": value}
            ) from error


class RegionWidget(ScopedWidgetMixin, widgets.ForeignKeyWidget):
    """A region by name within the row's municipality, created if missing.

    A missing region is returned unsaved: it is created with its group when
    the row is saved (``save_whatsapp_group``), never while the row is read.
    """

    def __init__(self) -> None:
        super().__init__(Region, field="name")

    def clean(self, value, row=None, **kwargs):
        name = " ".join(str(value or "").split())
        if not name:
            return None
        municipality = MunicipalityWidget()
        municipality.user = self.user
        try:
            place = municipality.clean((row or {}).get("municipality"), row)
        except ValueError:
            return None  # the municipality column reports the problem
        if place is None:
            return None
        region = Region.objects.filter(municipality=place, name=name).first()
        return region or Region(municipality=place, name=name)


class GroupsWidget(ScopedWidgetMixin, widgets.ManyToManyWidget):
    """Group names separated by ";", looked up in the row's police zone."""

    def __init__(self) -> None:
        super().__init__(WhatsAppGroup, separator=";", field="name")

    def clean(self, value, row=None, **kwargs):
        names = [
            " ".join(name.split()) for name in str(value or "").split(self.separator)
        ]
        names = [name for name in names if name]
        visible = self.visible(WhatsAppGroup)
        zone = (row or {}).get("zone")
        if zone:
            visible = visible.filter(municipality__zone__name=zone)
        found = {group.name: group for group in visible.filter(name__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            raise ValueError(
                _("Unknown group in your zone: %(names)s.")
                % {"names": ", ".join(unknown)}
            )
        return WhatsAppGroup.objects.filter(pk__in=[g.pk for g in found.values()])

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(sorted(group.name for group in value.all()))


class WhatsAppGroupResource(ScopedResource):
    municipality = fields.Field(
        attribute="municipality",
        column_name="municipality",
        widget=MunicipalityWidget(),
    )
    region = fields.Field(
        attribute="region", column_name="region", widget=RegionWidget()
    )
    # Spreadsheets give an empty cell back as None; the text is never NULL.
    description = fields.Field(
        attribute="description",
        column_name="description",
        widget=widgets.CharWidget(allow_blank=True),
    )

    class Meta:
        model = WhatsAppGroup
        import_id_fields = ["municipality", "name"]
        # The invite link is private: it never travels in a spreadsheet.
        fields = [
            "municipality",
            "region",
            "name",
            "kind",
            "description",
            "is_public",
            "is_active",
            "display_order",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_import_row(self, row, **kwargs):
        if not row.get("kind"):
            row["kind"] = GroupKind.NEIGHBOURHOOD

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        region = instance.region
        if region is None or region.pk is not None:
            super().validate_instance(
                instance, import_validation_errors, validate_unique
            )
            return
        # A new region: it is checked on its own here, and the group's
        # constraints on it once it is saved (save_whatsapp_group).
        errors = dict(import_validation_errors or {})
        try:
            region.full_clean(exclude=["municipality"])
        except ValidationError as error:
            errors["region"] = error.messages
        try:
            instance.full_clean(
                exclude=[*errors, "region"], validate_unique=validate_unique
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        save_whatsapp_group(instance)

    def get_export_queryset(self, request=None):
        return self.get_queryset().select_related("municipality", "region")


class CoordinatorResource(ScopedResource):
    zone = fields.Field(attribute="zone", column_name="zone", widget=ZoneWidget())
    groups = fields.Field(
        attribute="groups", column_name="groups", widget=GroupsWidget(), m2m_add=False
    )

    class Meta:
        model = Coordinator
        import_id_fields = ["zone", "email"]
        fields = [
            "zone",
            "first_name",
            "last_name",
            "email",
            "phone",
            "groups",
            "listed_publicly",
            "shares_contact",
            "is_active",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_import_row(self, row, **kwargs):
        if row.get("email"):
            row["email"] = str(row["email"]).strip().lower()

    def do_instance_save(self, instance, is_create):
        # New coordinators get a login and an invitation, as in the admin; a
        # row that switches one off closes the login.
        if is_create:
            create_coordinator(instance, by=self.user)
            return
        # The e-mail address is the row's key: an import never re-addresses.
        update_coordinator(instance, changed=(), by=self.user)

    def save_m2m(self, instance, row, **kwargs):
        # The groups column, through the service rather than import-export's
        # own ``set()``. The import always runs in a transaction, so a dry run
        # is rolled back like every other write.
        field = self.fields["groups"]
        if field.column_name not in row:
            return  # a file without the column leaves the groups as they are
        set_coordinator_groups(instance, groups=field.clean(row, **kwargs))

    def dehydrate_phone(self, coordinator: Coordinator) -> str:
        return coordinator.phone.as_international if coordinator.phone else ""
