from django.contrib.auth import views as auth_views
from django.urls import path

from cetate.accounts import signin, views
from cetate.lib.ratelimit import rate_limited

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        # Limits password guessing from one address; the form itself is Django's.
        rate_limited("login", limit=signin.SIGN_IN_REQUESTS_PER_MINUTE)(
            signin.StaffLoginView.as_view()
        ),
        name="login",
    ),
    # Codes are limited per user too (signin.CODE_ATTEMPTS) and slowed by django-otp.
    path(
        "login/code/",
        rate_limited("login-code", limit=signin.SIGN_IN_REQUESTS_PER_MINUTE)(signin.code),
        name="login_code",
    ),
    path(
        "login/two-factor/",
        rate_limited("login-enrol", limit=signin.SIGN_IN_REQUESTS_PER_MINUTE)(signin.enrol),
        name="two_factor_enrol",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/account/", signin.account, name="staff_account"),
    path("staff/account/two-factor/remove/", signin.remove, name="two_factor_remove"),
]
