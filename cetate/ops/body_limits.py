"""Request bodies larger than their page accepts, refused before they are read.

A page that receives files says how many (`accepts_files`): it accepts that many times
ATTACHMENT_MAX_BYTES, plus REQUEST_BODY_MAX_BYTES for the form's fields; every other page
accepts REQUEST_BODY_MAX_BYTES. `BodyLimitMiddleware` answers 413 from the declared length
(Content-Length), before anything reads the body. A body sent without a length (chunked) is
read by `bounded_bodies`, the WSGI application's wrapper, only up to its page's limit: beyond
it reading stops and the page answers 413 all the same.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.handlers.wsgi import get_path_info
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from cetate.open311.render import errors as open311_errors

View = TypeVar("View", bound=Callable[..., Any])
WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
READ_SIZE = 64 * 1024


def accepts_files(count: int) -> Callable[[View], View]:
    """Mark a view that receives up to `count` files: its requests may be that much larger."""

    def mark(view: View) -> View:
        view.files_accepted = count  # type: ignore[attr-defined]
        return view

    return mark


def files_accepted(view: Callable[..., Any]) -> int:
    """How many files a view receives: marked on it, or on its class (DRF, class views)."""
    marked: int | None = getattr(view, "files_accepted", None)
    if marked is None:
        marked = getattr(getattr(view, "view_class", None), "files_accepted", 0)
    return int(marked or 0)


def body_limit(view: Callable[..., Any]) -> int:
    """The largest body, in bytes, the view accepts."""
    return files_accepted(view) * settings.ATTACHMENT_MAX_BYTES + settings.REQUEST_BODY_MAX_BYTES


def declared_length(meta: dict[str, Any]) -> int:
    try:
        return max(int(meta.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class BodyLimitMiddleware:
    """Answers 413 to a body larger than its view accepts, from its declared length alone.

    It comes before anything that reads the body (CSRF reads the form), after the language
    is chosen: the answer is in the page's language, in the shape of the interface asked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        limit = body_limit(view)
        if declared_length(request.META) <= limit:
            return None
        return too_large(request, limit=limit, files=files_accepted(view))


def too_large(request: HttpRequest, *, limit: int, files: int) -> HttpResponse:
    message = _("What you sent is too large: this address accepts at most %(limit)s.") % {
        "limit": filesizeformat(limit)
    }
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    if namespace == "open311":
        fmt = "json" if request.path_info.endswith(".json") else "xml"
        return open311_errors(fmt, 413, [message])
    if namespace == "api":
        error = {"field": None, "code": "too_large", "message": message}
        return JsonResponse({"errors": [error]}, status=413)
    context = {
        "message": message,
        "files": files,
        "file_limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
    }
    return render(request, "cetate/request_too_large.html", context, status=413)


def bounded_bodies(application: WSGIApplication) -> WSGIApplication:
    """The WSGI application, given bodies sent without a length (chunked) read only up to
    their page's limit, with the length they turned out to have.

    Django reads no more than Content-Length, so without one it would see an empty form. Only a
    server that ends such a body itself (wsgi.input_terminated, as gunicorn does) is read.
    """

    def bounded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if _sent_in_chunks(environ) and environ.get("wsgi.input_terminated"):
            limit = _limit_of_path(get_path_info(environ))
            body, length = _read_at_most(environ["wsgi.input"], limit + 1)
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = body, str(length)
        return application(environ, start_response)

    return bounded


def _sent_in_chunks(environ: dict[str, Any]) -> bool:
    chunked = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
    return chunked and not environ.get("CONTENT_LENGTH")


def _limit_of_path(path: str) -> int:
    try:
        return body_limit(resolve(path).func)
    except Resolver404:
        return int(settings.REQUEST_BODY_MAX_BYTES)


def _read_at_most(stream: IO[bytes], most: int) -> tuple[IO[bytes], int]:
    """The first `most` bytes of `stream` (all of it when shorter), kept in memory while small
    and in a temporary file beyond; the rest is left unread."""
    body = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    length = 0
    while length < most:
        chunk = stream.read(min(READ_SIZE, most - length))
        if not chunk:
            break
        body.write(chunk)
        length += len(chunk)
    body.seek(0)
    return body, length
