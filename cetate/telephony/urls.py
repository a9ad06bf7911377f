from django.urls import path

from cetate.telephony import views

app_name = "telephony"
urlpatterns = [
    path("cti/<str:token>", views.cti, name="cti"),
    path("calls/", views.calls, name="calls"),
    path("pop", views.screen_pop, name="pop"),
]
