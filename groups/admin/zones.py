"""Police zones, municipalities (with their street import) and streets."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .. import reference, services
from ..models import Municipality, PoliceZone, Street, StreetImport
from .base import ScopedAdmin, ScopedRelatedFilter, ServiceWritesMixin


@admin.register(PoliceZone)
class PoliceZoneAdmin(ServiceWritesMixin, ScopedAdmin):
    list_display = ["name", "contact_name", "email"]
    search_fields = ["name"]
    filter_horizontal = ["staff"]
    delete_service = staticmethod(services.delete_police_zones)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None:
            # Django adds "hold down Control" for a multiple select; the two
            # lists are picked with the arrows, which their own help explains.
            field.help_text = db_field.help_text
        return field

    def save_model(self, request, obj, form, change) -> None:
        services.save_police_zone(obj)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Absent from the form of staff, who may not change it: left as it
        # is. Each login added gets the admin and the staff role; each one
        # taken off loses the role unless still staff of another zone.
        staff = form.cleaned_data.get("staff")
        if staff is not None and "staff" in form.changed_data:
            services.change_zone_staff(form.instance, staff=staff, by=request.user)

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
            "with at least the columns “straatnaam” and “postcode”. UTF-8, "
            "UTF-16 or Windows-1252; separated by a semicolon, a comma or a tab."
        ),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


def official_choices() -> list[tuple[str, str]]:
    return [("", "---------")] + [
        (official.nis_code, str(official)) for official in reference.municipalities()
    ]


class MunicipalityForm(forms.ModelForm):
    """A municipality chosen from the official list, or one typed by hand.

    A new one is always chosen: its names and postcodes are the list's. One
    added before the list came may still be linked to it here (taking the
    list's names and postcodes) or kept as it was typed.
    """

    nis_code = forms.ChoiceField(
        label=_("Municipality in the official list"),
        choices=official_choices,
        required=False,
        help_text=_(
            "Statbel's list of Belgium's municipalities. The name in Dutch and "
            "in French and the postcodes are taken from it."
        ),
    )

    class Meta:
        model = Municipality
        fields = ["zone", "nis_code", "name", "slug", "postcodes"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["nis_code"].required = True
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Left empty: made from the name, for example alken."
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        official = reference.municipality(cleaned.get("nis_code") or "")
        if official is not None:
            # What was typed gives way to the list's (the model takes them too).
            taken = {
                "name": official.name_nl,
                "postcodes": ", ".join(official.postcodes),
            }
            for field, value in taken.items():
                if field in self.fields:
                    cleaned[field] = value
                    self.errors.pop(field, None)
        if "slug" in self.fields and not cleaned.get("slug"):
            name = official.name_nl if official else cleaned.get("name", "")
            cleaned["slug"] = slugify(name)
            if not cleaned["slug"]:
                self.add_error("slug", _("Give the municipality an address."))
        return cleaned

    def _get_validation_exclusions(self):
        excluded = super()._get_validation_exclusions()
        if self.instance.nis_code:
            # Taken from the list rather than typed: checked all the same
            # (one municipality of a name in a zone).
            excluded -= {"name", "name_fr", "postcodes"}
        return excluded


@admin.register(Municipality)
class MunicipalityAdmin(ServiceWritesMixin, ScopedAdmin):
    save_service = staticmethod(services.save_municipality)
    delete_service = staticmethod(services.delete_municipalities)
    form = MunicipalityForm
    list_display = ["name", "name_fr", "postcodes", "nis_code", "zone", "street_count"]
    list_select_related = ["zone"]
    search_fields = ["name", "name_fr", "postcodes", "nis_code"]
    change_form_template = "admin/groups/municipality/change_form.html"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["zone", "nis_code", "slug"]
        if obj.nis_code:
            return ["zone", "nis_code", "name", "name_fr", "postcodes", "slug"]
        return ["zone", "nis_code", "name", "postcodes", "slug"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.nis_code:
            return ["nis_code", "name", "name_fr", "postcodes"]
        return []

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
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                # The file is read here (a bad one is refused on the spot);
                # the worker imports it, and its page shows how far it is.
                job = services.queue_street_import(
                    municipality,
                    data=upload.read(),
                    file_name=upload.name or "",
                    by=request.user,
                )
            except services.StreetFileError as error:
                form.add_error("file", str(error))
            else:
                return HttpResponseRedirect(job.get_absolute_url())
        return TemplateResponse(
            request,
            "admin/groups/municipality/import_streets.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Import streets of %(name)s") % {"name": municipality},
                "opts": self.opts,
                "original": municipality,
                "form": form,
                "recent_imports": StreetImport.objects.visible_to(request.user)
                .filter(municipality=municipality)
                .defer("content", "refused")[:5],
            },
        )


@admin.register(Street)
class StreetAdmin(ServiceWritesMixin, ScopedAdmin):
    save_service = staticmethod(services.save_street)
    delete_service = staticmethod(services.delete_streets)
    list_display = ["name", "postcode", "municipality"]
    list_select_related = ["municipality"]
    list_filter = [("municipality", ScopedRelatedFilter)]
    search_fields = ["name", "search_name", "postcode"]
