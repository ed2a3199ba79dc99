"""The resident's side in French, next to Dutch and English (issue 22).

A visitor whose browser (or the language switcher) asks for French reads the
public pages in French, signs up in French and gets every later mail in
French. What staff typed in Dutch (the house rules, the downloads, a meeting's
agenda) stays Dutch: a visitor in another language is told so, in theirs.
"""

import html
import re
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from post_office.models import Email

from groups.services.meetings import response_link
from registrations.models import Signup
from registrations.notifications import confirmation_link, reacceptance_link
from registrations.services import approve_signup, reject_signup
from tests.eloket import SIGNUP_URL, eloket_form
from tests.factories import (
    DownloadFactory,
    HouseRulesFactory,
    MeetingInvitationFactory,
    SignupFactory,
)

pytestmark = pytest.mark.django_db

FRENCH = "fr-BE,fr;q=0.9,nl;q=0.5"
HOUSE_RULES_URL = "/huishoudelijk-reglement/"
NBSP = "\u00a0"
TEXT_ONLY_IN_DUTCH = {
    "fr": "Ce texte n’existe qu’en néerlandais.",
    "en": "This text is available in Dutch only.",
}
DOCUMENTS_ONLY_IN_DUTCH = {
    "fr": "Ces documents n’existent qu’en néerlandais.",
    "en": "These documents are available in Dutch only.",
}


def text(response) -> str:
    return html.unescape(response.content.decode())


def heading(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", text(response), re.S)
    assert match, "no <h1> on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def path_of(url: str) -> str:
    return urlsplit(url).path


# The pages


@pytest.mark.parametrize(
    "url, title",
    [
        ("/", "Ensemble contre les cambriolages avec WhatsApp"),
        ("/zoek-je-groep/", "Trouver votre groupe"),
        (SIGNUP_URL, "S’inscrire à la prévention de quartier"),
        ("/privacy/", "Déclaration de confidentialité"),
    ],
)
def test_a_french_visitor_reads_the_public_pages_in_french(
    client, open_group, url, title
):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=FRENCH)

    assert response.status_code == HTTPStatus.OK
    assert '<html lang="fr">' in text(response)
    assert heading(response) == title


def test_the_signup_form_speaks_french(client, open_group):
    page = text(client.get(SIGNUP_URL, HTTP_ACCEPT_LANGUAGE=FRENCH))

    assert 'value="Envoyer mon inscription"' in page
    assert "Numéro de GSM" in page
    assert "Verstuur mijn inschrijving" not in page
    assert "Send my signup" not in page


def test_the_finder_answers_in_french(client, open_group):
    response = client.post(
        "/zoek-je-groep/",
        {"straat": "Motstraat", "nummer": "12"},
        HTTP_ACCEPT_LANGUAGE=FRENCH,
    )

    page = text(response)
    assert f"Ce groupe couvre votre adresse{NBSP}:" in page
    assert f"S’inscrire à {open_group.name}" in page


def test_the_house_rules_page_speaks_french_around_the_dutch_rules(client, rules):
    page = text(client.get(HOUSE_RULES_URL, HTTP_ACCEPT_LANGUAGE=FRENCH))

    assert '<html lang="fr">' in page
    assert f"Version 2 de {rules.zone.name}, publiée le" in page
    assert '<h1 lang="nl">Huishoudelijk reglement WABP</h1>' in page
    assert "Wees beleefd in de groep." in page


def test_the_language_switcher_offers_french_and_remembers_it(client, open_group):
    switcher = text(client.get("/"))
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = text(client.get(SIGNUP_URL))

    assert '<option value="fr" lang="fr">Français</option>' in switcher
    assert response.cookies["django_language"].value == "fr"
    assert heading(client.get(SIGNUP_URL)) == "S’inscrire à la prévention de quartier"
    assert '<html lang="fr">' in page


# Signing up and the mails that follow


def test_a_french_signup_is_stored_in_french_and_confirmed_in_french(
    client, open_group, rules
):
    client.post(SIGNUP_URL, eloket_form(open_group, rules), HTTP_ACCEPT_LANGUAGE=FRENCH)

    assert Signup.objects.get().language == "fr"
    [mail] = Email.objects.all()
    assert mail.subject == "Confirmez votre inscription à la prévention de quartier"
    assert mail.message.startswith("Bonjour Griet,")
    assert f"Merci pour votre inscription à {open_group.name}." in mail.message
    assert "Bien à vous," in mail.message
    assert '<html lang="fr">' in mail.html_message
    assert "Bevestig" not in mail.message


def test_the_confirmation_pages_speak_french(client, open_group, rules):
    client.post(SIGNUP_URL, eloket_form(open_group, rules), HTTP_ACCEPT_LANGUAGE=FRENCH)
    link = path_of(confirmation_link(Signup.objects.get()))

    asked = client.get(link, HTTP_ACCEPT_LANGUAGE=FRENCH)
    confirmed = client.post(link, HTTP_ACCEPT_LANGUAGE=FRENCH)

    assert heading(asked) == "Confirmez votre inscription"
    assert "Confirmer mon inscription" in text(asked)
    assert heading(confirmed) == "Merci, votre inscription est confirmée"


def test_a_french_member_hears_of_the_decision_in_french(coordinator_user, group):
    """The coordinator decides in Dutch; the resident reads French."""
    signup = SignupFactory(group=group, language="fr")

    with translation.override("nl"):
        approve_signup(signup, by=coordinator_user)

    mail = Email.objects.get(to=[signup.email])
    assert mail.subject == f"Bienvenue dans {group.name}"
    assert "Bonne nouvelle" in mail.message


def test_a_french_applicant_hears_of_a_rejection_in_french(coordinator_user, group):
    signup = SignupFactory(group=group, language="fr")

    reject_signup(signup, by=coordinator_user, reason="Adresse hors du quartier.")

    mail = Email.objects.get(to=[signup.email])
    assert mail.subject == "Votre inscription à la prévention de quartier"
    assert f"Le motif{NBSP}:" in mail.message
    assert "Adresse hors du quartier." in mail.message


def test_a_dutch_signup_is_still_mailed_in_dutch(client, open_group, rules):
    client.post(SIGNUP_URL, eloket_form(open_group, rules))

    assert Signup.objects.get().language == "nl"
    assert Email.objects.get().subject == (
        "Bevestig je inschrijving voor de buurtpreventie"
    )


# Content that exists only in Dutch


@pytest.mark.parametrize("language", ["fr", "en"])
def test_house_rules_in_dutch_are_announced_in_the_visitors_language(
    client, rules, language
):
    DownloadFactory(zone=rules.zone, title="Folder buurtpreventie")

    page = text(client.get(HOUSE_RULES_URL, HTTP_ACCEPT_LANGUAGE=language))

    assert TEXT_ONLY_IN_DUTCH[language] in page
    assert DOCUMENTS_ONLY_IN_DUTCH[language] in page
    # The notice comes before the text it speaks of, which is marked Dutch.
    assert page.index(TEXT_ONLY_IN_DUTCH[language]) < page.index("Wees beleefd")
    assert '<div class="house-rules-text" lang="nl">' in page
    assert 'lang="nl" hreflang="nl">Folder buurtpreventie</a>' in page


def test_a_dutch_visitor_gets_no_notice(client, rules):
    DownloadFactory(zone=rules.zone)

    response = client.get(HOUSE_RULES_URL)

    assert 'class="dutch-only' not in text(response)


@pytest.mark.parametrize(
    "language, notice",
    [("fr", TEXT_ONLY_IN_DUTCH["fr"]), ("en", TEXT_ONLY_IN_DUTCH["en"]), ("nl", None)],
)
def test_the_signup_form_says_its_house_rules_are_dutch(
    client, open_group, language, notice
):
    page = text(client.get(SIGNUP_URL, HTTP_ACCEPT_LANGUAGE=language))

    assert "Wees beleefd in de groep." in page
    if notice:
        assert notice in page
    else:
        assert 'class="dutch-only' not in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_new_house_rules_page_says_they_are_dutch(client, group, language):
    older = HouseRulesFactory(zone=group.municipality.zone, is_current=False)
    HouseRulesFactory(zone=group.municipality.zone, body="Nieuwe regel.")
    signup = SignupFactory(group=group, house_rules=older, language=language)

    response = client.get(
        path_of(reacceptance_link(signup)), HTTP_ACCEPT_LANGUAGE=language
    )

    page = text(response)
    assert response.status_code == HTTPStatus.OK
    assert TEXT_ONLY_IN_DUTCH[language] in page
    assert '<div lang="nl"><p>Nieuwe regel.</p></div>' in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_meeting_agenda_in_dutch_is_announced(client, language):
    invitation = MeetingInvitationFactory(meeting__agenda="Stand van zaken")

    response = client.get(
        path_of(response_link(invitation)), HTTP_ACCEPT_LANGUAGE=language
    )

    page = text(response)
    assert TEXT_ONLY_IN_DUTCH[language] in page
    assert '<div lang="nl"><p>Stand van zaken</p></div>' in page


def test_a_meeting_without_an_agenda_needs_no_notice(client):
    invitation = MeetingInvitationFactory(meeting__agenda="")

    response = client.get(path_of(response_link(invitation)), HTTP_ACCEPT_LANGUAGE="fr")

    assert 'class="dutch-only' not in text(response)


def test_french_pages_name_a_municipality_by_its_french_name(client, open_group):
    municipality = open_group.municipality
    municipality.name, municipality.name_fr = "Tongeren-Borgloon", "Tongres-Looz"
    municipality.save()
    page = municipality.get_absolute_url()

    french = text(client.get(page, HTTP_ACCEPT_LANGUAGE=FRENCH))
    dutch = text(client.get(page, HTTP_ACCEPT_LANGUAGE="nl"))

    assert "Tongres-Looz" in french
    assert "Tongres-Looz" not in dutch
    assert "Tongeren-Borgloon" in dutch


def test_the_eloket_lists_a_municipality_by_its_french_name_on_french_pages(
    client, open_group
):
    municipality = open_group.municipality
    municipality.name, municipality.name_fr = "Tongeren-Borgloon", "Tongres-Looz"
    municipality.save()
    form = reverse("registrations:signup") + f"?gemeente={municipality.pk}"

    dutch = client.get(form, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    french = client.get(form, HTTP_ACCEPT_LANGUAGE=FRENCH).content.decode()

    option = f'<option value="{municipality.pk}" selected>'
    assert f"{option}Tongeren-Borgloon</option>" in dutch
    assert f"{option}Tongres-Looz</option>" in french
