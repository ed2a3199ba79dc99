from collections.abc import Callable, Iterable
from dataclasses import dataclass

import phonenumbers
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models, router
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from groups import network_cache
from groups.models import (
    Municipality,
    Region,
    WhatsAppGroup,
    normalize_street_name,
    postcode_validator,
)
from wabp_portal.forms import FocusFirstErrorMixin, QuickSelect

from .constants import ConfirmBy, ConsentChannel, SignupRole
from .models import HouseRules

# A mobile number of any country: residents near the border (and others)
# use WhatsApp on a Dutch, French, German… number. A number without its
# country code is read as Belgian. (Where the numbering plan cannot tell a
# mobile from a landline, as for +1, the number is taken.)
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
INVALID_MOBILE = _(
    "Enter a valid mobile number, for example 0470 12 34 56. A foreign number "
    "starts with its country code, for example +31 6 12 34 56 78."
)

house_number_validator = RegexValidator(
    r"^[1-9][0-9]{0,4} ?[A-Za-z]{0,2}$",
    _("Enter a house number, for example 12 or 12A."),
)
box_validator = RegexValidator(
    r"^[0-9A-Za-z.\-/ ]{1,10}$", _("Enter a box number, for example 2 or 0.1.")
)


def mobile_number_field(**kwargs) -> PhoneNumberField:
    """The mobile number as every form asks it: Belgian by default, any format,
    a foreign one with its country code.

    Pair it with ``require_mobile`` in the form's ``clean_<field>``.
    """
    options = {
        "label": _("Mobile number"),
        "region": "BE",
        "help_text": _(
            "The number you use in WhatsApp, for example 0470 12 34 56. A "
            "foreign number with its country code: +31 6 12 34 56 78."
        ),
        "widget": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        "error_messages": {"invalid": INVALID_MOBILE},
    }
    return PhoneNumberField(**{**options, **kwargs})


def require_mobile(phone):
    """``phone``, or the error that it cannot be a mobile number (a landline)."""
    if phone and phonenumbers.number_type(phone) not in MOBILE_TYPES:
        raise forms.ValidationError(
            _(
                "This is not a mobile number. Enter the number of the phone "
                "you use WhatsApp on, for example 0470 12 34 56."
            ),
            code="not_mobile",
        )
    return phone


def as_pk(value) -> int | None:
    """An id typed in a URL or form, or None: only ASCII digits ("²" is not one)."""
    text = str(value or "")
    if text.isascii() and text.isdigit() and len(text) < 19:
        return int(text)
    return None


def offer_kept_choices(field: forms.ModelChoiceField, name: str) -> None:
    """Offer ``field``'s queryset as kept with the networks table (``name``).

    The list is read and labelled once per version of the table and language
    (``network_cache.cached``), when the form is shown; ``name`` must stand
    for the queryset, and only for rows that exist (a municipality the view
    found, not any number in a URL). What is chosen is still checked against
    the queryset itself.
    """
    queryset = field.queryset

    def options() -> list[tuple[int, str]]:
        return [(row.pk, field.label_from_instance(row)) for row in queryset]

    def choices() -> list[tuple]:
        if field.queryset is not queryset:
            # Narrowed since (staff's form, to their zone): not what is kept.
            return list(field.iterator(field))
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        return empty + network_cache.cached(name, options)

    # A callable: only a form that is shown asks for them.
    field.choices = choices


class KnownChoiceField(forms.ModelChoiceField):
    """A choice whose row the view may have read already (``known``).

    Only where the queryset holds every row (the e-loket: any municipality
    may be chosen): the row read by its number is then the one the queryset
    would return. A form that narrows the queryset (staff's, to their zone)
    is given no ``known`` row.
    """

    widget = QuickSelect
    known = None

    def label_from_instance(self, obj: Municipality) -> str:
        # French pages name a municipality by its French name (Tongres-Looz).
        return obj.local_name

    def to_python(self, value):
        known = self.known
        if known is not None and as_pk(value) == known.pk:
            return known
        return super().to_python(value)


def _row(obj: models.Model | None) -> tuple | None:
    """A row's values, as ``Model.from_db`` takes them back."""
    if obj is None:
        return None
    return tuple(getattr(obj, field.attname) for field in obj._meta.concrete_fields)


def _from_row(model: type[models.Model], values: tuple | None):
    if values is None:
        return None
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(router.db_for_read(model), names, values)


@dataclass(frozen=True)
class PublishedGroups:
    """A municipality's published groups as kept in the cache.

    As their rows' values, not as model instances: a pickled instance takes
    twenty times as long to read back (a municipality's fifty groups, with
    their regions, about a millisecond), and a form needs one of them.
    """

    # (number, label) of each, in the table's order.
    choices: tuple[tuple[int, str], ...]
    # The group's, its region's and its municipality's values, by number.
    rows: dict[int, tuple]

    @classmethod
    def of(
        cls, groups: Iterable[WhatsAppGroup], label: Callable[[WhatsAppGroup], str]
    ) -> "PublishedGroups":
        groups = list(groups)
        return cls(
            choices=tuple((group.pk, label(group)) for group in groups),
            rows={
                group.pk: (_row(group), _row(group.region), _row(group.municipality))
                for group in groups
            },
        )

    def get(self, pk: int) -> WhatsAppGroup | None:
        """The group ``pk`` with its region and municipality, if it is one."""
        if pk not in self.rows:
            return None
        group, region, municipality = self.rows[pk]
        group = _from_row(WhatsAppGroup, group)
        group.region = _from_row(Region, region)
        group.municipality = _from_row(Municipality, municipality)
        return group


def kept_published_groups(
    municipality_id: int, label: Callable[[WhatsAppGroup], str]
) -> PublishedGroups:
    """The published groups of a municipality, in their order, each with its
    ``label`` in the list (``PublishedGroups``).

    Kept with the networks table (``network_cache``), once per version and
    language: the e-loket's list of groups to choose from, when the form is
    shown, and what the group chosen is checked against, when it is sent, so
    the resident who opened the form has had its groups read for their
    signup. Only for a municipality that exists (one the view found): a
    number typed in a URL keeps nothing.
    """
    return network_cache.cached_lookup(
        f"published-groups:{municipality_id}",
        lambda: PublishedGroups.of(
            WhatsAppGroup.objects.published()
            .filter(municipality=municipality_id)
            .select_related("region", "municipality")
            .order_by("display_order", "name"),
            label=label,
        ),
    )


class GroupChoiceField(forms.ModelChoiceField):
    """The group chosen in the e-loket: a published group of the municipality.

    With the municipality found (``offer_kept_groups``), the list to choose
    from and the group chosen are read from what is kept with the networks
    table (``kept_published_groups``) rather than from the database for every
    form; any change to a group moves the table's version. The choice is the
    queryset's all the same: published, of that municipality, or refused
    with the field's own message. A form that narrows the queryset after
    (staff's) reads the queryset instead.
    """

    widget = QuickSelect
    municipality_id: int | None = None
    # The queryset the kept groups stand for (``offer_kept_groups``).
    kept_for = None

    def label_from_instance(self, obj: WhatsAppGroup) -> str:
        return f"{obj.name} ({obj.region.name})"

    def offer_kept_groups(self, municipality_id: int) -> None:
        """Offer and check against ``kept_published_groups(municipality_id)``;
        the queryset must be that municipality's published groups."""
        self.kept_for = self.queryset
        self.municipality_id = municipality_id

        def choices() -> list[tuple]:
            if not self.uses_kept_groups():
                return list(self.iterator(self))
            return [("", self.empty_label)] + list(
                kept_published_groups(municipality_id, self.label_from_instance).choices
            )

        # A callable: only a form that is shown asks for them.
        self.choices = choices

    def uses_kept_groups(self) -> bool:
        return self.kept_for is not None and self.queryset is self.kept_for

    def to_python(self, value):
        pk = as_pk(value)
        if pk is None or not self.uses_kept_groups():
            return super().to_python(value)
        group = kept_published_groups(
            self.municipality_id, self.label_from_instance
        ).get(pk)
        if group is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return group


class SignupForm(FocusFirstErrorMixin, forms.Form):
    """The e-loket form. ``house_rules`` is the version shown, checked on submit."""

    role = forms.ChoiceField(
        label=_("I sign up as"),
        choices=SignupRole.choices,
        initial=SignupRole.PARTICIPANT,
        widget=forms.RadioSelect,
    )
    group = GroupChoiceField(
        label=_("Group"),
        queryset=WhatsAppGroup.objects.none(),
        required=False,
        empty_label=_("Choose your group"),
        help_text=_("Not sure? Look up your street with “Find your group”."),
    )
    proposed_group_name = forms.CharField(
        label=_("Name of the new group"),
        max_length=100,
        required=False,
        help_text=_("For example: WABP Kerkstraat"),
    )
    proposed_area = forms.CharField(
        label=_("Streets or area of the new group"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    street_name = forms.CharField(
        label=_("Street"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "address-line1", "list": "street-suggestions"}
        ),
    )
    house_number = forms.CharField(
        label=_("House number"),
        max_length=8,
        validators=[house_number_validator],
        widget=forms.TextInput(attrs={"inputmode": "text", "class": "narrow"}),
    )
    box = forms.CharField(
        label=_("Box (optional)"),
        max_length=10,
        required=False,
        validators=[box_validator],
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=4,
        validators=[postcode_validator],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
        ),
    )
    municipality = KnownChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        empty_label=None,
    )
    phone = mobile_number_field()
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm your signup."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # The version the resident read: the current one (``current_rules``), or
    # the form asks again. Compared by id, so it costs no query.
    house_rules = forms.CharField(required=False, widget=forms.HiddenInput)
    accept_house_rules = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "You can only sign up if you accept the house rules and the "
                "rules of conduct."
            )
        },
    )
    accept_privacy = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Please confirm that you have read the privacy notice.")
        },
    )
    # Set once the resident has seen that another group covers their address
    # and keeps their own choice.
    keep_group = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args,
        current_rules: HouseRules,
        municipality: Municipality | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.current_rules = current_rules
        # Read by the view with its zone (it decides the house rules).
        self.fields["municipality"].known = municipality
        # The municipality whose groups are offered (``group_choices``).
        self.groups_of: int | None = None
        self.fields["group"].queryset = self.group_choices()
        if municipality is not None and self.groups_of == municipality.pk:
            self.fields["group"].offer_kept_groups(municipality.pk)
        municipalities = Municipality.objects.order_by("name")
        if self.is_bound:
            # The chosen one's zone signs the confirmation mail.
            municipalities = municipalities.select_related("zone")
        self.fields["municipality"].queryset = municipalities
        offer_kept_choices(self.fields["municipality"], "municipality-choices")
        self.fields["accept_house_rules"].label = format_html(
            gettext(
                'I have read and accept the <a href="{url}" target="_blank" '
                'rel="noopener">house rules and rules of conduct</a> (opens in a '
                "new window)"
            ),
            url=reverse(
                "registrations:house-rules-version", kwargs={"pk": current_rules.pk}
            ),
        )
        self.fields["accept_privacy"].label = format_html(
            gettext(
                'I have read the <a href="{url}" target="_blank" '
                'rel="noopener">privacy notice</a> (opens in a new window)'
            ),
            url=reverse("registrations:privacy"),
        )

    @cached_property
    def helper(self) -> FormHelper:
        """The layout, built when the form is shown: a valid POST never is."""
        return self.build_helper()

    def group_choices(self) -> QuerySet[WhatsAppGroup]:
        """The groups to choose from: those of the chosen municipality.

        A zone's few dozen groups are all offered; with more than
        HOME_TABLE_GROUPS published (a country) only those of the municipality
        chosen, or none until one is (``needs_municipality``): a list of
        twenty thousand groups helps nobody and weighs megabytes.
        """
        groups = (
            WhatsAppGroup.objects.published()
            .select_related("region", "municipality")
            .order_by("municipality__name", "display_order", "name")
        )
        if self.is_bound:
            municipality = as_pk(self.data.get(self.add_prefix("municipality")))
        else:
            municipality = as_pk(self.initial.get("municipality"))
        self.needs_municipality = False
        if municipality:
            self.groups_of = municipality
            return groups.filter(municipality=municipality)
        if groups.count() > settings.HOME_TABLE_GROUPS:
            self.needs_municipality = True
            return groups.none()
        return groups

    def build_helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.layout = Layout(
            Fieldset(
                _("What do you want to do?"),
                "role",
                Div("group", css_class="role-participant"),
                Div(
                    Fieldset(
                        _("Only if you start a new group"),
                        "proposed_group_name",
                        "proposed_area",
                    ),
                    css_class="role-coordinator",
                ),
            ),
            Fieldset(
                _("Your details"),
                Div(
                    Div("first_name", css_class="col-sm-6"),
                    Div("last_name", css_class="col-sm-6"),
                    css_class="row",
                ),
                "street_name",
                Div(
                    Div("house_number", css_class="col-6 col-sm-3"),
                    Div("box", css_class="col-6 col-sm-3"),
                    Div("postcode", css_class="col-6 col-sm-3"),
                    Div("municipality", css_class="col-6 col-sm-3"),
                    css_class="row",
                ),
                "phone",
                "email",
            ),
            Fieldset(
                _("House rules and privacy"),
                HTML('{% include "registrations/_house_rules_summary.html" %}'),
                "house_rules",
                Field("accept_house_rules"),
                Field("accept_privacy"),
            ),
            "keep_group",
            Div("website", css_class="hp-field", aria_hidden="true"),
            Submit("submit", _("Send my signup"), css_class="btn-lg"),
        )
        return helper

    def clean_first_name(self) -> str:
        return _clean_text(self.cleaned_data["first_name"])

    def clean_last_name(self) -> str:
        return _clean_text(self.cleaned_data["last_name"])

    def clean_street_name(self) -> str:
        return _clean_text(self.cleaned_data["street_name"])

    def clean_proposed_group_name(self) -> str:
        return _clean_text(self.cleaned_data["proposed_group_name"])

    def clean_proposed_area(self) -> str:
        return _clean_text(self.cleaned_data["proposed_area"], multiline=True)

    def clean_email(self) -> str:
        # One person, one address: "Jan@…" and "jan@…" are the same resident.
        return self.cleaned_data["email"].strip().lower()

    def clean_house_number(self) -> str:
        return self.cleaned_data["house_number"].replace(" ", "").upper()

    def clean_phone(self):
        return require_mobile(self.cleaned_data["phone"])

    def clean_house_rules(self) -> HouseRules:
        if as_pk(self.cleaned_data["house_rules"]) != self.current_rules.pk:
            # The rules changed while the form was open: ask again.
            self.data = self.data.copy()
            self.data[self.add_prefix("house_rules")] = str(self.current_rules.pk)
            self.data[self.add_prefix("accept_house_rules")] = ""
            raise forms.ValidationError(
                _(
                    "The house rules were changed while you filled in the form. "
                    "Please read the new version and accept it again."
                ),
                code="house_rules_changed",
            )
        return self.current_rules

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.has_error("house_rules"):
            # One message at the checkbox: the rules changed, accept again.
            self.errors.pop("accept_house_rules", None)
            self.add_error("accept_house_rules", self.errors.pop("house_rules"))
        role = cleaned.get("role")
        if role == SignupRole.PARTICIPANT and not cleaned.get("group"):
            self.add_error("group", _("Choose the group you want to join."))
        if role == SignupRole.COORDINATOR:
            if not cleaned.get("proposed_group_name"):
                self.add_error("proposed_group_name", _("Give the new group a name."))
            if not cleaned.get("proposed_area"):
                self.add_error(
                    "proposed_area",
                    _("Tell us which streets or which area the group would cover."),
                )
        municipality = cleaned.get("municipality")
        postcode = cleaned.get("postcode")
        if municipality and postcode:
            try:
                municipality.validate_postcode(postcode)
            except forms.ValidationError as error:
                self.add_error("postcode", error)
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


def _clean_text(value: str, *, multiline: bool = False) -> str:
    """Drop control characters and collapse spaces; an empty result is an error."""
    allowed = "\n" if multiline else ""
    text = "".join(
        character
        if character.isprintable() or character in allowed
        else " "
        if character.isspace()
        else ""
        for character in value.replace("\r\n", "\n")
    )
    if multiline:
        text = "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()
    else:
        text = " ".join(text.split())
    if value.strip() and not text:
        raise forms.ValidationError(_("Enter ordinary text."), code="invalid")
    return text


class HouseRulesAcceptForm(FocusFirstErrorMixin, forms.Form):
    """Accept the current house rules again, after a new version."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.BooleanField(
        label=_("I have read the house rules and accept them."),
        error_messages={"required": _("Tick the box to accept the house rules.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The portal's own messages, the same in every browser.
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Accept the house rules")))


class WaitingListForm(FocusFirstErrorMixin, forms.Form):
    """The waiting list for a group: where the resident lives, and an address."""

    municipality = KnownChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        empty_label=_("Choose your municipality"),
    )
    street_name = forms.CharField(
        label=_("Street"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "address-line1", "list": "street-suggestions"}
        ),
    )
    house_number = forms.CharField(
        label=_("House number (optional)"),
        max_length=8,
        required=False,
        validators=[house_number_validator],
        help_text=_("When a group covers only part of your street."),
        widget=forms.TextInput(attrs={"inputmode": "text", "class": "narrow"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm your address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    accept_privacy = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Please confirm that you have read the privacy notice.")
        },
    )
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.order_by("name")
        if self.is_bound:
            # The chosen one's zone signs the confirmation mail.
            municipalities = municipalities.select_related("zone")
        self.fields["municipality"].queryset = municipalities
        offer_kept_choices(self.fields["municipality"], "municipality-choices")
        self.fields["accept_privacy"].label = format_html(
            gettext(
                'I have read the <a href="{url}" target="_blank" '
                'rel="noopener">privacy notice</a> (opens in a new window)'
            ),
            url=reverse("registrations:privacy"),
        )

    @cached_property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.layout = Layout(
            "municipality",
            "street_name",
            "house_number",
            "email",
            Field("accept_privacy"),
            Div("website", css_class="hp-field", aria_hidden="true"),
            Submit("submit", _("Put me on the waiting list"), css_class="btn-lg"),
        )
        return helper

    def clean_street_name(self) -> str:
        street_name = _clean_text(self.cleaned_data["street_name"])
        if not normalize_street_name(street_name):
            raise forms.ValidationError(
                _("Enter the name of your street."), code="invalid"
            )
        return street_name

    def clean_house_number(self) -> str:
        return self.cleaned_data["house_number"].replace(" ", "").upper()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


# --- The resident's own page (mijn inschrijving): change a detail ------------


class ChangePhoneForm(FocusFirstErrorMixin, forms.Form):
    """A new mobile number, checked as the e-loket checks it."""

    phone = mobile_number_field(label=_("New mobile number"))

    def __init__(self, *args, current, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        self.helper = FormHelper()
        # The portal's own messages, the same in every browser.
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Change my mobile number")))

    def clean_phone(self):
        phone = require_mobile(self.cleaned_data["phone"])
        if phone == self.current:
            raise forms.ValidationError(
                _("This is already your mobile number."), code="unchanged"
            )
        return phone


class ChangeEmailForm(FocusFirstErrorMixin, forms.Form):
    """A new e-mail address; it is used once the link mailed to it is opened."""

    email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=254,
        help_text=_(
            "We send a link to this address. Your signup uses it once you "
            "open the link."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, current: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Send the link")))

    def clean_email(self) -> str:
        # One person, one address: "Jan@…" and "jan@…" are the same resident.
        email = self.cleaned_data["email"].strip().lower()
        if email == self.current:
            raise forms.ValidationError(
                _("This is already your e-mail address."), code="unchanged"
            )
        return email


# --- Police-zone staff: a signup for a resident who called or came by --------


class AssistedSignupForm(SignupForm):
    """The e-loket form as staff fill it in for a resident (services.assisted).

    The same fields and checks (mobile number, postcode, street, the group
    that covers the address); the groups and municipalities are the zone's
    only. The consent is the resident's, recorded by the member of staff:
    how it was given, and how the resident confirms.
    """

    consent_channel = forms.ChoiceField(
        label=_("How did the resident sign up?"),
        choices=ConsentChannel.choices,
        widget=forms.RadioSelect,
    )
    confirm_by = forms.ChoiceField(
        label=_("How does the resident confirm?"),
        choices=ConfirmBy.choices,
        initial=ConfirmBy.MAIL,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of the resident"),
        choices=settings.LANGUAGES,
        initial="nl",
        help_text=_("The mails and the letter are in this language."),
    )

    def __init__(self, *args, zone, **kwargs) -> None:
        self.zone = zone
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["municipality"].queryset = Municipality.objects.filter(
            zone=zone
        ).order_by("name")
        self.fields["role"].label = _("The resident signs up as")
        self.fields["group"].empty_label = _("Choose the group")
        self.fields["group"].help_text = ""
        email = self.fields["email"]
        email.required = False
        email.help_text = _(
            "Leave empty if the resident has none: they then confirm with a letter."
        )
        rules = self.fields["accept_house_rules"]
        rules.label = format_html(
            gettext(
                'The resident accepts the <a href="{url}" target="_blank" '
                'rel="noopener">house rules and rules of conduct</a> (version '
                "{version}, opens in a new window): I read them out or handed "
                "them over"
            ),
            url=reverse(
                "registrations:house-rules-version",
                kwargs={"pk": self.current_rules.pk},
            ),
            version=self.current_rules.version,
        )
        rules.error_messages["required"] = _(
            "Only a resident who accepts the house rules can sign up: tick that "
            "they do."
        )
        privacy = self.fields["accept_privacy"]
        privacy.label = format_html(
            gettext(
                'I told the resident how the portal uses their data (<a href="{url}" '
                'target="_blank" rel="noopener">privacy notice</a>, opens in a new '
                "window)"
            ),
            url=reverse("registrations:privacy"),
        )
        privacy.error_messages["required"] = _(
            "Tell the resident about the privacy notice and tick that you did."
        )

    def group_choices(self) -> QuerySet[WhatsAppGroup]:
        """The zone's published groups (of the chosen municipality, once chosen)."""
        groups = (
            WhatsAppGroup.objects.published()
            .filter(municipality__zone=self.zone)
            .select_related("region", "municipality")
            .order_by("municipality__name", "display_order", "name")
        )
        key = "municipality"
        source = self.data if self.is_bound else self.initial
        municipality = as_pk(source.get(self.add_prefix(key) if self.is_bound else key))
        self.needs_municipality = False
        if municipality:
            return groups.filter(municipality=municipality)
        return groups

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("confirm_by") == ConfirmBy.MAIL
            and "email" in cleaned
            and not cleaned["email"]
        ):
            self.add_error(
                "email",
                _(
                    "Enter the resident's e-mail address, or choose that they "
                    "confirm with a letter."
                ),
            )
        return cleaned

    @property
    def is_bot(self) -> bool:
        return False
