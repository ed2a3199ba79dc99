"""What every admin of the network shares: the scope, records, service writes."""

from collections.abc import Callable

from django.contrib import admin
from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
from import_export.admin import ImportExportMixin

from wabp_portal.admin_a11y import LabelledFieldsMixin, LabelledTabularInline
from wabp_portal.export_forms import LabelledExportForm
from wabp_portal.paginator import CappedCountPaginator

from ..models import Municipality, PoliceZone, WhatsAppGroup, is_zone_staff


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
        field = super().formfield_for_foreignkey(
            db_field, request, **self._scoped(db_field, request, kwargs)
        )
        if (
            field is not None
            and db_field.related_model in (PoliceZone, Municipality)
            and field.initial is None
        ):
            # Staff of one zone (or one municipality) need not pick it.
            only = list(field.queryset[:2])
            if len(only) == 1:
                field.initial = only[0].pk
        return field

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

    export_form_class = LabelledExportForm

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


class ServiceWritesMixin:
    """Every write of this admin goes through a service (STYLE.md, "Writes").

    ``save_service(obj)`` saves what the form built (a ``save_model`` of its
    own hands a service the form's many-to-many values too);
    ``delete_service(queryset)`` deletes, one object or a selection; each
    inline saves and deletes its rows through ``inline_services[model]``.
    The form's own ``save_m2m`` never runs: the services write those.
    """

    save_service: Callable[[Model], Model]
    delete_service: Callable[[QuerySet], int]
    inline_services: dict[
        type[Model], tuple[Callable[[Model], Model], Callable[[QuerySet], int]]
    ] = {}

    def save_model(self, request, obj, form, change) -> None:
        self.save_service(obj)

    def delete_model(self, request, obj) -> None:
        self.delete_service(self.model._default_manager.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        self.delete_service(queryset)

    def save_related(self, request, form, formsets, change) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change) -> None:
        rows = formset.save(commit=False)
        deleted = [row.pk for row in formset.deleted_objects]
        if not rows and not deleted:
            return  # a read-only inline, or nothing changed in it
        save, delete = self.inline_services[formset.model]
        if deleted:
            delete(formset.model._default_manager.filter(pk__in=deleted))
        for row in rows:
            save(row)
