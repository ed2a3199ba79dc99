"""Messages from the police zone: staff write them, coordinators read them.

Staff write a message on the add page; before it goes out a second page says
how many coordinators will receive it, and nothing is sent without that
step. A sent message is read only, with who received and read it. A
coordinator sees only the messages addressed to them; opening one marks it
read.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import (
    Message,
    MessageRecipient,
    Municipality,
    PoliceZone,
    WhatsAppGroup,
    is_zone_staff,
)
from .base import RecordAdminMixin, ScopedAdmin, ScopedInline, ScopedRelatedFilter

COMPOSE_TEMPLATE = "admin/groups/message/compose.html"
CONFIRM_TEMPLATE = "admin/groups/message/confirm.html"
SEND = "send"
EDIT = "edit"
EXPECTED = "expected"


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: WhatsAppGroup) -> str:
        return f"{obj.name} ({obj.municipality.name})"


class MessageForm(forms.Form):
    """A message and whom it goes to; the choices are the writer's zones only."""

    zone = forms.ModelChoiceField(
        label=_("police zone"), queryset=PoliceZone.objects.none()
    )
    municipality = forms.ModelChoiceField(
        label=_("only the coordinators of this municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("(all coordinators of the zone)"),
        help_text=_(
            "Leave empty to write to every coordinator of the zone, or choose "
            "groups below instead."
        ),
    )
    groups = GroupChoiceField(
        label=_("only the coordinators of these groups"),
        queryset=WhatsAppGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leads and deputies of the groups you tick."),
    )
    subject = forms.CharField(label=_("subject"), max_length=200)
    body = forms.CharField(
        label=_("message"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text. Coordinators read it in their e-mail and here."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        zones = PoliceZone.objects.all()
        if not user.is_superuser:
            zones = zones.filter(staff=user)
        self.fields["zone"].queryset = zones
        if zones.count() == 1:
            # One zone: it is chosen already.
            self.fields["zone"].empty_label = None
        self.fields["municipality"].queryset = Municipality.objects.filter(
            zone__in=zones.values("pk")
        )
        self.fields["groups"].queryset = (
            WhatsAppGroup.objects.filter(municipality__zone__in=zones.values("pk"))
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("zone")
        municipality = cleaned.get("municipality")
        groups = list(cleaned.get("groups") or [])
        cleaned["groups"] = groups
        if municipality is not None and groups:
            raise ValidationError(
                _("Choose a municipality or groups, not both."), code="both"
            )
        if zone is None:
            return cleaned
        if municipality is not None and municipality.zone_id != zone.pk:
            self.add_error(
                "municipality", _("This municipality belongs to another zone.")
            )
        if any(group.municipality.zone_id != zone.pk for group in groups):
            self.add_error("groups", _("One of the groups belongs to another zone."))
        return cleaned


class MessageRecipientInline(RecordAdminMixin, ScopedInline):
    """Who received the message and when they read it: staff read, nobody writes."""

    model = MessageRecipient
    extra = 0
    can_delete = False
    fields = ["coordinator", "read_at"]
    readonly_fields = fields
    verbose_name_plural = _("recipients and when they read it")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("coordinator")


def _staff(request: HttpRequest) -> bool:
    """Whether the user keeps a zone (asked once per request): staff's view."""
    if not hasattr(request, "_keeps_a_zone"):
        request._keeps_a_zone = is_zone_staff(request.user)
    return request._keeps_a_zone


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", _("new")), ("yes", _("read"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(my_read_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(my_read_at__isnull=False)
        return queryset


@admin.register(Message)
class MessageAdmin(ScopedAdmin):
    """Staff write and follow their messages; coordinators read theirs."""

    list_select_related = ["zone"]
    list_filter = [("zone", ScopedRelatedFilter)]
    search_fields = ["subject", "body"]
    readonly_fields = [
        "zone",
        "audience_label",
        "sent_by",
        "sent_at",
        "subject",
        "body_text",
        "read_summary",
    ]
    staff_fields = readonly_fields
    coordinator_fields = ["zone", "sent_at", "subject", "body_text"]
    inlines = [MessageRecipientInline]

    # Kept as sent: written only through the add page (the staff role's
    # permission; the form offers only the writer's zones and the service
    # checks them again), never changed.
    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if _staff(request):
            return queryset.annotate(
                recipient_count=Count("recipients"),
                read_count=Count(
                    "recipients", filter=Q(recipients__read_at__isnull=False)
                ),
            )
        mine = MessageRecipient.objects.of_user(request.user).filter(
            message=OuterRef("pk")
        )
        return queryset.annotate(my_read_at=Subquery(mine.values("read_at")[:1]))

    def get_list_display(self, request: HttpRequest):
        if _staff(request):
            return ["subject", "zone", "audience_label", "sent_at", "read_count_shown"]
        return ["subject", "zone", "sent_at", "read_state"]

    def get_list_filter(self, request: HttpRequest):
        return self.list_filter if _staff(request) else [ReadFilter]

    def get_fields(self, request: HttpRequest, obj=None):
        if _staff(request):
            return self.staff_fields
        return self.coordinator_fields

    def get_inlines(self, request: HttpRequest, obj):
        # Coordinators do not see who else received the message.
        return self.inlines if _staff(request) else []

    @admin.display(description=_("to"))
    def audience_label(self, obj: Message) -> str:
        return obj.audience_label

    @admin.display(description=_("message"))
    def body_text(self, obj: Message) -> str:
        # Escaped, then its line breaks kept: plain text, as it was typed.
        return linebreaksbr(obj.body, autoescape=True)

    @admin.display(description=_("read by"), ordering="read_count")
    def read_count_shown(self, obj: Message) -> str:
        return _("%(read)d of %(count)d") % {
            "read": obj.read_count,
            "count": obj.recipient_count,
        }

    @admin.display(description=_("read by"))
    def read_summary(self, obj: Message) -> str:
        recipients = obj.recipients.all()
        return _("%(read)d of %(count)d coordinators read it in the portal.") % {
            "read": recipients.filter(read_at__isnull=False).count(),
            "count": recipients.count(),
        }

    @admin.display(description=_("read"), ordering="my_read_at")
    def read_state(self, obj: Message) -> str:
        return _("read") if obj.my_read_at else _("new")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        message = self.get_object(request, unquote(object_id))
        if message is not None and request.method == "GET":
            services.mark_read(message, by=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    # Writing -------------------------------------------------------------------

    def add_view(self, request: HttpRequest, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = MessageForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid() and EDIT not in request.POST:
            data = form.cleaned_data
            audience = {
                "municipality": data["municipality"],
                "groups": data["groups"],
            }
            count = services.recipients_for(data["zone"], **audience).count()
            if not count:
                form.add_error(
                    None,
                    _(
                        "Nobody would receive this message: no active coordinator "
                        "coordinates a group there."
                    ),
                )
            elif SEND in request.POST and request.POST.get(EXPECTED) == str(count):
                try:
                    message = services.send_message(
                        data["zone"],
                        by=request.user,
                        subject=data["subject"],
                        body=data["body"],
                        **audience,
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    self.message_user(
                        request,
                        ngettext(
                            "The message was sent to %(count)d coordinator.",
                            "The message was sent to %(count)d coordinators.",
                            count,
                        )
                        % {"count": count},
                        messages.SUCCESS,
                    )
                    return redirect("admin:groups_message_change", message.pk)
            else:
                return self._confirmation(
                    request, form, count, changed=SEND in request.POST
                )
        return TemplateResponse(
            request,
            COMPOSE_TEMPLATE,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Write to the coordinators"),
                "form": form,
                "adminform": helpers.AdminForm(
                    form, [(None, {"fields": list(form.fields)})], {}
                ),
                "inline_admin_formsets": [],
            },
        )

    def _confirmation(
        self, request: HttpRequest, form: MessageForm, count: int, *, changed: bool
    ) -> HttpResponse:
        return TemplateResponse(
            request,
            CONFIRM_TEMPLATE,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Send the message?"),
                "form": form,
                "data": form.cleaned_data,
                "count": count,
                "changed": changed,
            },
        )
