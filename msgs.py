MSGS = [
    {
        "id": "View %(name)s",
        "nl": "%(name)s bekijken",
        "en": "View %(name)s",
        "fr": "Consulter : %(name)s",
    },
    {
        "id": "added to WhatsApp",
        "nl": "WhatsApp",
        "en": "added to WhatsApp",
        "fr": "ajout à WhatsApp",
    },
    {
        "id": "Not added yet",
        "nl": "Nog niet toegevoegd",
        "en": "Not added yet",
        "fr": "Pas encore ajouté",
    },
    {"id": "Added", "nl": "Toegevoegd", "en": "Added", "fr": "Ajouté"},
    {
        "id": "More than %(count)s results",
        "nl": "Meer dan %(count)s resultaten",
        "en": "More than %(count)s results",
        "fr": "Plus de %(count)s résultats",
    },
    {
        "id": "%(counter)s result",
        "plural": "%(counter)s results",
        "nl": ["%(counter)s resultaat", "%(counter)s resultaten"],
        "en": ["%(counter)s result", "%(counter)s results"],
        "fr": ["%(counter)s résultat", "%(counter)s résultats"],
    },
    {
        "id": "%(full_result_count)s total",
        "nl": "%(full_result_count)s in totaal",
        "en": "%(full_result_count)s total",
        "fr": "%(full_result_count)s au total",
    },
    {"id": "No access", "nl": "Geen toegang", "en": "No access", "fr": "Accès refusé"},
    {
        "id": "You may not open this page. The police zone's staff manage it.",
        "nl": "Je mag deze pagina niet openen. De politiezone beheert ze.",
        "en": "You may not open this page. The police zone's staff manage it.",
        "fr": "Vous ne pouvez pas ouvrir cette page. La zone de police la gère.",
    },
    {
        "id": "Back to the portal",
        "nl": "Terug naar het portaal",
        "en": "Back to the portal",
        "fr": "Retour au portail",
    },
]
