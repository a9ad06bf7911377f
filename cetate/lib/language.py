"""The language a page opens in: the one its visitor chose with the language switch, else the
city's own (LANGUAGE_CODE, Romanian).

A browser's Accept-Language says how the device was set up, not what its owner reads: many
residents and staff use a browser in English and read Romanian. So pages follow it only when
LANGUAGE_FROM_BROWSER is on. The switch's choice is kept in the language cookie (Django's
`set_language` view) and always wins. Other systems (the REST API, Open311) name the language
they want in Accept-Language on purpose, and always get it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin

# Addresses other systems call: they ask for a language with Accept-Language.
MACHINE_PATHS = ("/api/", "/open311/")


def follows_browser(request: HttpRequest) -> bool:
    """Whether the browser's Accept-Language may choose the language of this request."""
    return bool(settings.LANGUAGE_FROM_BROWSER) or request.path_info.startswith(MACHINE_PATHS)


def chosen_language(request: HttpRequest) -> str | None:
    """The language chosen with the language switch, when it is one the site speaks."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def page_language(request: HttpRequest) -> str:
    """The language to answer `request` in."""
    if follows_browser(request):
        # The cookie first, then Accept-Language, then LANGUAGE_CODE.
        return translation.get_language_from_request(request)
    return chosen_language(request) or settings.LANGUAGE_CODE


class LanguageMiddleware(MiddlewareMixin):
    """Activates the page's language (`page_language`) for the request."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(page_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        varies = ("Cookie", "Accept-Language") if follows_browser(request) else ("Cookie",)
        patch_vary_headers(response, varies)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
