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
]

REMOVE = [
    "This postcode does not belong to %(municipality)s.",
    "This postcode does not belong to the municipality.",
]
