from django.urls import path

from cetate.telephony import exchange, views

app_name = "telephony"
urlpatterns = [
    path("cti/<str:token>", exchange.cti, name="cti"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:call_id>/settle", views.settle, name="settle"),
    path("pop", views.screen_pop, name="pop"),
]
