"""House-rules versions: staff publish, correct and ask to accept them."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.admin import ScopedAdmin

from .. import services
from ..models import HouseRules
from ..services.house_rules import REACCEPTING_STATUSES


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
            asked = services.request_reacceptance(rules, by=request.user)
            self.message_user(
                request,
                ngettext(
                    "%(count)d member was asked by e-mail to accept version "
                    "%(version)s.",
                    "%(count)d members were asked by e-mail to accept version "
                    "%(version)s.",
                    asked,
                )
                % {"count": asked, "version": rules.version},
                messages.SUCCESS,
            )
