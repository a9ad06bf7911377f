"""Phone intake."""

from django.http import Http404, HttpRequest, HttpResponse


def phone_intake(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def categories(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def streets(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def questions(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def caller(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
