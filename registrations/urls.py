from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path("aanmelden/", views.SignupView.as_view(), name="signup"),
    path(
        "aanmelden/vanuit-zoeker/",
        views.SignupFromFinderView.as_view(),
        name="signup-from-finder",
    ),
    path("aanmelden/verstuurd/", views.SignupSentView.as_view(), name="signup-sent"),
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
    path(
        "aanmelden/uitgeschreven/",
        views.SignupWithdrawnView.as_view(),
        name="signup-withdrawn",
    ),
    path(
        "huishoudelijk-reglement/",
        views.HouseRulesView.as_view(),
        name="house-rules",
    ),
    path(
        "huishoudelijk-reglement/versie/<int:pk>/",
        views.HouseRulesView.as_view(),
        name="house-rules-version",
    ),
    path(
        "huishoudelijk-reglement/aanvaarden/<str:token>/",
        views.HouseRulesAcceptView.as_view(),
        name="house-rules-accept",
    ),
    path(
        "nog-lid/<str:token>/",
        views.ReconfirmView.as_view(),
        name="reconfirm",
    ),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("wachtlijst/", views.WaitingListView.as_view(), name="waiting-list"),
    path(
        "wachtlijst/vanuit-zoeker/",
        views.WaitingListFromFinderView.as_view(),
        name="waiting-list-from-finder",
    ),
    path(
        "wachtlijst/verstuurd/",
        views.WaitingListSentView.as_view(),
        name="waiting-list-sent",
    ),
    path(
        "wachtlijst/bevestigen/<str:token>/",
        views.WaitingListConfirmView.as_view(),
        name="waiting-list-confirm",
    ),
    path(
        "wachtlijst/uitschrijven/<str:token>/",
        views.WaitingListLeaveView.as_view(),
        name="waiting-list-leave",
    ),
    path(
        "wachtlijst/uitgeschreven/",
        views.WaitingListLeftView.as_view(),
        name="waiting-list-left",
    ),
    # --- The resident's own page (signed link in every mail to a resident) ---
    path(
        "mijn-inschrijving/nieuw-e-mailadres/<str:token>/",
        views.EmailChangeConfirmView.as_view(),
        name="my-signup-email-confirm",
    ),
    path(
        "mijn-inschrijving/<str:token>/",
        views.MySignupView.as_view(),
        name="my-signup",
    ),
    path(
        "mijn-inschrijving/<str:token>/gsm/",
        views.MySignupPhoneView.as_view(),
        name="my-signup-phone",
    ),
    path(
        "mijn-inschrijving/<str:token>/e-mailadres/",
        views.MySignupEmailView.as_view(),
        name="my-signup-email",
    ),
    path(
        "mijn-inschrijving/<str:token>/uitschrijven/",
        views.MySignupWithdrawView.as_view(),
        name="my-signup-withdraw",
    ),
    # --- end of the resident's own page ---
]
