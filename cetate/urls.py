from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cetate.monitoring import views as monitoring
from cetate.ops import views as ops

admin.site.site_header = _("Cetate – administration")
admin.site.site_title = _("Cetate")
admin.site.index_title = settings.CITY_NAME

# An unreachable database met outside a view (a session loaded or saved by a middleware)
# answers 503.
handler500 = "cetate.lib.outage.server_error"
handler400 = "cetate.lib.outage.bad_request"

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("register/", monitoring.register, name="register"),
    path("console/", include("cetate.console.urls")),
    path("telephony/", include("cetate.telephony.urls")),
    path("open311/v2/", include("cetate.open311.urls")),
    path("api/v1/", include("cetate.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("cetate.portal.urls")),
    path("", include("cetate.accounts.urls")),
]
