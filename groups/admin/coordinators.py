"""Coordinators: their rows, logins and invitations; handing a group over."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from phonenumber_field.formfields import PhoneNumberField

from .. import services
from ..constants import HANDOVER_VALID_DAYS
from ..models import Coordinator, Handover, WhatsAppGroup, is_zone_staff
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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name != "groups":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        # The groups have a through model of their own (``GroupCoordinator``,
        # the roles), which Django's admin leaves out of forms. The services
        # write it: a group added here is led; the group's own page makes
        # someone a deputy.
        kwargs = self._scoped(db_field, request, kwargs)
        kwargs["widget"] = FilteredSelectMultiple(
            db_field.verbose_name, is_stacked=False
        )
        return db_field.formfield(**kwargs)

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


class HandoverOfferForm(forms.Form):
    """Whom a lead hands their group to: one of its deputies, or a new person.

    The lead picks only among their own group's deputies; anyone else is
    typed in (name and address), so no coordinator browses the contact
    details of people outside their group.
    """

    deputy = forms.ModelChoiceField(
        label=_("One of the group's deputy coordinators"),
        queryset=Coordinator.objects.none(),
        required=False,
        empty_label=_("Someone else (fill in below)"),
    )
    first_name = forms.CharField(label=_("first name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("e-mail address"), required=False)
    phone = PhoneNumberField(label=_("mobile number"), required=False, region="BE")
    stays_as_deputy = forms.BooleanField(
        label=_("I stay on as deputy coordinator"),
        required=False,
        help_text=_(
            "Without this, the group is no longer yours once your successor accepts."
        ),
    )

    def __init__(self, *args, deputies: list[Coordinator], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if deputies:
            self.fields["deputy"].queryset = Coordinator.objects.filter(
                pk__in=[deputy.pk for deputy in deputies]
            )
        else:
            del self.fields["deputy"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deputy"):
            return cleaned
        for name in ("first_name", "last_name", "email"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("Fill in your successor's details."))
        return cleaned


@admin.register(Handover)
class HandoverAdmin(ScopedAdmin):
    """Handovers: a lead offers theirs from here; staff see their zone's."""

    list_display = [
        "group",
        "successor_name",
        "from_coordinator",
        "created_at",
        "expires_at",
        "state",
    ]
    list_select_related = ["group", "from_coordinator"]
    actions = ["cancel"]
    readonly_fields = [
        "group",
        "from_coordinator",
        "successor",
        "first_name",
        "last_name",
        "email",
        "phone",
        "stays_as_deputy",
        "created_at",
        "expires_at",
        "accepted_at",
        "cancelled_at",
    ]

    # Offered from a group (``offer_view``), answered by mail, never edited.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("successor"))
    def successor_name(self, obj: Handover) -> str:
        return obj.successor_name

    @admin.display(description=_("state"))
    def state(self, obj: Handover) -> str:
        return services.closed_reason(obj) or _("Waiting for an answer")

    def get_urls(self):
        return [
            path(
                "overdragen/<int:group_id>/",
                self.admin_site.admin_view(self.offer_view),
                name="groups_handover_offer",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Cancel the handover"))
    def cancel(self, request, queryset) -> None:
        done = 0
        for handover in queryset.open():
            try:
                services.cancel_handover(handover, by=request.user)
            except (ValidationError, PermissionDenied):
                continue
            done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d handover was cancelled.",
                "%(count)d handovers were cancelled.",
                done,
            )
            % {"count": done},
            messages.SUCCESS if done else messages.WARNING,
        )

    def offer_view(self, request: HttpRequest, group_id: int) -> HttpResponse:
        """A lead names their successor for one of their groups."""
        group = (
            WhatsAppGroup.objects.led_by(request.user)
            .neighbourhood()
            .filter(pk=group_id)
            .first()
        )
        if group is None:
            raise Http404
        deputies = services.deputies_of(group)
        form = HandoverOfferForm(request.POST or None, deputies=deputies)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                handover = services.offer_handover(
                    group,
                    by=request.user,
                    successor=data.get("deputy"),
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=str(data["phone"] or ""),
                    stays_as_deputy=data["stays_as_deputy"],
                )
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                for field, errors in _error_fields(error, form):
                    for message in errors:
                        form.add_error(field, message)
            else:
                self.message_user(
                    request,
                    _(
                        "%(name)s has been e-mailed a link to accept %(group)s. "
                        "Until they accept, the group stays yours."
                    )
                    % {"name": handover.successor_name, "group": group.name},
                    messages.SUCCESS,
                )
                return redirect("admin:groups_handover_changelist")
        waiting = Handover.objects.filter(group=group).open().first()
        return TemplateResponse(
            request,
            "admin/groups/handover/offer.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Hand over %(group)s") % {"group": group.name},
                "group": group,
                "form": form,
                "waiting": waiting,
                "valid_days": HANDOVER_VALID_DAYS,
            },
        )


def _error_fields(error: ValidationError, form: forms.Form):
    """A service's errors by form field (None for the form as a whole)."""
    if not hasattr(error, "error_dict"):
        return [(None, error.messages)]
    return [
        (field if field in form.fields else None, messages_)
        for field, messages_ in error.message_dict.items()
    ]
