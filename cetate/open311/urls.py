"""GeoReport v2 at /open311/v2/: every resource in .xml and .json."""

from django.urls import URLPattern, URLResolver, re_path

from cetate.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>xml|json)$"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    # Codes may hold dots (roads.pothole): the format is the last suffix.
    re_path(r"^services/(?P<code>[^/]+)" + FMT, views.service_definition, name="service"),
    # The singular form older clients use.
    re_path(r"^service/(?P<code>[^/]+)" + FMT, views.service_definition),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[^/]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^request/(?P<service_request_id>[^/]+)" + FMT, views.request_detail),
    re_path(r"^tokens/(?P<token>[^/]+)" + FMT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FMT, views.request_updates, name="updates"),
    re_path(r"^(?P<path>.*)$", views.unknown),
]
