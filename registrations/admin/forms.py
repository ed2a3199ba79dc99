"""The forms of the admin's own pages: decisions, and the privacy page."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from groups.models import Region, WhatsAppGroup

from ..forms import INVALID_MOBILE
from ..models import Signup


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The resident reads this in the e-mail. Be polite and brief."),
    )


class MoveForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("New group"), queryset=WhatsAppGroup.objects.none()
    )

    def __init__(self, *args, signup: Signup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any active neighbourhood group of the zone: the names are public.
        self.fields["group"].queryset = (
            WhatsAppGroup.objects.neighbourhood()
            .filter(is_active=True, municipality__zone=signup.municipality.zone_id)
            .exclude(pk=signup.group_id)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )


class ApplicationApprovalForm(forms.Form):
    group_name = forms.CharField(label=_("Name of the group"), max_length=100)
    region = forms.ModelChoiceField(
        label=_("Existing region"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("Choose a region of the municipality, or name a new one below."),
    )
    region_name = forms.CharField(
        label=_("New region"),
        max_length=200,
        required=False,
        help_text=_(
            "For example the streets it covers: “Motstraat, Rode Kruisstraat”."
        ),
    )

    def __init__(self, *args, signup: Signup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(
            municipality=signup.municipality_id
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("region") and not cleaned.get("region_name", "").strip():
            raise ValidationError(_("Choose an existing region or name a new one."))
        return cleaned


class PersonSearchForm(forms.Form):
    """Staff look a person up by e-mail address, mobile number or both."""

    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = PhoneNumberField(
        label=_("Mobile number"),
        region="BE",
        required=False,
        help_text=_("For example 0470 12 34 56 or +32 470 12 34 56."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        error_messages={"invalid": INVALID_MOBILE},
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("email") or cleaned.get("phone")):
            raise forms.ValidationError(
                _("Enter an e-mail address or a mobile number."), code="required"
            )
        return cleaned


class ErasureForm(PersonSearchForm):
    """The same search, confirmed: everything found is erased."""

    confirm = forms.BooleanField(
        label=_(
            "I checked that this is the person who asked, and that everything "
            "listed may be erased. This cannot be undone."
        ),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
