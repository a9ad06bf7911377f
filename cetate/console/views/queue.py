"""The triage queue."""

from django.http import Http404, HttpRequest, HttpResponse


def queue(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
