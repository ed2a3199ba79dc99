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
]
