from django.http import Http404, HttpRequest, HttpResponse


def cti(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404


def calls(request: HttpRequest) -> HttpResponse:
    raise Http404


def screen_pop(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
