"""The map and the case list."""

from django.http import Http404, HttpRequest, HttpResponse


def map_page(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def map_data(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def case_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
