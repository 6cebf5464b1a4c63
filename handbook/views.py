"""The handbook's one page written in code rather than the CMS: the accessibility statement, whose
contact address and review date are the provider's settings (ACCESSIBILITY_CONTACT_EMAIL,
ACCESSIBILITY_STATEMENT_DATE). It holds no one's records, so it answers anyone."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "handbook/accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "reviewed_on": settings.ACCESSIBILITY_STATEMENT_DATE,
        },
    )
