from django import forms
from django.utils.translation import gettext_lazy as _

from wabp_portal.forms import FocusFirstErrorMixin

from .models import postcode_validator


class FinderForm(FocusFirstErrorMixin, forms.Form):
    """Find my group: a street and a house number, posted (kept out of the URL)."""

    straat = forms.CharField(
        label=_("Street"),
        max_length=150,
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

    # Set by the links that tell streets of the same name apart.
    postcode = forms.CharField(
        required=False,
        max_length=4,
        validators=[postcode_validator],
        widget=forms.HiddenInput,
    )

    def clean_straat(self) -> str:
        value = "".join(c for c in self.cleaned_data["straat"] if c.isprintable())
        value = " ".join(value.split())
        if not value:
            raise forms.ValidationError(_("Enter the name of your street."))
        return value
