"""Posting an admin change form back as a browser would."""

from django import forms


def form_data(response) -> dict:
    """What the browser posts back from an admin change form, unchanged.

    Fields of the form and of every inline (with the management forms);
    split widgets (date and time) as their parts. Disabled fields are left
    out, as a browser leaves them out.
    """
    data: dict = {}

    def put(form) -> None:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            key = form.add_prefix(name)
            value = form[name].value()
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, forms.MultiWidget):
                parts = value if isinstance(value, list) else widget.decompress(value)
                for suffix, part in zip(widget.widgets_names, parts, strict=True):
                    if part is not None:
                        data[key + suffix] = str(part)
            elif value is None or value is False:
                continue
            elif value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        put(inline.formset.management_form)
        for form in inline.formset.forms:
            put(form)
    return data
