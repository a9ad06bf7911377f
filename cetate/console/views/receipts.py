"""Registration receipts."""

from django.http import Http404, HttpRequest, HttpResponse


def receipt(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def receipt_pdf(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
