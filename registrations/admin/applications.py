"""Applications to coordinate a new group: the zone's staff decide them."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from groups.admin import ScopedRelatedFilter

from .. import services
from ..constants import SignupRole, SignupStatus
from ..models import GroupApplication
from .forms import ApplicationApprovalForm
from .signups import BaseSignupAdmin
from .views import decision_page


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
        form = ApplicationApprovalForm(
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
        if request.method == "POST" and form.is_valid():
            try:
                group = services.approve_application(
                    signup,
                    by=request.user,
                    group_name=form.cleaned_data["group_name"],
                    region=form.cleaned_data["region"],
                    region_name=form.cleaned_data["region_name"],
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
                self.message_user(
                    request,
                    _(
                        "The group %(group)s was founded and %(name)s was invited "
                        "as its coordinator. Publish the group when it is ready."
                    )
                    % {"group": group.name, "name": signup.full_name},
                    messages.SUCCESS,
                )
                return redirect("admin:groups_whatsappgroup_change", group.pk)
        return decision_page(
            self,
            request,
            title=_("Approve new-group application"),
            intro=_(
                "Approving creates the group (hidden until you publish it), its "
                "region, and the coordinator with their login, and e-mails them "
                "an invitation."
            ),
            signup=signup,
            form=form,
            submit=_("Found the group and invite the coordinator"),
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
