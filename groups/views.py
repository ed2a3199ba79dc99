from http import HTTPStatus

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from wabp_portal import ratelimit
from wabp_portal.auth import VerifiedLoginRequiredMixin
from wabp_portal.signed_links import InvalidLink

from . import finder, network_cache, page_cache, services
from .constants import GroupKind, MeetingResponse
from .forms import FinderForm
from .models import (
    Coordinator,
    Municipality,
    Street,
    WhatsAppGroup,
    normalize_street_name,
)
from .public import published_groups


def join_urls() -> dict[str, str]:
    """The URL names of the signup pages (and the waiting list), for ``{% url %}``.

    They belong to another app: the project names them (settings.JOIN_URLS),
    so these pages link there without knowing that app.
    """
    return {
        "join_url": settings.JOIN_URLS["signup"],
        "join_from_finder_url": settings.JOIN_URLS["signup_from_finder"],
        "waiting_list_from_finder_url": settings.JOIN_URLS["waiting_list_from_finder"],
    }


class SharedPageMixin:
    """A page that is the same for every visitor without cookies: cached whole.

    A first visit (no session, no message waiting, no query string) gets the
    page rendered once per version of the networks table and language
    (``network_cache``); everybody else gets it rendered, with its table
    from the cache.
    """

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.is_shared(request):
            return super().dispatch(request, *args, **kwargs)
        content = network_cache.cached(
            f"page:{request.path}",
            lambda: (
                super(SharedPageMixin, self)
                .dispatch(request, *args, **kwargs)
                .render()
                .content
            ),
        )
        response = HttpResponse(content)
        # The same for everybody: the middleware may answer the next
        # cookie-less visitor with it, headers and all (page_cache).
        setattr(response, page_cache.SHARED, True)
        return response

    @staticmethod
    def is_shared(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.GET
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
        )


class NetworkListView(SharedPageMixin, TemplateView):
    """The public page: what buurtpreventie is and the current networks.

    With up to ``settings.HOME_TABLE_GROUPS`` published groups the page holds
    the whole table, municipality by municipality; above that (a province, a
    country) it lists the municipalities, each linking to its own table, and
    residents find their group with the finder.
    """

    template_name = "groups/network_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["networks"] = network_cache.cached("home", self.render_networks)
        return context

    def render_networks(self) -> str:
        published = WhatsAppGroup.objects.published()
        if published.count() > settings.HOME_TABLE_GROUPS:
            municipalities = Municipality.objects.annotate(
                group_count=Count(
                    "whatsapp_groups", filter=Q(whatsapp_groups__in=published)
                )
            ).order_by("name")
            return render_to_string(
                "groups/_municipality_index.html",
                {"municipalities": municipalities.only("name", "name_fr", "slug")},
            )
        municipalities = list(
            Municipality.objects.select_related("zone").order_by("name")
        )
        groups = list(published_groups())
        for municipality in municipalities:
            municipality.published_groups = [
                group for group in groups if group.municipality_id == municipality.pk
            ]
        zones = {m.zone_id: m.zone for m in municipalities}
        return render_to_string(
            "groups/_networks.html",
            {
                "municipalities": municipalities,
                "zones": sorted(zones.values(), key=lambda zone: zone.name),
                **join_urls(),
            },
        )


class MunicipalityDetailView(SharedPageMixin, TemplateView):
    template_name = "groups/municipality_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = self.kwargs["slug"]
        page = network_cache.cached(f"municipality:{slug}", self.render_networks)
        if page is None:
            raise Http404
        context.update(page)
        return context

    def render_networks(self) -> dict | None:
        """The municipality's name and table, or None for an unknown address."""
        municipality = (
            Municipality.objects.select_related("zone")
            .filter(slug=self.kwargs["slug"])
            .first()
        )
        if municipality is None:
            return None
        municipality.published_groups = list(
            published_groups().filter(municipality=municipality)
        )
        return {
            "name": municipality.local_name,
            "networks": render_to_string(
                "groups/_networks.html",
                {
                    "municipalities": [municipality],
                    "zones": [municipality.zone],
                    **join_urls(),
                },
            ),
        }


@method_decorator(csrf_exempt, name="dispatch")
class FinderView(TemplateView):
    """Find my group: the empty form (GET), and a search with its results (POST).

    A street (with a house number and postcode if given) is looked up by
    ``public.lookup_address``; a postcode alone by ``public.lookup_postcode``.

    A POST, so that the street and house number stay out of the URL: a URL
    ends up in the access logs of every web server and proxy on the way, in
    the browser's history and in the Referer of the next page. The buttons on
    the results (another street, "Sign up for …") post as well. Works
    without JavaScript.

    Without a CSRF token: the search reads public data and changes nothing,
    so a forged one can do no harm, and the page carries no cookie and is the
    same for every visitor. A query string (an old link) is not read.
    """

    template_name = "groups/finder.html"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(**join_urls(), **kwargs)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=FinderForm()))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = FinderForm(request.POST)
        key = answer = None
        if form.is_valid():
            # The answer, as kept with the networks table (``network_cache``).
            key, answer = network_cache.lookup_here(
                f"search:{finder.search_name(form.cleaned_data)}"
            )
        # Every search counts, answered from the cache or not. An answer this
        # process does not keep is read from the shared cache with the count,
        # in one round trip.
        if key is not None and answer is None:
            decision, answer = ratelimit.allow_reading(request, "finder", key)
            if answer is not None:
                network_cache.lookup_read(key, answer)
        else:
            decision = ratelimit.allow(request, "finder")
        if not decision:
            return ratelimit.too_many_requests(request, decision)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        if answer is None:
            answer = finder.render_answer(data, join_urls())
            if key is not None:
                network_cache.lookup_kept(key, answer)
        results = finder.fill(answer, typed=data["straat"])
        if not self.is_shared(request):
            return self.render_to_response(
                self.get_context_data(form=form, results=results)
            )
        page = finder.page(self.render_page)
        return HttpResponse(
            finder.fill(
                page,
                # The form as the visitor typed it, as a bound form shows it.
                straat=request.POST.get("straat", ""),
                nummer=request.POST.get("nummer", ""),
                postcode=request.POST.get("postcode", ""),
                results=results,
            )
        )

    @staticmethod
    def is_shared(request: HttpRequest) -> bool:
        """Whether the page around the answer is the same as for everybody
        (``SharedPageMixin``): no session, no message, no query string."""
        return (
            not request.GET
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
        )

    def render_page(self) -> str:
        """The page of an answer, with markers for the form's values and the
        answer (``finder.fill``): crispy's form is most of a page's render.

        Only for ``is_shared`` requests: then the page holds nothing but the
        language, the form's markers and the answer's.
        """
        form = FinderForm(
            initial={name: finder.MARKERS[name] for name in FinderForm.base_fields}
        )
        context = self.get_context_data(form=form, results=finder.MARKERS["results"])
        return render_to_string(self.template_name, context, request=self.request)


class StreetSuggestionsView(View):
    """Street names for the suggestions shown while typing (JSON).

    A GET with the part of the street name typed so far (``?q=``), never the
    house number: a street alone does not tell where someone lives.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        # Suggestions have a limit of their own: typing one street name asks
        # for them a dozen times, which must not use up the searches.
        decision = ratelimit.allow(request, "suggestions")
        if not decision:
            response = JsonResponse(
                {"streets": []}, status=HTTPStatus.TOO_MANY_REQUESTS
            )
            response["Retry-After"] = str(decision.retry_after)
            return response
        text = request.GET.get("q", "")[:150]
        streets = (
            Street.objects.matching(text)
            .order_by("name", "postcode")
            .values_list("name", "postcode")
            .distinct()[:10]
            if len(normalize_street_name(text)) >= 2
            else []
        )
        return JsonResponse(
            {"streets": [{"name": n, "postcode": p} for n, p in streets]}
        )


class UmbrellaView(VerifiedLoginRequiredMixin, TemplateView):
    """The umbrella network: the other coordinators of one's municipalities.

    Colleagues' phone numbers and e-mail addresses, and the umbrella group's
    invite link: for a verified login only, as in the admin.
    """

    template_name = "groups/umbrella.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.coordinator = (
            Coordinator.objects.active().filter(user=request.user).first()
        )
        if self.coordinator is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        municipalities = Municipality.objects.filter(
            whatsapp_groups__coordinators=self.coordinator
        ).distinct()
        # Phone and e-mail only of those who chose to share them.
        colleagues = (
            Coordinator.objects.colleagues_of(self.coordinator)
            .with_shared_contact()
            .prefetch_related(
                Prefetch(
                    "groups",
                    queryset=WhatsAppGroup.objects.neighbourhood(),
                    to_attr="neighbourhood_groups",
                )
            )
        )
        umbrellas = WhatsAppGroup.objects.filter(
            kind=GroupKind.UMBRELLA, is_active=True, municipality__in=municipalities
        ).select_related("municipality")
        context.update(
            admin.site.each_context(self.request),
            title=_("Other coordinators"),
            colleagues=colleagues,
            umbrellas=umbrellas,
        )
        return context


# What the page says about the answer given so far.
CURRENT_ANSWER = {
    MeetingResponse.YES: _("Your answer: I will come."),
    MeetingResponse.NO: _("Your answer: I cannot come."),
    "": _("You have not answered yet."),
}


@method_decorator(never_cache, name="dispatch")
class MeetingResponseView(View):
    """The page behind the link of a meeting invitation.

    GET only shows the meeting and two buttons: mail scanners open links, so
    only the POST of a button answers, in one tap.
    """

    template_name = "groups/meeting_response.html"
    # (word the button posts, button text, Bootstrap colour)
    choices = [
        ("ja", _("I will come"), "success"),
        ("nee", _("I cannot come"), "secondary"),
    ]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            self.invitation = services.invitation_from_link(kwargs["token"])
        except InvalidLink as error:
            return render(
                request,
                "groups/meeting_link_invalid.html",
                {"reason": error.args[0]},
                status=HTTPStatus.BAD_REQUEST,
            )
        return super().dispatch(request, *args, **kwargs)

    def page(
        self,
        request: HttpRequest,
        *,
        error: str | None = None,
        status: int = HTTPStatus.OK,
    ) -> HttpResponse:
        invitation = self.invitation
        meeting = invitation.meeting
        return render(
            request,
            self.template_name,
            {
                "invitation": invitation,
                "meeting": meeting,
                "current_answer": CURRENT_ANSWER[invitation.response],
                "choices": self.choices,
                "chosen": services.ANSWER_WORDS.get(invitation.response),
                "may_answer": not meeting.is_cancelled
                and not meeting.has_started
                and invitation.coordinator.is_active,
                "error": error,
            },
            status=status,
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        # An old link may carry ?antwoord=...: it is ignored, never recorded.
        return self.page(request)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        answer = services.answer_from_word(request.POST.get("antwoord"))
        if answer is None:
            return self.page(
                request,
                error=_("Choose “I will come” or “I cannot come”."),
                status=HTTPStatus.BAD_REQUEST,
            )
        try:
            services.respond_to_invitation(self.invitation, answer=answer)
        except ValidationError as error:
            return self.page(
                request, error=" ".join(error.messages), status=HTTPStatus.CONFLICT
            )
        messages.success(request, _("Thank you: your answer has been recorded."))
        return redirect(request.path)


@method_decorator(never_cache, name="dispatch")
class HandoverView(View):
    """The successor's page behind the link of a handover mail.

    GET shows what accepting means; only the page's POST accepts (mail
    scanners open links). A link that is closed (accepted, cancelled,
    expired), superseded or forged gets a page that says so, never an error.
    """

    template_name = "groups/handover.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            self.handover = services.handover_from_link(kwargs["token"])
        except InvalidLink as error:
            return self.closed(request, error.args[0], status=HTTPStatus.BAD_REQUEST)
        return super().dispatch(request, *args, **kwargs)

    def closed(self, request: HttpRequest, reason: str, *, status: int):
        return render(
            request,
            "groups/handover_closed.html",
            {"reason": reason},
            status=status,
        )

    def page(self, request: HttpRequest, *, error: str | None = None, status=200):
        handover = self.handover
        return render(
            request,
            self.template_name,
            {
                "handover": handover,
                "group": handover.group,
                "predecessor": handover.from_coordinator,
                "is_new": handover.successor_id is None,
                "error": error,
            },
            status=status,
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        reason = services.closed_reason(self.handover)
        if reason:
            return self.closed(request, reason, status=HTTPStatus.GONE)
        return self.page(request)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            services.accept_handover(
                self.handover,
                listed_publicly=request.POST.get("listed_publicly") == "on",
            )
        except ValidationError as error:
            return self.closed(
                request, " ".join(error.messages), status=HTTPStatus.CONFLICT
            )
        self.handover.refresh_from_db()
        return render(
            request,
            "groups/handover_accepted.html",
            {
                "handover": self.handover,
                "group": self.handover.group,
                "admin_url": reverse("admin:index"),
            },
        )
