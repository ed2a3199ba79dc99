from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.NetworkListView.as_view(), name="home"),
    path(
        "gemeente/<slug:slug>/",
        views.MunicipalityDetailView.as_view(),
        name="municipality",
    ),
    path("zoek-je-groep/", views.FinderView.as_view(), name="finder"),
    path("coordinatoren/", views.UmbrellaView.as_view(), name="umbrella"),
    path(
        "zoek-je-groep/straten/",
        views.StreetSuggestionsView.as_view(),
        name="street-suggestions",
    ),
    path(
        "overleg/antwoord/<str:token>/",
        views.MeetingResponseView.as_view(),
        name="meeting-response",
    ),
    path("overdracht/<str:token>/", views.HandoverView.as_view(), name="handover"),
]
