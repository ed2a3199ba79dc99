from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path(
        "aanmelden/bevestigen/<str:token>/",
        views.SignupConfirmView.as_view(),
        name="signup-confirm",
    ),
    path(
        "aanmelden/uitschrijven/<str:token>/",
        views.SignupWithdrawView.as_view(),
        name="signup-withdraw",
    ),
]
