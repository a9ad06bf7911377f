"""The statements a public body's website must publish, written from the city's settings: the
accessibility statement (EU model, Directive 2016/2102 and OUG 112/2018) and the privacy notice
(GDPR art. 13)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cetate.contacts.processing import processing_facts


def _city() -> dict[str, object]:
    return {
        "city_name": settings.CITY_NAME,
        "city_address": settings.CITY_POSTAL_ADDRESS,
        "city_email": settings.CITY_EMAIL,
        "city_phone": settings.CITY_PHONE,
        "site_url": settings.SITE_URL,
    }


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    context = {
        **_city(),
        "contact_email": settings.ACCESSIBILITY_EMAIL,
        "reviewed": settings.ACCESSIBILITY_REVIEWED,
    }
    return render(request, "portal/accessibility.html", context)


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice, written from what the software does: the retention terms of the
    archival nomenclature and the settings, the departments, organisations and integrations
    that receive residents' data, the mail provider and the data protection officer."""
    context = {**_city(), "facts": processing_facts()}
    return render(request, "portal/privacy.html", context)
