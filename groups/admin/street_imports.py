"""Street imports: the list of a zone's imports and each one's progress page.

Staff start an import from a municipality's page (``zones``); the worker runs
it. Nobody adds, changes or deletes a job here: its page shows how far the
worker is, refreshing itself until the job is over, then the result with the
refused lines (all of them as a CSV download).
"""

import csv

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wabp_portal.spreadsheets import neutralise

from ..models import StreetImport
from .base import RecordAdminMixin, ScopedAdmin, ScopedRelatedFilter

# The refused lines shown on the page; the download holds them all.
REFUSED_SHOWN = 200
# Seconds between two refreshes of the page of an unfinished import.
REFRESH_SECONDS = 2


@admin.register(StreetImport)
class StreetImportAdmin(RecordAdminMixin, ScopedAdmin):
    list_display = [
        "created_at",
        "municipality",
        "file_name",
        "status",
        "progress",
        "created_count",
        "existing_count",
        "refused_count",
        "created_by",
    ]
    list_display_links = ["created_at", "municipality"]
    change_form_template = "admin/groups/streetimport/progress.html"
    list_filter = ["status", ("municipality", ScopedRelatedFilter)]
    list_select_related = ["municipality", "created_by"]

    def get_queryset(self, request: HttpRequest):
        # The file's text stays in the database, out of the list's rows.
        return super().get_queryset(request).defer("content", "refused")

    @admin.display(description=_("progress"))
    def progress(self, obj: StreetImport) -> str:
        return f"{obj.percent} %"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/refused.csv",
                self.admin_site.admin_view(self.refused_csv_view),
                name="groups_streetimport_refused",
            ),
            *super().get_urls(),
        ]

    def _job(self, request: HttpRequest, object_id: str) -> StreetImport:
        job = (
            StreetImport.objects.visible_to(request.user)
            .defer("content")
            .select_related("municipality", "created_by")
            .filter(pk=unquote(object_id))
            .first()
            if unquote(object_id).isdigit()
            else None
        )
        if job is None or not self.has_view_permission(request, job):
            raise Http404
        return job

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The job's progress page, on the admin's own view of the object.

        Django's view keeps its ways (a job not found sends to the index, a
        POST to a read-only job is refused); the page shows the progress
        and the refused lines instead of a form.
        """
        try:
            job = self._job(request, object_id)
        except Http404:
            return super().change_view(request, object_id, form_url, extra_context)
        refused = job.refused or []
        return super().change_view(
            request,
            object_id,
            form_url,
            {
                **(extra_context or {}),
                "title": str(job),
                "job": job,
                "refused": refused[:REFUSED_SHOWN],
                "refused_more": max(len(refused) - REFUSED_SHOWN, 0),
                "refresh_seconds": None if job.is_finished else REFRESH_SECONDS,
            },
        )

    def refused_csv_view(self, request: HttpRequest, object_id: str):
        job = self._job(request, object_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="street-import-{job.pk}-refused.csv"'
        )
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow([gettext("Line"), gettext("Why it was refused")])
        for line, reason in job.refused or []:
            writer.writerow([line, neutralise(str(reason))])
        return response
