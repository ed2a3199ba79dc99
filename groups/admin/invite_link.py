"""The page where a coordinator pastes their group's new WhatsApp invite link.

After someone is removed from a group, the link they received still lets
them in until a coordinator resets it in WhatsApp; the portal then needs the
new one for the approval mails. The page is the group's scope only (its
coordinators, the staff of its zone): another group is not found.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..models import invite_link_validator
from ..services.whatsapp_groups import change_invite_link, may_change_invite_link


class InviteLinkForm(forms.Form):
    invite_link = forms.URLField(
        label=_("New invite link"),
        assume_scheme="https",
        max_length=200,
        validators=[invite_link_validator],
        error_messages={
            "required": _("Paste the new invite link."),
            "invalid": _(
                "Enter a WhatsApp group invite link (https://chat.whatsapp.com/…)."
            ),
        },
        help_text=_("It starts with https://chat.whatsapp.com/"),
        widget=forms.URLInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )


class InviteLinkAdminMixin:
    """Adds ``<pk>/uitnodigingslink/`` to the WhatsApp groups' admin."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/uitnodigingslink/",
                self.admin_site.admin_view(self.invite_link_view),
                name="groups_whatsappgroup_invite_link",
            ),
            *super().get_urls(),
        ]

    def invite_link_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = self.get_queryset(request).filter(pk=pk).first()
        if group is None:
            raise Http404
        if not may_change_invite_link(group, request.user):
            raise PermissionDenied
        form = InviteLinkForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                change_invite_link(
                    group, link=form.cleaned_data["invite_link"], by=request.user
                )
            except ValidationError as error:
                form.add_error(
                    "invite_link",
                    error.message_dict.get("invite_link", error.messages)
                    if hasattr(error, "error_dict")
                    else error.messages,
                )
            else:
                self.message_user(
                    request,
                    _(
                        "The new invite link of %(group)s is saved: approved "
                        "members get this one from now on."
                    )
                    % {"group": group.name},
                    messages.SUCCESS,
                )
                return redirect("admin:groups_whatsappgroup_change", group.pk)
        return TemplateResponse(
            request,
            "admin/groups/whatsappgroup/invite_link.html",
            {
                **self.admin_site.each_context(request),
                "title": _("New invite link for %(group)s") % {"group": group.name},
                "group": group,
                "form": form,
                "opts": self.model._meta,
            },
        )
