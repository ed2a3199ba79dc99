from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from groups.admin.meeting_follow_up import MeetingMinutesView, MyMeetingsView
from registrations.admin.assisted import (
    AssistedSignupDoneView,
    AssistedSignupLetterView,
    AssistedSignupView,
)
from registrations.admin.coverage import CoverageView
from registrations.admin.views import PrivacyRequestView, StatisticsView
from wabp_portal.benchmark_floor import floor

# A database that does not answer gets the 503 page, anything else the 500.
handler500 = "wabp_portal.views.server_error"

urlpatterns = [
    # The public networks pages first: they get most of the requests, and
    # Django tries the patterns in order.
    path("", include("groups.urls")),
    # Choosing the language. Without a CSRF token: the worst a forged
    # request can do is show someone the site in the other language, and a
    # form without a token leaves the public pages the same for everyone, so
    # they are served from the shared cache (groups.views.SharedPageMixin).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # Setting a password: new coordinators follow the link in their
    # invitation; anyone with a login can ask for a new one from the login page.
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/ingesteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "admin/statistieken/",
        admin.site.admin_view(StatisticsView.as_view()),
        name="statistics",
    ),
    # Streets without a group, overlaps, shared numbers, full groups, demand.
    path(
        "admin/dekking/",
        admin.site.admin_view(CoverageView.as_view()),
        name="coverage",
    ),
    # A person's access and erasure requests, handled by police-zone staff.
    path(
        "admin/privacy/",
        admin.site.admin_view(PrivacyRequestView.as_view()),
        name="privacy-requests",
    ),
    # Staff enter a signup for a resident who called or came to the desk.
    path(
        "admin/inschrijving-invoeren/",
        admin.site.admin_view(AssistedSignupView.as_view()),
        name="assisted-signup",
    ),
    path(
        "admin/inschrijving-invoeren/<int:pk>/",
        admin.site.admin_view(AssistedSignupDoneView.as_view()),
        name="assisted-signup-done",
    ),
    path(
        "admin/inschrijving-invoeren/<int:pk>/brief/",
        admin.site.admin_view(AssistedSignupLetterView.as_view()),
        name="assisted-signup-letter",
    ),
    # A coordinator's meetings, and the minutes (never a public media URL:
    # the view checks who may read them; anyone else gets a 404).
    path(
        "admin/mijn-overleg/",
        admin.site.admin_view(MyMeetingsView.as_view()),
        name="my-meetings",
    ),
    path(
        "overleg/<int:pk>/verslag/",
        MeetingMinutesView.as_view(),
        name="meeting-minutes",
    ),
    path("admin/", admin.site.urls),
    path("", include("registrations.urls")),
]

if settings.BENCHMARK_FLOOR_VIEW:
    urlpatterns.insert(0, path("benchmark/floor/", floor, name="benchmark-floor"))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
