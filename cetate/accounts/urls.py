from django.contrib.auth import views as auth_views
from django.urls import path

from cetate.accounts import views
from cetate.lib.ratelimit import rate_limited

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        # Limits password guessing from one address; the form itself is Django's.
        rate_limited("login", limit=20)(
            auth_views.LoginView.as_view(template_name="registration/login.html")
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
