"""The residents' pages."""

from django.urls import path, re_path

from cetate.portal import (
    account,
    catalogue,
    feedback,
    public_views,
    report,
    service_request,
    statements,
    updates,
    views,
)
from cetate.portal.service_search import service_search

# A service's code, but not the catalogue's own pages (its search, `cauta/`).
SERVICE_CODE = r"(?P<code>(?!cauta/)[-a-zA-Z0-9_]+)"

urlpatterns = [
    # Before any /servicii/<code>/: "cauta" is the search, not a service.
    path("servicii/cauta/", service_search, name="service_search"),
    path("services/search/", service_search, name="service_search_en"),
    path("report/", report.report, name="report"),
    path("report/sent/", report.report_sent, name="report_sent"),
    path("report/questions/", report.report_questions, name="report_questions"),
    path("report/place/", report.report_place, name="report_place"),
    path("report/address/", report.report_address, name="report_address"),
    path("t/", views.track_lookup, name="track_lookup"),
    path("t/<str:code>", views.track, name="track"),
    path(
        "t/<str:code>/photos/<int:attachment_id>/",
        views.track_photo,
        {"small": False},
        name="track_photo",
    ),
    path(
        "t/<str:code>/photos/<int:attachment_id>/small/",
        views.track_photo,
        {"small": True},
        name="track_photo_small",
    ),
    path("t/<str:code>/feedback/<str:answer>/", feedback.give_feedback, name="track_feedback"),
    path("t/<str:code>/updates/<str:choice>/", updates.resident_updates, name="track_updates"),
    path("t/<str:code>/follow/", updates.follow_tracked, name="track_follow"),
    path("follow/<int:pk>/", updates.follow_public, name="follow_case"),
    path("follow/confirm/<str:token>/", updates.follow_confirm, name="follow_confirm"),
    path("follow/stop/<str:token>/", updates.unfollow, name="unfollow"),
    path("account/", account.my_cases, name="account"),
    path("account/sign-in/", account.sign_in, name="account_sign_in"),
    path("account/sign-in/<str:token>/", account.sign_in_link, name="account_sign_in_link"),
    path("account/sign-out/", account.sign_out, name="account_sign_out"),
    path("account/details/", account.change_details, name="account_details"),
    path("account/email/", account.change_email, name="account_email"),
    path("account/email/<str:token>/", account.email_link, name="account_email_link"),
    path("account/my-data.json", account.export, name="account_export"),
    path("map/", public_views.map_page, name="public_map"),
    path("map/data/", public_views.map_data, name="public_map_data"),
    path("map/list/", public_views.case_list, name="public_list"),
    path("cases/<int:year>-<int:number>/", public_views.case_page, name="public_case"),
    path("servicii/", catalogue.catalogue, name="services"),
    path("services/", catalogue.catalogue, name="services_en"),
    re_path(rf"^servicii/{SERVICE_CODE}/$", catalogue.service_page, name="service"),
    re_path(rf"^services/{SERVICE_CODE}/$", catalogue.service_page, name="service_en"),
    re_path(
        rf"^servicii/{SERVICE_CODE}/formulare/(?P<form_id>[0-9]+)/$",
        catalogue.service_form,
        name="service_form",
    ),
    re_path(rf"^servicii/{SERVICE_CODE}/util/$", catalogue.service_useful, name="service_useful"),
    re_path(
        rf"^servicii/{SERVICE_CODE}/cerere/$",
        service_request.request_online,
        name="service_request",
    ),
    path("accessibility/", statements.accessibility, name="accessibility"),
    path("privacy/", statements.privacy, name="privacy"),
]
