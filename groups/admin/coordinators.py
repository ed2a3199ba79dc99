"""Coordinators: their rows, logins and invitations."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import Coordinator, is_zone_staff
from ..resources import CoordinatorResource
from .base import ScopedAdmin, ServiceWritesMixin, TableImportExportMixin


class CoordinatorForm(forms.ModelForm):
    request_user: User  # set by CoordinatorAdmin.get_form

    class Meta:
        model = Coordinator
        fields = [
            "zone",
            "user",
            "first_name",
            "last_name",
            "email",
            "phone",
            "groups",
            "listed_publicly",
            "shares_contact",
            "notification_mode",
            "is_active",
        ]
        # The groups through their roles (``GroupCoordinator``): a group
        # added here is led; the group's own page makes someone a deputy.
        widgets = {
            "groups": FilteredSelectMultiple(_("WhatsApp groups"), is_stacked=False)
        }

    def clean_email(self) -> str:
        # Stored lower-case everywhere, so one address is one coordinator.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and self.instance.pk is None:
            try:
                services.check_email_for_login(email, by=self.request_user)
            except ValidationError as error:
                self.add_error(None, error)
        user = self.instance.user if self.instance.pk else None
        if (
            "is_active" in self.changed_data
            and cleaned.get("is_active")
            and user is not None
            and not user.is_active
            and not services.may_manage_login(self.request_user, user)
        ):
            self.add_error(
                "is_active",
                _(
                    "This coordinator's login also serves another role; ask an "
                    "administrator to reactivate it."
                ),
            )
        zone = cleaned.get("zone") or getattr(self.instance, "zone", None)
        groups = cleaned.get("groups")
        if zone is not None and groups is not None:
            foreign = [g.name for g in groups if g.municipality.zone_id != zone.pk]
            if foreign:
                self.add_error(
                    "groups",
                    _("These groups lie in another police zone: %(names)s.")
                    % {"names": ", ".join(foreign)},
                )
        return cleaned


@admin.register(Coordinator)
class CoordinatorAdmin(TableImportExportMixin, ServiceWritesMixin, ScopedAdmin):
    resource_classes = [CoordinatorResource]
    form = CoordinatorForm
    actions = ["send_invitation", "deactivate", "reactivate", "reset_two_factor"]
    list_display = ["full_name", "email", "phone", "listed_publicly", "is_active"]
    list_filter = [
        ("zone", admin.RelatedOnlyFieldListFilter),
        "is_active",
        "listed_publicly",
        ("groups", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["first_name", "last_name", "email"]
    autocomplete_fields = ["user"]

    # What a coordinator may change on their own row: how they are reached and
    # shown. Their groups (assignment), zone and login are the zone's to keep.
    self_editable = {
        "phone",
        "listed_publicly",
        "shares_contact",
        "notification_mode",
    }

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The e-mail check asks whose login the address may link.
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        if is_zone_staff(request.user):
            # Logins are linked through the invitation, not picked from a
            # list of every account in the portal.
            return ["user"]
        return [
            field.name
            for field in Coordinator._meta.get_fields()
            if field.concrete
            and not field.auto_created
            and field.name not in self.self_editable
        ]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: Coordinator) -> str:
        return obj.full_name

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_zone_staff(request.user):
            for name in (
                "send_invitation",
                "deactivate",
                "reactivate",
                "reset_two_factor",
            ):
                actions.pop(name, None)
        return actions

    delete_service = staticmethod(services.delete_coordinators)

    def save_model(self, request, obj, form, change) -> None:
        # The groups go to the service with the row: absent from the form of
        # a coordinator, who may not change them, they are left as they are.
        if not change:
            # A new coordinator gets a login and an invitation to set a password.
            services.create_coordinator(
                obj, by=request.user, groups=form.cleaned_data.get("groups", ())
            )
            self.message_user(
                request,
                _("An invitation to set a password was e-mailed to %(email)s.")
                % {"email": obj.user.email},
                messages.SUCCESS,
            )
            return
        try:
            services.update_coordinator(
                obj,
                changed=form.changed_data,
                by=request.user,
                groups=form.cleaned_data.get("groups"),
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        if (
            "email" in form.changed_data
            and obj.user is not None
            and obj.user.email != obj.email
        ):
            self.message_user(request, self.login_not_yours_message, messages.WARNING)

    login_not_yours_message = _(
        "The coordinator's login also serves another role, so it keeps its own "
        "e-mail address and receives its invitations there; ask an "
        "administrator to change it."
    )

    def _manageable(self, request, coordinators) -> tuple[list, int]:
        """The coordinators whose login ``request.user`` may act on, and the rest."""
        allowed = [
            coordinator
            for coordinator in coordinators
            if coordinator.user is None
            or services.may_manage_login(request.user, coordinator.user)
        ]
        return allowed, len(coordinators) - len(allowed)

    def _tell_refused(self, request, refused: int) -> None:
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d coordinator was left as it was: their login also "
                    "serves another role. Ask an administrator.",
                    "%(count)d coordinators were left as they were: their logins "
                    "also serve another role. Ask an administrator.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )

    @admin.action(description=_("Send the invitation to set a password again"))
    def send_invitation(self, request, queryset) -> None:
        coordinators, refused = self._manageable(
            request,
            list(queryset.active().filter(user__isnull=False).select_related("user")),
        )
        sent = 0
        for coordinator in coordinators:
            try:
                services.invite_coordinator(coordinator, by=request.user)
            except ValidationError:
                refused += 1
                continue
            sent += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation was sent.",
                "%(count)d invitations were sent.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS if sent else messages.WARNING,
        )
        self._tell_refused(request, refused)

    @admin.action(description=_("Deactivate: off the public table, login closed"))
    def deactivate(self, request, queryset) -> None:
        coordinators = list(queryset.active())
        for coordinator in coordinators:
            services.deactivate_coordinator(coordinator, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d coordinator was deactivated.",
                "%(count)d coordinators were deactivated.",
                len(coordinators),
            )
            % {"count": len(coordinators)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset two-step verification (lost phone)"))
    def reset_two_factor(self, request, queryset) -> None:
        coordinators, refused = self._manageable(
            request, list(queryset.filter(user__isnull=False).select_related("user"))
        )
        for coordinator in coordinators:
            services.reset_two_factor(coordinator, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d coordinator links an authenticator app again at "
                "their next login.",
                "%(count)d coordinators link an authenticator app again at "
                "their next login.",
                len(coordinators),
            )
            % {"count": len(coordinators)},
            messages.SUCCESS,
        )
        self._tell_refused(request, refused)

    @admin.action(description=_("Reactivate"))
    def reactivate(self, request, queryset) -> None:
        coordinators = list(queryset.filter(is_active=False))
        done = refused = 0
        for coordinator in coordinators:
            try:
                services.reactivate_coordinator(coordinator, by=request.user)
            except ValidationError:
                refused += 1
                continue
            done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d coordinator was reactivated.",
                "%(count)d coordinators were reactivated.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )
        self._tell_refused(request, refused)
