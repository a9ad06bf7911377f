from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse


def register(request: HttpRequest) -> HttpResponseRedirect:
    """The register's former address: it now lives in the console, with the same filters."""
    query = urlencode(list(request.GET.lists()), doseq=True)
    return HttpResponseRedirect(reverse("console:register") + (f"?{query}" if query else ""))
