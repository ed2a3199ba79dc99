"""New msgids of the mobile helper (issue 23, a coordinator's day on a phone)."""

MSGS = [
    {
        "id": "Signups waiting for a decision",
        "nl": "Inschrijvingen die wachten op een beslissing",
        "en": "Signups waiting for a decision",
        "fr": "Inscriptions en attente d’une décision",
    },
    {
        "id": "Waiting for %(time)s",
        "nl": "Wacht al %(time)s",
        "en": "Waiting for %(time)s",
        "fr": "En attente depuis %(time)s",
    },
    {"id": "Call", "nl": "Bellen", "en": "Call", "fr": "Appeler"},
    {
        "id": "In WhatsApp since %(date)s",
        "nl": "In WhatsApp sinds %(date)s",
        "en": "In WhatsApp since %(date)s",
        "fr": "Dans WhatsApp depuis le %(date)s",
    },
]
