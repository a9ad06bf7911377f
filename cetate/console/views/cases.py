"""The case card."""

from django.http import Http404, HttpRequest, HttpResponse


def case_card(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
