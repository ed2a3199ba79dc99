"""The words the made-up data is drawn from: Flemish names, stems of place and
street names, the reasons a coordinator gives, phone ranges and mail domains.
"""

from collections.abc import Sequence

from django.utils.text import slugify

FIRST_NAMES = (
    "An Anke Arne Bart Bram Dirk Eline Els Emma Evi Fien Geert Griet Hanne "
    "Hilde Ilse Inge Jan Jef Jonas Julie Karen Katrien Koen Kristof Lander Lars "
    "Leen Lien Lisa Lotte Luc Maarten Marc Marie Marleen Nele Peter Pieter "
    "Ruben Sander Sara Seppe Sofie Stijn Thomas Tom Veerle Wim Wout"
).split()
LAST_NAMES = [
    *"Aerts Bogaerts Claes Claessens Coenen Cools Daems Geerts Goossens Hendrickx "
    "Hermans Jacobs Janssens Lambrechts Leemans Lenaerts Maes Martens Mertens "
    "Michiels Pauwels Peeters Segers Smets Stevens Thijs Vandenberghe Verhoeven "
    "Vermeulen Verstraeten Vos Willems Wouters Wuyts".split(),
    "De Clercq",
    "De Smet",
    "Van Damme",
    "Van den Broeck",
    "Van Dyck",
]

MUNICIPALITY_STEMS = (
    "Beek Berg Bos Brug Dender Demer Dijle Durme Eike Ever Gaver Geet Groen "
    "Haver Heide Herk Hoog Hout Kapel Kerk Klein Koe Laar Lede Lin Loo Mark "
    "Meer Melle Moer Mol Nete Noord Oost Oude Ravel Rode Rupel Schel Stok Ter "
    "Vel Vlier Wael Wals West Wijn Zand Zuid Zwal"
).split()
MUNICIPALITY_ENDINGS = (
    "aken beek bergen brugge dal dijk donk dorp dries egem eren gem heide hem "
    "hout hoven ingen kerke laar lo ode rode tergem veld zele"
).split()
STREET_STEMS = (
    "Akker Appel Bakkers Beek Beuk Berken Boomgaard Bos Broek Brouwerij Brug "
    "Dijk Donk Dorps Dries Eik Esdoorn Gemeente Haver Hazel Heide Hoeve Hof "
    "Hop Hulst Kamp Kanaal Kapel Kasteel Kastanje Kerk Kersen Kievit Klooster "
    "Kluis Koren Kouter Kruis Leeuwerik Lelie Linde Markt Meer Merel Molen "
    "Noord Notelaar Ooievaar Oost Pastorij Peren Populier Post Reiger Rogge "
    "Rozen School Sint-Anna Sint-Jan Sint-Jozef Sint-Martinus Sluis Smis Spoor "
    "Stations Steen Tarwe Tram Tulpen Vaart Veld Ven Vink Vlas Vlinder Water "
    "Weide West Wilgen Zand Zonne Zuid Zwaluw"
).split() + ["Rode Kruis", "Lange Akker", "Hoge Weide"]
STREET_ENDINGS = ("straat", "laan", "weg", "steenweg", "plein", "dreef")
STREET_ENDING_WEIGHTS = (50, 12, 16, 4, 6, 12)
STREET_PREFIXES = ("Oude", "Nieuwe", "Grote", "Kleine", "Hoge", "Lage")
AREA_ENDINGS = "akker berg broek dal dries heide hoek hof kouter veld ven wijk".split()
FLANDERS_AREA_CODES = "11 13 14 15 16 50 51 52 53 54 55 56 57 58 59 89".split()
# Belgian mobile ranges: signups draw from these, coordinators from their own.
SIGNUP_MOBILE_PREFIXES = [str(p) for p in (*range(470, 480), *range(483, 500))]
COORDINATOR_MOBILE_PREFIXES = ["460", "455", "456"]
MAIL_DOMAINS = ("example.org", "example.net", "example.com")
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

REJECT_REASONS = [
    "Het adres ligt buiten het werkgebied van deze groep.",
    "Dubbele aanmelding: u bent al lid van de groep.",
    "We konden u niet bereiken om uw adres na te gaan.",
]
REMOVE_REASONS = [
    "Herhaaldelijk berichten die niets met buurtpreventie te maken hebben.",
    "Houdt zich niet aan het huishoudelijk reglement.",
    "Verhuisd uit de wijk.",
]
APPLICATION_REJECT_REASONS = [
    "Er bestaat al een groep voor deze straten; u kunt daar lid worden.",
    "Het voorgestelde gebied is te klein voor een eigen groep.",
]
HOUSE_RULES_BODY = (
    "Bel bij een verdachte situatie eerst 101; meld het daarna in de groep.\n\n"
    "Deel geen foto's of namen van personen.\n\n"
    "Blijf beleefd en houd de berichten bij buurtpreventie.\n\n"
    "De coördinator mag leden verwijderen die zich niet aan deze regels houden."
)

BOXES = ("1", "2", "3", "A", "B", "0.1", "1.2")


def mobile_number(counter: int, prefixes: Sequence[str]) -> str:
    """A Belgian mobile number in E.164, distinct for a million per prefix."""
    counter %= len(prefixes) * 1_000_000
    return f"+32{prefixes[counter // 1_000_000]}{counter % 1_000_000:06d}"


def local_part(name: str) -> str:
    """A name as the part of an e-mail address before the @."""
    return slugify(name).replace("-", "")


# Looked up in the signups' hot loop rather than made again for each.
LOCAL_PARTS = {name: local_part(name) for name in (*FIRST_NAMES, *LAST_NAMES)}
