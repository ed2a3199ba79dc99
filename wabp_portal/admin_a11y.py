"""Names for the admin's form fields that Django leaves without one.

axe finds these gaps in Django's admin (WCAG 1.3.1 and 4.1.2): the boxes of a
tabular inline row sit under a column heading but have no label, nor has the
row's "delete" box; the date and time boxes of a date-time field follow plain
text instead of a label. A screen reader then says "edit text" and nothing
else. The admins here give each box an ``aria-label``: the field's own label,
and for date and time which of the two it is. ``static/js/admin_a11y.js`` does
the same for the widgets Django's scripts build in the browser.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's date and time boxes, each named after the field."""

    def __init__(self, label, attrs=None) -> None:
        super().__init__(attrs)
        self.label = label

    def get_context(self, name, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        parts = (context["date_label"], context["time_label"])
        for subwidget, part in zip(context["widget"]["subwidgets"], parts, strict=True):
            subwidget["attrs"]["aria-label"] = f"{self.label}: {part.rstrip(':')}"
        return context


class LabelledFieldsMixin:
    """For a ModelAdmin: date-time fields get named date and time boxes."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, AdminSplitDateTime):
            formfield.widget = LabelledSplitDateTime(formfield.label)
        return formfield


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete this row")


class LabelledTabularInline(LabelledFieldsMixin, admin.TabularInline):
    """A table of rows whose every box carries its column's name."""

    formset = LabelledInlineFormSet

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and not formfield.widget.is_hidden:
            formfield.widget.attrs.setdefault("aria-label", formfield.label)
        return formfield
