"""Residents as the soak test plays them: read, look up their street, sign up.

``loadtest/soak.py`` (``make soak``) starts the portal and runs this file with
locust; it passes in the environment:

- ``SOAK_DATA``: a JSON file with the municipalities and streets of the loaded
  demo data and the run's id;
- ``SOAK_SIGNUPS``: the file this appends every signup that reached the
  "check your e-mail" page to, one a line: the e-mail address and how many
  times the form was sent (2 for a double click, see ``DOUBLE_CLICKS``);
- ``SOAK_ATTEMPTS``: the same for every signup posted, whatever the answer;
- ``SOAK_RESULTS``: the JSON file this writes the final figures to, once every
  resident has stopped (locust's own CSV files are written every second, so
  they can miss the last requests).

Any answer other than the expected page counts as a failure, with the reason.
Run it in one locust process: the e-mail addresses and mobile numbers of the
signups come from one counter, so that each signup is a new resident.
"""

import html
import itertools
import json
import os
import random
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import HttpUser, between, events, task

DATA = json.loads(Path(os.environ["SOAK_DATA"]).read_text(encoding="utf-8"))
SIGNUPS_FILE = Path(os.environ["SOAK_SIGNUPS"])
ATTEMPTS_FILE = Path(os.environ["SOAK_ATTEMPTS"])
RESULTS_FILE = Path(os.environ["SOAK_RESULTS"])
RUN_ID = DATA["run_id"]
STREETS = DATA["streets"]
# Streets in a group's region: most residents who sign up live in one.
COVERED_STREETS = [street for street in STREETS if street["covered"]] or STREETS
MUNICIPALITIES = DATA["municipalities"]

SIGNUP_SENT_PATH = "/aanmelden/verstuurd/"
# Where the finder's sign-up buttons post group, street and number.
FROM_FINDER_PATH = "/aanmelden/vanuit-zoeker/"
# The share of residents who double-click "send": the form goes twice at
# once, and must make one signup and show both the "check your e-mail" page.
DOUBLE_CLICKS = float(os.environ.get("SOAK_DOUBLE_CLICKS") or 0.1)
RESULTS_MARKER = 'id="results-heading"'
FIRST_NAMES = ["An", "Bram", "Els", "Jonas", "Lien", "Pieter", "Sara", "Wout"]
LAST_NAMES = ["Claes", "Janssens", "Maes", "Peeters", "Smets", "Wouters"]

_residents = itertools.count(1)


def new_resident() -> dict[str, str]:
    """Someone who has not signed up before: a fresh e-mail address and number."""
    number = next(_residents)
    return {
        "first_name": random.choice(FIRST_NAMES),
        "last_name": random.choice(LAST_NAMES),
        "email": f"soak-{RUN_ID}-{number:06d}@example.org",
        # 0468 is a Belgian mobile range; the demo data uses 0470.
        "phone": f"0468 {number // 1000:03d} {number % 1000:03d}",
    }


def append_line(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")


@events.test_stop.add_listener
def write_results(environment, **_kwargs) -> None:
    """Requests, failures and latency (ms) per kind of request, and in total."""
    stats = environment.stats

    def figures(entry) -> dict:
        return {
            "name": entry.name,
            "method": entry.method,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.total_rps,
            "p50": entry.get_response_time_percentile(0.50),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
            "max": entry.max_response_time or 0,
        }

    results = {
        "duration": (stats.last_request_timestamp or 0) - (stats.start_time or 0),
        "kinds": [
            figures(entry)
            for _key, entry in sorted(stats.entries.items())
            if entry.num_requests
        ],
        "total": figures(stats.total),
        "failures": [
            {
                "name": error.name,
                "error": str(error.error),
                "occurrences": error.occurrences,
            }
            for error in stats.errors.values()
        ],
        "exceptions": [
            {"count": exception["count"], "message": exception["msg"]}
            for exception in environment.runner.exceptions.values()
        ],
    }
    RESULTS_FILE.write_text(json.dumps(results, indent=2), encoding="utf-8")


class PostForm(HTMLParser):
    """What a browser would send for the page's POST form as it stands."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "form" and attr.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form:
            return
        name = attr.get("name")
        if tag == "input" and name:
            kind = attr.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attr:
                    self.fields[name] = attr.get("value", "on")
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                self.fields[name] = attr.get("value", "")
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attr.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attr and not self._select_chosen:
                self.fields[self._select] = value
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.fields[self._select] = self._select_first
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def signup_buttons(page: str) -> list[dict[str, str]]:
    """The finder's sign-up buttons (to join a group, or to start one): each
    form's hidden fields, which it posts to FROM_FINDER_PATH."""
    forms = re.findall(
        rf'<form method="post" action="{FROM_FINDER_PATH}">(.*?)</form>', page, re.S
    )
    return [
        {
            name: html.unescape(value)
            for name, value in re.findall(
                r'<input type="hidden" name="(\w+)" value="([^"]*)">', form
            )
        }
        for form in forms
    ]


def form_errors(page: str) -> str:
    """The error list the signup form shows, as one line (for the failure)."""
    match = re.search(r'id="form-errors".*?</ul>', page, re.S)
    if 'id="group-suggestion"' in page:
        return "the form suggests another group for the address"
    if not match:
        return "the form came back without a listed error"
    return " | ".join(
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", match.group(0), re.S)
    )


class Resident(HttpUser):
    """One visitor of the public site, on a phone, in Dutch."""

    wait_time = between(
        float(os.environ.get("SOAK_WAIT_MIN", "0.5")),
        float(os.environ.get("SOAK_WAIT_MAX", "2.0")),
    )

    def on_start(self) -> None:
        self.client.headers.update(
            {
                # The portal runs as in production, behind a proxy that ends
                # TLS: this is the header that proxy adds (settings.py trusts
                # it through SECURE_PROXY_SSL_HEADER).
                "X-Forwarded-Proto": "https",
                "Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5",
                "User-Agent": "wabp-soak (locust)",
            }
        )

    def get_page(
        self, path: str, name: str, *, marker: str = "<h1", params=None, data=None
    ):
        """GET a page (POST ``data`` if given); a failure unless it is a 200 in
        Dutch showing ``marker``.

        Returns the response, or None when it failed.
        """
        with self.client.request(
            "GET" if data is None else "POST",
            path,
            params=params,
            data=data,
            name=name,
            catch_response=True,
        ) as response:
            reason = ""
            if response.status_code != 200:
                reason = f"HTTP {response.status_code}"
            elif '<html lang="nl">' not in response.text:
                reason = "the page is not in Dutch"
            elif marker not in response.text:
                reason = f"{marker!r} missing from the page"
            elif marker == RESULTS_MARKER and not signup_buttons(response.text):
                # A known street's result offers a group or starting one.
                reason = "the result has no sign-up button"
            if reason:
                response.failure(f"{reason} ({response.url})")
                return None
            return response

    @task(6)
    def home(self) -> None:
        self.get_page("/", "page: home", marker="<table")

    @task(3)
    def municipality(self) -> None:
        slug = random.choice(MUNICIPALITIES)
        self.get_page(f"/gemeente/{slug}/", "page: municipality", marker="<table")

    @task(1)
    def house_rules(self) -> None:
        self.get_page("/huishoudelijk-reglement/", "page: house rules")

    @task(1)
    def privacy(self) -> None:
        self.get_page("/privacy/", "page: privacy")

    @task(6)
    def street_suggestions(self) -> None:
        """What the finder asks while the resident types the first letters."""
        street = random.choice(STREETS)["name"]
        typed = street[: random.randint(3, max(3, min(8, len(street))))].lower()
        with self.client.get(
            "/zoek-je-groep/straten/",
            params={"q": typed},
            name="finder: suggestions",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            try:
                names = [item["name"] for item in response.json()["streets"]]
            except (ValueError, KeyError, TypeError):
                response.failure("no JSON list of streets")
                return
            if not names:
                response.failure(f"no suggestion for {typed!r}")

    def look_up(self, streets: list[dict] = STREETS) -> tuple[dict, list[dict]]:
        """Look up a known street and number: the sign-up buttons of the result.

        The name is the register's, so the result is never "several streets
        match": it offers the groups covering the address, or to start one.
        A POST, as the finder's form sends it (no address in the URL).
        """
        street = random.choice(streets)
        search = {"straat": street["name"], "nummer": random.randint(1, 120)}
        page = self.get_page(
            "/zoek-je-groep/", "finder: look-up", marker=RESULTS_MARKER, data=search
        )
        return street, signup_buttons(page.text) if page is not None else []

    @task(5)
    def finder(self) -> None:
        self.look_up()

    @task(2)
    def sign_up(self) -> None:
        """Find the group, follow its sign-up button, fill in the form, send it.

        Most live in a group's region; where no group covers the address the
        finder offers to start one, and the resident does so (an application
        for a new group).
        """
        street, buttons = self.look_up(
            COVERED_STREETS if random.random() < 0.8 else STREETS
        )
        participant = [button for button in buttons if "groep" in button]
        coordinator = [button for button in buttons if button.get("rol")]
        if not (participant or coordinator):
            return
        form_url = FROM_FINDER_PATH
        form_page = self.get_page(
            form_url,
            "signup: form",
            marker='name="csrfmiddlewaretoken"',
            data=random.choice(participant or coordinator),
        )
        if form_page is None:
            return
        parser = PostForm()
        parser.feed(form_page.text)
        resident = new_resident()
        data = parser.fields
        data.update(resident)
        data.update(accept_house_rules="on", accept_privacy="on", website="")
        if not data.get("house_number"):
            data["house_number"] = str(random.randint(1, 120))
        if not data.get("postcode"):
            data["postcode"] = street["postcode"]
        if data.get("role") == "coordinator":
            data["proposed_group_name"] = f"WABP {street['name']}"
            data["proposed_area"] = f"{street['name']} {data['house_number']}"
        posts = 2 if random.random() < DOUBLE_CLICKS else 1
        append_line(ATTEMPTS_FILE, f"{resident['email']} {posts}")
        names = ["signup: submit", "signup: submit, 2nd click"][:posts]
        sent = gevent.joinall(
            [gevent.spawn(self.submit, data, form_page, form_url, n) for n in names]
        )
        for greenlet in sent:
            if greenlet.exception:  # for locust to report, as in any task
                raise greenlet.exception
        if all(greenlet.value for greenlet in sent):
            append_line(SIGNUPS_FILE, f"{resident['email']} {posts}")
            self.get_page(SIGNUP_SENT_PATH, "signup: sent page")

    def submit(self, data: dict, form_page, form_url: str, name: str) -> bool:
        """POST the signup form; True when it leads to the "sent" page."""
        # The CSRF cookie is Secure (production), and this client speaks plain
        # HTTP to the app server, so it would not send it back by itself; a
        # browser behind the TLS proxy would. Send it as the browser would.
        csrf_cookie = form_page.cookies.get("csrftoken") or self.client.cookies.get(
            "csrftoken"
        )
        origin = f"https://{self.host.split('://', 1)[1].rstrip('/')}"
        with self.client.post(
            "/aanmelden/",
            data=urlencode(data),
            cookies={"csrftoken": csrf_cookie} if csrf_cookie else None,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + form_url,
            },
            allow_redirects=False,
            name=name,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            # An applicant's page carries ?rol=coordinator.
            if response.status_code == 302 and location.partition("?")[0] == (
                SIGNUP_SENT_PATH
            ):
                return True
            if response.status_code == 200:
                response.failure(f"form refused: {form_errors(response.text)}")
            else:
                response.failure(f"HTTP {response.status_code} {location}".strip())
            return False
