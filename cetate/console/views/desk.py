"""Front desk."""

from django.http import Http404, HttpRequest, HttpResponse


def desk_intake(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
