"""django-import-export's export page, with the fields under their own names.

The package labels each column box with its attribute name in title case
("First Name", "Listed Publicly"): English on a Dutch page. Here a column
that is a model field shows the field's (translated) verbose name, and the
column's name in the file beside it, so staff know which is which.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from import_export.forms import SelectableFieldsExportForm
from import_export.resources import ModelResource


class LabelledExportForm(SelectableFieldsExportForm):
    def _get_field_label(self, resource: ModelResource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        column = field.column_name if field else field_name
        attribute = (field.attribute if field else None) or field_name
        model = resource._meta.model
        try:
            name = model._meta.get_field(attribute.split("__")[0]).verbose_name
        except FieldDoesNotExist:
            return column
        return f"{capfirst(name)} ({column})"
