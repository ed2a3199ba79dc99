"""House-rules versions: staff publish, correct and ask to accept them.

Also what the members list shows of them: which version each member accepted
(``house_rules_version``, ``HouseRulesVersionFilter``).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.admin import ScopedAdmin

from .. import services
from ..models import HouseRules, Signup
from ..services.house_rules import REACCEPTING_STATUSES


@admin.display(description=_("house rules version"), ordering="house_rules__version")
def house_rules_version(obj: Signup) -> str:
    """The version a member accepted, and whether it is the current one."""
    rules = obj.house_rules
    if rules.is_current:
        return _("%(version)s (current)") % {"version": rules.version}
    return str(rules.version)


class HouseRulesVersionFilter(admin.SimpleListFilter):
    """Members by the house-rules version they accepted: current, older, or one."""

    title = _("house rules version accepted")
    parameter_name = "reglement"

    def lookups(self, request, model_admin):
        versions = (
            HouseRules.objects.visible_to(request.user)
            .order_by("-version")
            .values_list("version", flat=True)
            .distinct()
        )
        return [
            ("current", _("the current version")),
            ("older", _("an older version")),
            *(
                (str(version), _("version %(version)s") % {"version": version})
                for version in versions
            ),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "current":
            return queryset.filter(house_rules__is_current=True)
        if value == "older":
            return queryset.filter(house_rules__is_current=False)
        if value and value.isdigit() and len(value) < 10:
            return queryset.filter(house_rules__version=int(value))
        return queryset


class ReacceptanceActionForm(ActionForm):
    """The action bar, with the days members get to accept the new version."""

    deadline_days = forms.IntegerField(
        label=_("days to accept"),
        min_value=1,
        max_value=365,
        required=False,
        initial=settings.REACCEPTANCE_DEADLINE_DAYS,
        help_text=_("After the deadline the coordinators are told whom to remove."),
    )


@admin.register(HouseRules)
class HouseRulesAdmin(ScopedAdmin):
    """Versions of the house rules; a new version is published by adding one."""

    list_display = [
        "title",
        "version",
        "zone",
        "is_current",
        "published_at",
        "accepted_count",
        "asked_count",
    ]
    list_filter = [("zone", admin.RelatedOnlyFieldListFilter), "is_current"]
    actions = ["ask_to_reaccept"]
    action_form = ReacceptanceActionForm

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        in_groups = Q(signups__status__in=REACCEPTING_STATUSES)
        return (
            super()
            .get_queryset(request)
            .annotate(
                accepted=Count("signups", filter=in_groups, distinct=True),
                asked=Count("reacceptance_requests", distinct=True),
            )
            .order_by(*HouseRules._meta.ordering)
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["zone", "title", "body", "pdf"]
        return ["zone", "version", "is_current", "title", "body", "pdf", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A version someone accepted is a record of what they agreed to.
        if obj.signups.exists():
            return self.get_fields(request, obj)
        return ["zone", "version", "is_current", "published_at"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            services.correct_house_rules(
                obj, by=request.user, title=obj.title, body=obj.body, pdf=obj.pdf
            )
            return
        services.publish_house_rules(obj, by=request.user)
        self.message_user(
            request,
            _("Version %(version)s is now the current house rules.")
            % {"version": obj.version},
            messages.SUCCESS,
        )

    def delete_model(self, request, obj) -> None:
        services.delete_house_rules(obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for rules in queryset:
                services.delete_house_rules(rules, by=request.user)

    @admin.display(description=_("members who accepted it"), ordering="accepted")
    def accepted_count(self, obj: HouseRules) -> int:
        return obj.accepted

    @admin.display(description=_("asked to accept it"), ordering="asked")
    def asked_count(self, obj: HouseRules) -> int:
        return obj.asked

    @admin.action(description=_("Ask members on an older version to accept this one"))
    def ask_to_reaccept(self, request, queryset) -> None:
        # Only this field: the form's action choices are filled by the admin.
        field = ReacceptanceActionForm.base_fields["deadline_days"]
        try:
            days = field.clean(request.POST.get("deadline_days", ""))
        except forms.ValidationError:
            self.message_user(
                request,
                _("Choose between 1 and 365 days to accept the house rules."),
                messages.ERROR,
            )
            return
        for rules in queryset:
            if not rules.is_current:
                self.message_user(
                    request,
                    _(
                        "Version %(version)s is not current; only the current "
                        "version can be accepted."
                    )
                    % {"version": rules.version},
                    messages.WARNING,
                )
                continue
            asked = services.request_reacceptance(
                rules, by=request.user, deadline_days=days
            )
            self.message_user(
                request,
                ngettext(
                    "%(count)d member was asked by e-mail to accept version "
                    "%(version)s within %(days)s days.",
                    "%(count)d members were asked by e-mail to accept version "
                    "%(version)s within %(days)s days.",
                    asked,
                )
                % {
                    "count": asked,
                    "version": rules.version,
                    "days": days or settings.REACCEPTANCE_DEADLINE_DAYS,
                },
                messages.SUCCESS,
            )
