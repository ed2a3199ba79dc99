import re

from django import forms
from django.utils.translation import gettext_lazy as _

from wabp_portal.forms import FocusFirstErrorMixin

from .models import postcode_validator

# "Motstraat 12", "Motstraat 12A", "Motstraat 12 bus 3" typed in the street
# field: the street, and the house number for the number field.
_NUMBER_AFTER_STREET = re.compile(
    r"^(?P<street>.*?[^\d\s,])[\s,]+(?P<number>\d{1,5})"
    r"\s*(?:[a-z]|(?:bus|bte|boite|boîte|/)\s*\w{1,5})?\.?$",
    re.IGNORECASE,
)


class FinderForm(FocusFirstErrorMixin, forms.Form):
    """Find my group: a street, a house number and a postcode, posted (kept out
    of the URL). A postcode alone shows the groups of its municipality."""

    straat = forms.CharField(
        label=_("Street"),
        max_length=150,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "address-line1",
                "list": "street-suggestions",
            }
        ),
    )
    nummer = forms.IntegerField(
        label=_("House number"),
        required=False,
        min_value=1,
        max_value=99999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Some streets are split between groups by house number."),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=4,
        validators=[postcode_validator],
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "postal-code",
                "maxlength": "4",
            }
        ),
        help_text=_("Optional. A postcode alone shows the groups of its municipality."),
    )

    def clean_straat(self) -> str:
        typed = self.cleaned_data["straat"]
        value = "".join(c for c in typed if c.isprintable())
        value = " ".join(value.split())
        if typed.strip() and not value:
            raise forms.ValidationError(_("Enter the name of your street."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        street = data.get("straat")
        if street and data.get("nummer") is None and "nummer" not in self.errors:
            # The house number typed after the street, as on an envelope.
            match = _NUMBER_AFTER_STREET.match(street)
            if match and int(match["number"]) >= 1:
                data["straat"] = match["street"]
                data["nummer"] = int(match["number"])
        if not street and not data.get("postcode") and not self.errors:
            self.add_error("straat", _("Enter your street, or your postcode."))
        return data
