"""Ask before an action changes many rows: how many, whom, then the change.

An admin action that changes state or sends mail calls ``ask`` first. When
more than one row is selected, or "select all N" across the pages, or the
action always asks (ending memberships, a reason to give), ``ask`` returns the
confirmation page with the count and the names; the page posts the action
again with ``apply`` and the count it showed. If the list changed meanwhile
(someone else decided, a new member), the count no longer matches and the
page is shown again with the new one: nothing is done to rows nobody saw
counted.
"""

from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

# The names listed on the page; beyond them "and N more".
NAMES_SHOWN = 50
APPLY = "apply"
EXPECTED = "expected"


def across_pages(request: HttpRequest) -> bool:
    """Whether "select all N" across the pages was used."""
    return request.POST.get("select_across", "") not in ("", "0", "False", "false")


def ask(
    model_admin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str,
    submit: str,
    intro: str = "",
    form: forms.Form | None = None,
    always: bool = False,
) -> TemplateResponse | None:
    """The confirmation page, or None once the action may go ahead.

    One row selected on the page goes ahead at once, unless ``always`` or a
    ``form`` (a reason) asks for the page anyway.
    """
    selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
    select_across = across_pages(request)
    if not (always or form is not None or select_across or len(selected) > 1):
        return None
    count = queryset.count()
    asked = APPLY in request.POST
    # The page always sends the count it showed; a hand-made POST without it
    # is held to nothing more than what the caller may do anyway.
    changed = asked and request.POST.get(EXPECTED, str(count)) != str(count)
    if asked and not changed and (form is None or form.is_valid()):
        return None
    related = model_admin.list_select_related
    shown = list(
        (
            queryset.select_related(*related)
            if isinstance(related, list | tuple)
            else queryset
        )[:NAMES_SHOWN]
    )
    return TemplateResponse(
        request,
        "admin/registrations/reason.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit": submit,
            "form": form,
            "count": count,
            "shown": shown,
            "more": max(count - len(shown), 0),
            "changed": changed,
            "selected": selected,
            "select_across": select_across,
            "action": action,
            "opts": model_admin.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        },
    )
