"""Every page of the staff console."""

from django.urls import path

from cetate.console.views import (
    cases,
    data_protection,
    desk,
    home,
    intake,
    legal_reports,
    maps,
    photos,
    printed,
    queue,
    register,
    supervision,
    worklist,
)

app_name = "console"
urlpatterns = [
    path("", home.home, name="home"),
    path("waiting", home.waiting, name="waiting"),
    path("queue/", queue.queue, name="queue"),
    path("queue/updates", queue.queue_updates, name="queue_updates"),
    path("intake/", intake.phone_intake, name="intake"),
    path("intake/categories", intake.categories, name="categories"),
    path("intake/streets", intake.streets, name="streets"),
    path("intake/questions", intake.questions, name="questions"),
    path("intake/caller", intake.caller, name="caller"),
    path("intake/nearest-street", intake.nearest, name="nearest_street"),
    path("desk/", desk.desk_intake, name="desk"),
    path("post/", desk.post_intake, name="post"),
    path("map/", maps.map_page, name="map"),
    path("map/data", maps.map_data, name="map_data"),
    path("worklist/", worklist.worklist, name="worklist"),
    path("supervision/", supervision.supervision, name="supervision"),
    path("cases/", maps.case_list, name="cases"),
    path("cases/<int:case_id>/", cases.case_card, name="case"),
    path("cases/<int:case_id>/photos/<int:attachment_id>/", photos.photo_page, name="photo"),
    path(
        "cases/<int:case_id>/photos/<int:attachment_id>/image",
        photos.photo_image,
        name="photo_image",
    ),
    path(
        "cases/<int:case_id>/photos/<int:attachment_id>/thumbnail.jpg",
        photos.photo_thumbnail,
        name="photo_thumbnail",
    ),
    path("cases/<int:case_id>/receipt/", printed.receipt, name="receipt"),
    path("cases/<int:case_id>/receipt.pdf", printed.receipt_pdf, name="receipt_pdf"),
    path("cases/<int:case_id>/letters/<int:seq>.pdf", printed.letter_pdf, name="letter_pdf"),
    path("cases/<int:case_id>/forwarding.pdf", printed.forwarding_pdf, name="forwarding_pdf"),
    path("register/", register.register, name="register"),
    path("register/export.<str:extension>", register.register_export, name="register_export"),
    path("reports/", legal_reports.legal_reports, name="legal_reports"),
    path(
        "reports/<slug:report>.pdf",
        legal_reports.report_file,
        {"extension": "pdf"},
        name="legal_report_pdf",
    ),
    path(
        "reports/<slug:report>.xlsx",
        legal_reports.report_file,
        {"extension": "xlsx"},
        name="legal_report_xlsx",
    ),
    path("data-protection/", data_protection.search, name="data_protection"),
    path(
        "data-protection/<int:contact_id>/",
        data_protection.person,
        name="data_protection_person",
    ),
    path(
        "data-protection/<int:contact_id>/export",
        data_protection.export,
        name="data_protection_export",
    ),
    path(
        "data-protection/<int:contact_id>/restriction",
        data_protection.restriction,
        name="data_protection_restriction",
    ),
    path(
        "data-protection/<int:contact_id>/erasure",
        data_protection.erasure,
        name="data_protection_erasure",
    ),
]
