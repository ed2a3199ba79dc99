# Catalogue entries of the h-finder branch (issue 22: the finder and the
# public table). Applied with /work/wt/addmsgs.py.
NB = "\u00a0"  # French puts a no-break space before ? and :

ENTRIES = [
    # The house numbers a region covers of a street (RegionStreet.numbers_text).
    dict(msgid="whole street", nl="hele straat", en="whole street", fr="toute la rue"),
    dict(
        msgid="numbers %(start)s–%(end)s",
        nl="huisnummers %(start)s–%(end)s",
        en="numbers %(start)s–%(end)s",
        fr="numéros %(start)s à %(end)s",
    ),
    dict(
        msgid="numbers from %(start)s",
        nl="huisnummers vanaf %(start)s",
        en="numbers from %(start)s",
        fr="numéros à partir du %(start)s",
    ),
    dict(
        msgid="even numbers %(start)s–%(end)s",
        nl="even huisnummers %(start)s–%(end)s",
        en="even numbers %(start)s–%(end)s",
        fr="numéros pairs %(start)s à %(end)s",
    ),
    dict(
        msgid="even numbers from %(start)s",
        nl="even huisnummers vanaf %(start)s",
        en="even numbers from %(start)s",
        fr="numéros pairs à partir du %(start)s",
    ),
    dict(
        msgid="odd numbers %(start)s–%(end)s",
        nl="oneven huisnummers %(start)s–%(end)s",
        en="odd numbers %(start)s–%(end)s",
        fr="numéros impairs %(start)s à %(end)s",
    ),
    dict(
        msgid="odd numbers from %(start)s",
        nl="oneven huisnummers vanaf %(start)s",
        en="odd numbers from %(start)s",
        fr="numéros impairs à partir du %(start)s",
    ),
    # The finder's form.
    dict(
        msgid="Optional. A postcode alone shows the groups of its municipality.",
        nl="Niet verplicht. Met alleen je postcode zie je de groepen van je gemeente.",
        en="Optional. A postcode alone shows the groups of its municipality.",
        fr="Facultatif. Le code postal seul affiche les groupes de votre commune.",
    ),
    dict(
        msgid="Enter your street, or your postcode.",
        nl="Vul je straat in, of je postcode.",
        en="Enter your street, or your postcode.",
        fr="Indiquez votre rue, ou votre code postal.",
    ),
    # Close spellings.
    dict(
        msgid="Did you mean %(name)s?",
        nl="Bedoel je %(name)s?",
        en="Did you mean %(name)s?",
        fr=f"Vouliez-vous dire %(name)s{NB}?",
    ),
    dict(
        msgid="Did you mean one of these streets?",
        nl="Bedoel je een van deze straten?",
        en="Did you mean one of these streets?",
        fr=f"Vouliez-vous dire l’une de ces rues{NB}?",
    ),
    dict(
        msgid="Not one of these? Then we do not know the street you typed, "
        "or no group covers it yet.",
        nl="Staat je straat er niet bij? Dan kennen we de straat die je typte "
        "niet, of is er nog geen groep voor.",
        en="Not one of these? Then we do not know the street you typed, "
        "or no group covers it yet.",
        fr=f"Votre rue n’est pas dans la liste{NB}? Alors nous ne connaissons pas "
        "la rue indiquée, ou aucun groupe ne la couvre encore.",
    ),
    # Groups nearby, when none covers the address.
    dict(
        msgid="Groups nearby in %(name)s",
        nl="Groepen in de buurt in %(name)s",
        en="Groups nearby in %(name)s",
        fr="Groupes proches à %(name)s",
    ),
    dict(
        msgid="Groups nearby",
        nl="Groepen in de buurt",
        en="Groups nearby",
        fr="Groupes proches",
    ),
    dict(
        msgid="These groups are active near your address, those on your street "
        "or in your postcode first. You can ask to join one: its coordinator "
        "decides.",
        nl="Deze groepen zijn actief in de buurt van je adres, eerst die in je "
        "straat of je postcode. Je kan vragen om bij een ervan aan te sluiten: "
        "de coördinator beslist.",
        en="These groups are active near your address, those on your street "
        "or in your postcode first. You can ask to join one: its coordinator "
        "decides.",
        fr="Ces groupes sont actifs près de votre adresse, d’abord ceux de votre "
        "rue ou de votre code postal. Vous pouvez demander à rejoindre l’un "
        f"d’eux{NB}: son coordinateur décide.",
    ),
    dict(
        msgid="All groups of %(name)s",
        nl="Alle groepen van %(name)s",
        en="All groups of %(name)s",
        fr="Tous les groupes de %(name)s",
    ),
    # A group's streets, on its card and its row of the table.
    dict(msgid="Your street", nl="Je straat", en="Your street", fr="Votre rue"),
    dict(
        msgid='Streets<span class="visually-hidden"> of %(name)s</span>',
        nl='Straten<span class="visually-hidden"> van %(name)s</span>',
        en='Streets<span class="visually-hidden"> of %(name)s</span>',
        fr='Rues<span class="visually-hidden"> de %(name)s</span>',
    ),
    # A postcode alone.
    dict(
        msgid="Type your street as well to see which group covers your address.",
        nl="Vul ook je straat in om te zien welke groep bij je adres hoort.",
        en="Type your street as well to see which group covers your address.",
        fr="Indiquez aussi votre rue pour voir quel groupe couvre votre adresse.",
    ),
    dict(
        msgid="Groups in %(name)s (%(postcode)s)",
        nl="Groepen in %(name)s (%(postcode)s)",
        en="Groups in %(name)s (%(postcode)s)",
        fr="Groupes à %(name)s (%(postcode)s)",
    ),
    dict(
        msgid="No municipality with postcode %(postcode)s takes part in this site.",
        nl="Geen enkele gemeente met postcode %(postcode)s doet mee op deze site.",
        en="No municipality with postcode %(postcode)s takes part in this site.",
        fr="Aucune commune avec le code postal %(postcode)s ne participe à ce site.",
    ),
]

# Not this branch's wording, but failing tests/test_plain_language.py on main
# when this branch was made: the Dutch says "huishoudelijk reglement" and
# "je kan", as everywhere else.
ENTRIES += [
    dict(
        msgid="Each police zone has its own house rules and groups. Choose the "
        "municipality where you live.",
        nl="Elke politiezone heeft een eigen huishoudelijk reglement en eigen "
        "groepen. Kies de gemeente waar je woont.",
        en="Each police zone has its own house rules and groups. Choose the "
        "municipality where you live.",
        fr="Chaque zone de police a son propre règlement et ses propres groupes. "
        "Choisissez la commune où vous habitez.",
    ),
    dict(
        msgid="A neighbourhood watch group already covers your address. You can "
        "join it instead of starting a new one:",
        nl="Er is al een buurtpreventiegroep voor je adres. Je kan je daarbij "
        "aansluiten in plaats van een nieuwe groep te starten:",
        en="A neighbourhood watch group already covers your address. You can "
        "join it instead of starting a new one:",
        fr="Un groupe de prévention de quartier couvre déjà votre adresse. Vous "
        f"pouvez le rejoindre au lieu d'en créer un nouveau{NB}:",
    ),
]

REMOVE = []
