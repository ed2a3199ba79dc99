"""The documents a zone offers residents."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import Download
from .base import ScopedAdmin, ServiceWritesMixin


class DownloadForm(forms.ModelForm):
    """Documents residents open: office formats and PDF, of a sensible size."""

    EXTENSIONS = ["pdf", "pptx", "ppt", "odp", "docx", "doc", "odt", "xlsx", "ods"]
    MAX_BYTES = 20 * 1024 * 1024

    class Meta:
        model = Download
        fields = ["zone", "title", "file", "is_public", "display_order"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):  # a new upload
            FileExtensionValidator(self.EXTENSIONS)(upload)
            if upload.size > self.MAX_BYTES:
                raise ValidationError(_("The file is larger than 20 MB."))
        return upload


@admin.register(Download)
class DownloadAdmin(ServiceWritesMixin, ScopedAdmin):
    """The public downloads (presentation, forms), in the order shown."""

    form = DownloadForm
    list_display = ["title", "zone", "is_public", "display_order"]
    list_editable = ["is_public", "display_order"]
    list_filter = [("zone", admin.RelatedOnlyFieldListFilter)]
    ordering = ["zone", "display_order", "title"]
    save_service = staticmethod(services.save_download)
    delete_service = staticmethod(services.delete_downloads)
