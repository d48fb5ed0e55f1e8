"""Typed errors of the reporting context."""

from __future__ import annotations

from django.utils.translation import gettext as _

from microreach.web.errors import ApplicationError, ErrorCode


class PdfUnavailable(ApplicationError):
    """WeasyPrint or its system libraries (Pango) are missing: PDF export cannot run here. The user reads a
    plain sentence; the technical reason stays in ``details`` (API, logs) and the operator's docs."""

    status = 503

    def __init__(self, reason: str):
        super().__init__(
            ErrorCode.PDF_UNAVAILABLE,
            _(
                "PDF export is not available on this installation; your administrator can enable it. "
                "CSV and XLSX downloads work."
            ),
            {"reason": reason},
        )


class ShareLinkInvalid(ApplicationError):
    status = 404


class ShareLinkGone(ApplicationError):
    status = 410
