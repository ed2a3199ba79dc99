"""Applications to coordinate a new group: the zone's staff decide them.

Approving asks for the new group's streets (whole, or a side or a range of
house numbers), picked from the municipality's known streets: a group is
found by the finder only through its streets, so a group is published at
approval only when its region covers at least one; without, it is founded
hidden and staff are told to add them on the region's page first.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from groups.admin import ScopedRelatedFilter
from groups.constants import NumberParity
from groups.models import RegionStreet, Street

from .. import services
from ..constants import SignupRole, SignupStatus
from ..models import GroupApplication
from .forms import ApplicationApprovalForm
from .signups import BaseSignupAdmin

# Empty rows offered for the new group's streets; more on the region's page.
STREET_ROWS = 5


class ApprovalForm(ApplicationApprovalForm):
    """The group, its region, and whether it shows at once."""

    publish = forms.BooleanField(
        label=_("Show the group in the public table and the finder at once"),
        required=False,
        initial=True,
        help_text=_(
            "Only when its region covers at least one street: residents find "
            "a group through its streets."
        ),
    )


class StreetRowForm(forms.Form):
    """One street of the new group, whole or some of its house numbers."""

    street = forms.ModelChoiceField(
        label=_("Street"), queryset=Street.objects.none(), required=False
    )
    parity = forms.ChoiceField(
        label=_("House numbers"),
        choices=NumberParity.choices,
        initial=NumberParity.ALL,
        required=False,
    )
    number_from = forms.IntegerField(
        label=_("From number"), min_value=1, required=False
    )
    number_to = forms.IntegerField(label=_("To number"), min_value=1, required=False)

    def __init__(self, *args, municipality, admin_site, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["street"]
        # The admin's search box over the zone's streets; a street of another
        # municipality is refused by the queryset below.
        field.widget = AutocompleteSelect(
            RegionStreet._meta.get_field("street"),
            admin_site,
            attrs={"aria-label": _("Street")},
        )
        # Set after the widget: the widget takes its choices from it.
        field.queryset = Street.objects.filter(municipality=municipality)
        field.error_messages["invalid_choice"] = _(
            "Choose a street of %(municipality)s."
        ) % {"municipality": municipality.name}

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("street") and (
            cleaned.get("number_from") or cleaned.get("number_to")
        ):
            self.add_error("street", _("Choose the street of these numbers."))
        start, end = cleaned.get("number_from"), cleaned.get("number_to")
        if start and end and start > end:
            self.add_error(
                "number_to", _("The last number must not be lower than the first.")
            )
        return cleaned

    def coverage(self) -> RegionStreet | None:
        """The unsaved coverage row, or None for a row left empty."""
        data = getattr(self, "cleaned_data", None) or {}
        if not data.get("street"):
            return None
        return RegionStreet(
            street=data["street"],
            parity=data.get("parity") or NumberParity.ALL,
            number_from=data.get("number_from"),
            number_to=data.get("number_to"),
        )


StreetFormSet = forms.formset_factory(
    StreetRowForm, extra=STREET_ROWS, max_num=50, validate_max=True
)


def street_formset(request: HttpRequest, signup, admin_site):
    """The street rows, bound on a post (a post without them has none)."""
    kwargs = {
        "prefix": "streets",
        "form_kwargs": {
            "municipality": signup.municipality,
            "admin_site": admin_site,
        },
    }
    if request.method != "POST":
        return StreetFormSet(**kwargs)
    data = request.POST.copy()
    if "streets-TOTAL_FORMS" not in data:
        data.update({"streets-TOTAL_FORMS": "0", "streets-INITIAL_FORMS": "0"})
    return StreetFormSet(data, **kwargs)


@admin.register(GroupApplication)
class GroupApplicationAdmin(BaseSignupAdmin):
    """Applications to coordinate a new group: the zone's staff decide."""

    status = SignupStatus.PENDING
    role = SignupRole.COORDINATOR
    list_display = [
        "full_name",
        "proposed_group_name",
        "municipality",
        "waiting",
        "phone_link",
        "email",
    ]
    list_filter = [("municipality", ScopedRelatedFilter)]
    ordering = ["created_at"]
    actions = None
    change_form_template = "admin/registrations/groupapplication/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="registrations_groupapplication_approve",
            ),
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="registrations_groupapplication_reject",
            ),
            *super().get_urls(),
        ]

    # Deciding applications is the staff's: ask for the proxy's own
    # permissions, which coordinators do not hold (they hold change_signup).
    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("registrations.view_groupapplication")

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("registrations.change_groupapplication")

    def approve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        signup = self._own(request, pk)
        form = ApprovalForm(
            request.POST or None,
            signup=signup,
            initial={
                "group_name": signup.proposed_group_name,
                # A short area ("Kerkstraat, Schoolstraat") names the region well.
                "region_name": signup.proposed_area
                if len(signup.proposed_area) <= 100
                else "",
            },
        )
        streets = street_formset(request, signup, self.admin_site)
        if request.method == "POST" and form.is_valid() and streets.is_valid():
            try:
                group = services.approve_application(
                    signup,
                    by=request.user,
                    group_name=form.cleaned_data["group_name"],
                    region=form.cleaned_data["region"],
                    region_name=form.cleaned_data["region_name"],
                    streets=[
                        row
                        for row in (each.coverage() for each in streets.forms)
                        if row is not None
                    ],
                    publish=form.cleaned_data["publish"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            except (services.InvalidTransition, PermissionDenied):
                self.message_user(
                    request,
                    _("The application was decided meanwhile; nothing changed."),
                    messages.WARNING,
                )
                return redirect("admin:registrations_groupapplication_changelist")
            else:
                self._tell_founded(request, group, signup)
                return redirect("admin:groups_whatsappgroup_change", group.pk)
        return TemplateResponse(
            request,
            "admin/registrations/groupapplication/approve.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Approve new-group application"),
                "intro": _(
                    "Approving creates the group, its region, and the "
                    "coordinator with their login, and e-mails them an "
                    "invitation. Residents find the group through its streets: "
                    "give at least one to publish it at once."
                ),
                "signup": signup,
                "form": form,
                "streets": streets,
                "media": self.media + form.media + streets.media,
                "submit": _("Found the group and invite the coordinator"),
                "opts": self.model._meta,
            },
        )

    def _tell_founded(self, request: HttpRequest, group, signup) -> None:
        names = {"group": group.name, "name": signup.full_name}
        if group.is_public:
            self.message_user(
                request,
                _(
                    "The group %(group)s was founded and published, and %(name)s "
                    "was invited as its coordinator. Residents of its streets "
                    "find it now."
                )
                % names,
                messages.SUCCESS,
            )
            return
        self.message_user(
            request,
            _(
                "The group %(group)s was founded and %(name)s was invited as its "
                "coordinator. Publish the group when it is ready."
            )
            % names,
            messages.SUCCESS,
        )
        if not group.region.coverage.exists():
            self.message_user(
                request,
                format_html(
                    str(
                        _(
                            "{group} covers no street yet, so it stays hidden "
                            "and nobody finds it. Add its streets on the page "
                            'of its region <a href="{url}">{region}</a>, then '
                            "publish it."
                        )
                    ),
                    group=group.name,
                    region=group.region.name,
                    url=reverse("admin:groups_region_change", args=[group.region_id]),
                ),
                messages.WARNING,
            )

    def reject_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._reject_one(
            request,
            pk,
            title=_("Reject new-group application"),
            intro=_("The applicant reads the reason in the e-mail."),
            submit=_("Reject and e-mail the applicant"),
            success=_("%(count)d application(s) rejected; the applicant was e-mailed."),
        )
