"""The REST API for the city's own systems (docs/api.md)."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.permissions import AllowAny

from cetate.api.views import cases, contacts, directory, errors, knowledge

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", cases.CaseList.as_view(), name="cases"),
    path("cases/<int:case_id>/", cases.CaseDetail.as_view(), name="case"),
    path("cases/<int:case_id>/events/", cases.CaseEvents.as_view(), name="case_events"),
    *[
        path(f"cases/<int:case_id>/actions/{name}/", view.as_view(), name=f"case_{name}")
        for name, view in cases.ACTION_VIEWS.items()
    ],
    path("contacts/<int:contact_id>/", contacts.ContactDetail.as_view(), name="contact"),
    path("categories/", directory.CategoryList.as_view(), name="categories"),
    path("categories/<int:category_id>/", directory.CategoryDetail.as_view(), name="category"),
    path("departments/", directory.DepartmentList.as_view(), name="departments"),
    path(
        "departments/<int:department_id>/",
        directory.DepartmentDetail.as_view(),
        name="department",
    ),
    path("areas/", directory.AreaList.as_view(), name="areas"),
    path("areas/<int:area_id>/", directory.AreaDetail.as_view(), name="area"),
    path("services/", knowledge.ServiceList.as_view(), name="services"),
    path("services/<slug:code>/", knowledge.ServiceDetail.as_view(), name="service"),
    # The schema and its documentation hold no data of the city: anyone may read them.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        # ReDoc writes its styles into the page and searches in a worker it builds from a
        # blob: this page alone allows both.
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(
                url_name="api:schema",
                template_name="api/redoc.html",
                permission_classes=[AllowAny],
                authentication_classes=[],
            )
        ),
        name="docs",
    ),
    # Any other address under the API answers in the API's own shape, not with a page.
    re_path(r"^", errors.NotFoundView.as_view()),
]
