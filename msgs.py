"""Catalogue entries this branch (h-official) adds, changes or removes."""

ENTRIES = [
    # --- municipalities and postcodes from the official list -----------------
    dict(
        msgid="Enter a NIS code of five digits, for example 73001.",
        nl="Vul een NIS-code van vijf cijfers in, bijvoorbeeld 73001.",
        en="Enter a NIS code of five digits, for example 73001.",
        fr="Indiquez un code INS de cinq chiffres, par exemple 73001.",
    ),
    dict(msgid="NIS code", nl="NIS-code", en="NIS code", fr="code INS"),
    dict(
        msgid="name in French",
        nl="naam in het Frans",
        en="name in French",
        fr="nom en français",
    ),
    dict(
        msgid="This municipality is already in the portal.",
        nl="Deze gemeente staat al in het portaal.",
        en="This municipality is already in the portal.",
        fr="Cette commune figure déjà dans le portail.",
    ),
    dict(
        msgid="%(code)s is not a municipality in the official list.",
        nl="%(code)s is geen gemeente in de officiële lijst.",
        en="%(code)s is not a municipality in the official list.",
        fr="%(code)s n’est pas une commune de la liste officielle.",
    ),
    dict(
        msgid="%(postcode)s is not a postcode of %(municipality)s.",
        nl="%(postcode)s is geen postcode van %(municipality)s.",
        en="%(postcode)s is not a postcode of %(municipality)s.",
        fr="Le code postal %(postcode)s n’appartient pas à %(municipality)s.",
    ),
    dict(
        msgid="The postcode of %(municipality)s is %(postcodes)s.",
        plural="The postcodes of %(municipality)s are %(postcodes)s.",
        nl=[
            "De postcode van %(municipality)s is %(postcodes)s.",
            "De postcodes van %(municipality)s zijn %(postcodes)s.",
        ],
        en=[
            "The postcode of %(municipality)s is %(postcodes)s.",
            "The postcodes of %(municipality)s are %(postcodes)s.",
        ],
        fr=[
            "%(municipality)s\u00a0: code postal %(postcodes)s.",
            "%(municipality)s\u00a0: codes postaux %(postcodes)s.",
        ],
    ),
    dict(
        msgid="Municipality in the official list",
        nl="Gemeente in de officiële lijst",
        en="Municipality in the official list",
        fr="Commune dans la liste officielle",
    ),
    dict(
        msgid=(
            "Statbel's list of Belgium's municipalities. The name in Dutch and "
            "in French and the postcodes are taken from it."
        ),
        nl=(
            "De lijst van de Belgische gemeenten van Statbel. De naam in het "
            "Nederlands en in het Frans en de postcodes komen uit die lijst."
        ),
        en=(
            "Statbel's list of Belgium's municipalities. The name in Dutch and "
            "in French and the postcodes are taken from it."
        ),
        fr=(
            "La liste des communes belges de Statbel. Le nom en néerlandais et "
            "en français et les codes postaux en sont repris."
        ),
    ),
    dict(
        msgid="Left empty: made from the name, for example alken.",
        nl="Leeg gelaten: gemaakt uit de naam, bijvoorbeeld alken.",
        en="Left empty: made from the name, for example alken.",
        fr="Laissé vide\u00a0: formé à partir du nom, par exemple alken.",
    ),
    dict(
        msgid="Give the municipality an address.",
        nl="Geef de gemeente een adres.",
        en="Give the municipality an address.",
        fr="Donnez une adresse à la commune.",
    ),
    # --- the page of a link that cannot be used, per kind of link -------------
    dict(
        msgid=(
            "Nothing was changed. A confirmation link works for %(hours)s hour "
            "and only once. Sign up again with the form: you get a new link."
        ),
        plural=(
            "Nothing was changed. A confirmation link works for %(hours)s hours "
            "and only once. Sign up again with the form: you get a new link."
        ),
        nl=[
            "Er is niets gewijzigd. Een bevestigingslink werkt %(hours)s uur en "
            "maar één keer. Schrijf je opnieuw in met het formulier: je krijgt "
            "een nieuwe link.",
            "Er is niets gewijzigd. Een bevestigingslink werkt %(hours)s uur en "
            "maar één keer. Schrijf je opnieuw in met het formulier: je krijgt "
            "een nieuwe link.",
        ],
        en=[
            "Nothing was changed. A confirmation link works for %(hours)s hour "
            "and only once. Sign up again with the form: you get a new link.",
            "Nothing was changed. A confirmation link works for %(hours)s hours "
            "and only once. Sign up again with the form: you get a new link.",
        ],
        fr=[
            "Rien n’a été modifié. Un lien de confirmation est valable "
            "%(hours)s heure, une seule fois. Inscrivez-vous à nouveau avec le "
            "formulaire\u00a0: vous recevrez un nouveau lien.",
            "Rien n’a été modifié. Un lien de confirmation est valable "
            "%(hours)s heures, une seule fois. Inscrivez-vous à nouveau avec le "
            "formulaire\u00a0: vous recevrez un nouveau lien.",
        ],
    ),
    dict(
        msgid=(
            "Nothing was changed. Use the withdrawal link in the latest e-mail "
            "we sent you, exactly as it was sent."
        ),
        nl=(
            "Er is niets gewijzigd. Gebruik de uitschrijflink in de laatste "
            "e-mail die we je stuurden, precies zoals hij verstuurd is."
        ),
        en=(
            "Nothing was changed. Use the withdrawal link in the latest e-mail "
            "we sent you, exactly as it was sent."
        ),
        fr=(
            "Rien n’a été modifié. Utilisez le lien de désinscription du dernier "
            "e-mail que nous vous avons envoyé, tel quel."
        ),
    ),
    dict(
        msgid=(
            "A signup that was never confirmed is deleted after %(days)s day: "
            "then there is nothing left to withdraw."
        ),
        plural=(
            "A signup that was never confirmed is deleted after %(days)s days: "
            "then there is nothing left to withdraw."
        ),
        nl=[
            "Een inschrijving die nooit bevestigd werd, wissen we na %(days)s "
            "dag: dan valt er niets meer uit te schrijven.",
            "Een inschrijving die nooit bevestigd werd, wissen we na %(days)s "
            "dagen: dan valt er niets meer uit te schrijven.",
        ],
        en=[
            "A signup that was never confirmed is deleted after %(days)s day: "
            "then there is nothing left to withdraw.",
            "A signup that was never confirmed is deleted after %(days)s days: "
            "then there is nothing left to withdraw.",
        ],
        fr=[
            "Une inscription jamais confirmée est supprimée après %(days)s "
            "jour\u00a0: il n’y a alors plus rien à retirer.",
            "Une inscription jamais confirmée est supprimée après %(days)s "
            "jours\u00a0: il n’y a alors plus rien à retirer.",
        ],
    ),
    dict(
        msgid=(
            "Do you want your data erased in another way? Write to the police "
            "zone: the privacy notice gives its address."
        ),
        nl=(
            "Wil je je gegevens op een andere manier laten wissen? Schrijf naar "
            "de politiezone: het adres staat in de privacyverklaring."
        ),
        en=(
            "Do you want your data erased in another way? Write to the police "
            "zone: the privacy notice gives its address."
        ),
        fr=(
            "Vous souhaitez faire effacer vos données autrement\u00a0? Écrivez à "
            "la zone de police\u00a0: son adresse figure dans la déclaration de "
            "confidentialité."
        ),
    ),
    dict(
        msgid="Read the privacy notice",
        nl="Lees de privacyverklaring",
        en="Read the privacy notice",
        fr="Lire la déclaration de confidentialité",
    ),
    dict(
        msgid=(
            "Nothing was changed. A link to accept new house rules works for "
            "%(days)s day, and only while you are signed up."
        ),
        plural=(
            "Nothing was changed. A link to accept new house rules works for "
            "%(days)s days, and only while you are signed up."
        ),
        nl=[
            "Er is niets gewijzigd. Een link om een nieuw huishoudelijk "
            "reglement te aanvaarden werkt %(days)s dag, en alleen zolang je "
            "ingeschreven bent.",
            "Er is niets gewijzigd. Een link om een nieuw huishoudelijk "
            "reglement te aanvaarden werkt %(days)s dagen, en alleen zolang je "
            "ingeschreven bent.",
        ],
        en=[
            "Nothing was changed. A link to accept new house rules works for "
            "%(days)s day, and only while you are signed up.",
            "Nothing was changed. A link to accept new house rules works for "
            "%(days)s days, and only while you are signed up.",
        ],
        fr=[
            "Rien n’a été modifié. Un lien pour accepter un nouveau règlement "
            "d’ordre intérieur est valable %(days)s jour, et seulement tant que "
            "vous êtes inscrit.",
            "Rien n’a été modifié. Un lien pour accepter un nouveau règlement "
            "d’ordre intérieur est valable %(days)s jours, et seulement tant que "
            "vous êtes inscrit.",
        ],
    ),
    dict(
        msgid="Read the current house rules",
        nl="Lees het huidige huishoudelijk reglement",
        en="Read the current house rules",
        fr="Lire le règlement d’ordre intérieur actuel",
    ),
    dict(
        msgid="Nothing was changed.",
        nl="Er is niets gewijzigd.",
        en="Nothing was changed.",
        fr="Rien n’a été modifié.",
    ),
    # --- two Dutch texts of main that the plain-language test refuses ---------
    dict(
        msgid=(
            "Each police zone has its own house rules and groups. Choose the "
            "municipality where you live."
        ),
        nl=(
            "Elke politiezone heeft een eigen huishoudelijk reglement en eigen "
            "groepen. Kies de gemeente waar je woont."
        ),
        en=(
            "Each police zone has its own house rules and groups. Choose the "
            "municipality where you live."
        ),
        fr=(
            "Chaque zone de police a son propre règlement et ses propres "
            "groupes. Choisissez la commune où vous habitez."
        ),
    ),
    dict(
        msgid=(
            "A neighbourhood watch group already covers your address. You can "
            "join it instead of starting a new one:"
        ),
        nl=(
            "Er is al een buurtpreventiegroep voor je adres. Je kan je daarbij "
            "aansluiten in plaats van een nieuwe groep te starten:"
        ),
        en=(
            "A neighbourhood watch group already covers your address. You can "
            "join it instead of starting a new one:"
        ),
        fr=(
            "Un groupe de prévention de quartier couvre déjà votre adresse. "
            "Vous pouvez le rejoindre au lieu d'en créer un nouveau\u00a0:"
        ),
    ),
    # --- mobile numbers: Belgian in any notation, foreign with country code ---
    dict(
        msgid=(
            "Enter a valid mobile number, for example 0470 12 34 56. A foreign "
            "number starts with its country code, for example +31 6 12 34 56 78."
        ),
        nl=(
            "Vul een geldig gsm-nummer in, bijvoorbeeld 0470 12 34 56. Een "
            "buitenlands nummer begint met de landcode, bijvoorbeeld "
            "+31 6 12 34 56 78."
        ),
        en=(
            "Enter a valid mobile number, for example 0470 12 34 56. A foreign "
            "number starts with its country code, for example +31 6 12 34 56 78."
        ),
        fr=(
            "Indiquez un numéro de GSM valable, par exemple 0470 12 34 56. Un "
            "numéro étranger commence par l’indicatif du pays, par exemple "
            "+31 6 12 34 56 78."
        ),
    ),
    dict(
        msgid=(
            "The number you use in WhatsApp, for example 0470 12 34 56. A "
            "foreign number with its country code: +31 6 12 34 56 78."
        ),
        nl=(
            "Het nummer waarmee je WhatsApp gebruikt, bijvoorbeeld "
            "0470 12 34 56. Een buitenlands nummer met de landcode: "
            "+31 6 12 34 56 78."
        ),
        en=(
            "The number you use in WhatsApp, for example 0470 12 34 56. A "
            "foreign number with its country code: +31 6 12 34 56 78."
        ),
        fr=(
            "Le numéro avec lequel vous utilisez WhatsApp, par exemple "
            "0470 12 34 56. Un numéro étranger avec l’indicatif du "
            "pays\u00a0: +31 6 12 34 56 78."
        ),
    ),
]

REMOVE = [
    "Enter a valid mobile number, for example 0470 12 34 56.",
    "The number you use in WhatsApp, for example 0470 12 34 56.",
    "Nothing changed.",
    (
        "Nothing was changed. You can sign up again with the form; a "
        "confirmation link works for 48 hours and only once."
    ),
    "This postcode does not belong to %(municipality)s.",
    "This postcode does not belong to the municipality.",
]
