"""The residents' pages."""

from django.urls import path

from cetate.portal import feedback, statements, views

urlpatterns = [
    path("t/", views.track_lookup, name="track_lookup"),
    path("t/<str:code>", views.track, name="track"),
    path("t/<str:code>/feedback/<str:answer>/", feedback.give_feedback, name="track_feedback"),
    path("accessibility/", statements.accessibility, name="accessibility"),
    path("privacy/", statements.privacy, name="privacy"),
]
