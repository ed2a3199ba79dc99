"""Catalogue entries of the "messages from the police zone" feature (issue 24)."""


def same(msgid, nl, fr):
    return {"id": msgid, "nl": nl, "en": msgid, "fr": fr}


def plural(msgid, msgid_plural, nl, fr):
    return {
        "id": msgid,
        "plural": msgid_plural,
        "nl": nl,
        "en": [msgid, msgid_plural],
        "fr": fr,
    }


MSGS = [
    # constants
    same(
        "all coordinators of the zone",
        "alle coördinatoren van de zone",
        "tous les coordinateurs de la zone",
    ),
    same(
        "the coordinators of one municipality",
        "de coördinatoren van één gemeente",
        "les coordinateurs d'une commune",
    ),
    same(
        "the coordinators of chosen groups",
        "de coördinatoren van gekozen groepen",
        "les coordinateurs de groupes choisis",
    ),
    # models
    same("subject", "onderwerp", "objet"),
    same("message", "bericht", "message"),
    same("sent by", "verstuurd door", "envoyé par"),
    same(
        "message from the police zone",
        "bericht van de politiezone",
        "message de la zone de police",
    ),
    same(
        "messages from the police zone",
        "berichten van de politiezone",
        "messages de la zone de police",
    ),
    same(
        "the coordinators of %(municipality)s",
        "de coördinatoren van %(municipality)s",
        "les coordinateurs de %(municipality)s",
    ),
    plural(
        "the coordinators of %(count)d group",
        "the coordinators of %(count)d groups",
        [
            "de coördinatoren van %(count)d groep",
            "de coördinatoren van %(count)d groepen",
        ],
        [
            "les coordinateurs de %(count)d groupe",
            "les coordinateurs de %(count)d groupes",
        ],
    ),
    same("read in the portal", "gelezen in het portaal", "lu dans le portail"),
    same("recipient", "ontvanger", "destinataire"),
    same("recipients", "ontvangers", "destinataires"),
    # services and form
    same(
        "Choose a municipality or groups, not both.",
        "Kies een gemeente of groepen, niet allebei.",
        "Choisissez une commune ou des groupes, pas les deux.",
    ),
    same(
        "This municipality belongs to another zone.",
        "Deze gemeente hoort bij een andere zone.",
        "Cette commune appartient à une autre zone.",
    ),
    same(
        "One of the groups belongs to another zone.",
        "Een van de groepen hoort bij een andere zone.",
        "Un des groupes appartient à une autre zone.",
    ),
    same(
        "Nobody would receive this message: no active coordinator coordinates a "
        "group there.",
        "Niemand zou dit bericht krijgen: daar coördineert geen actieve "
        "coördinator een groep.",
        "Personne ne recevrait ce message : aucun coordinateur actif n'y "
        "coordonne de groupe.",
    ),
    # admin
    same(
        "only the coordinators of this municipality",
        "alleen de coördinatoren van deze gemeente",
        "seulement les coordinateurs de cette commune",
    ),
    same(
        "(all coordinators of the zone)",
        "(alle coördinatoren van de zone)",
        "(tous les coordinateurs de la zone)",
    ),
    same(
        "Leave empty to write to every coordinator of the zone, or choose groups "
        "below instead.",
        "Laat leeg om alle coördinatoren van de zone te schrijven. Of kies "
        "hieronder groepen.",
        "Laissez vide pour écrire à tous les coordinateurs de la zone, ou choisissez "
        "plutôt des groupes ci-dessous.",
    ),
    same(
        "only the coordinators of these groups",
        "alleen de coördinatoren van deze groepen",
        "seulement les coordinateurs de ces groupes",
    ),
    same(
        "Leads and deputies of the groups you tick.",
        "De coördinatoren en hulpcoördinatoren van de groepen die je aanvinkt.",
        "Les coordinateurs et coordinateurs adjoints des groupes que vous cochez.",
    ),
    same(
        "Plain text. Coordinators read it in their e-mail and here.",
        "Gewone tekst. De coördinatoren lezen het in hun e-mail en hier.",
        "Texte simple. Les coordinateurs le lisent dans leur e-mail et ici.",
    ),
    same(
        "recipients and when they read it",
        "ontvangers en wanneer ze het lazen",
        "destinataires et quand ils l'ont lu",
    ),
    same("read", "gelezen", "lu"),
    same("new", "nieuw", "nouveau"),
    same("read by", "gelezen door", "lu par"),
    same("%(read)d of %(count)d", "%(read)d van %(count)d", "%(read)d sur %(count)d"),
    same(
        "%(read)d of %(count)d coordinators read it in the portal.",
        "%(read)d van %(count)d coördinatoren lazen het in het portaal.",
        "%(read)d coordinateurs sur %(count)d l'ont lu dans le portail.",
    ),
    plural(
        "The message was sent to %(count)d coordinator.",
        "The message was sent to %(count)d coordinators.",
        [
            "Het bericht is verstuurd naar %(count)d coördinator.",
            "Het bericht is verstuurd naar %(count)d coördinatoren.",
        ],
        [
            "Le message a été envoyé à %(count)d coordinateur.",
            "Le message a été envoyé à %(count)d coordinateurs.",
        ],
    ),
    same(
        "Write to the coordinators",
        "Bericht aan de coördinatoren",
        "Écrire aux coordinateurs",
    ),
    same("Send the message?", "Het bericht versturen?", "Envoyer le message ?"),
    # templates: writing and confirming
    same(
        "Write one message to the coordinators of your zone. Choose who gets it: "
        "all of them, those of one municipality, or those of some groups. Each "
        "gets it in an e-mail of their own: nobody sees the others' addresses. "
        "They can read it again in the portal. Before it goes out, you see how "
        "many coordinators will get it.",
        "Schrijf één bericht aan de coördinatoren van je zone. Kies wie het "
        "krijgt: allemaal, die van één gemeente of die van enkele groepen. Elk "
        "krijgt het in een eigen e-mail: niemand ziet de adressen van de anderen. "
        "Ze kunnen het later opnieuw lezen in het portaal. Voor het vertrekt, zie "
        "je hoeveel coördinatoren het krijgen.",
        "Écrivez un message aux coordinateurs de votre zone. Choisissez qui le "
        "reçoit : tous, ceux d'une commune ou ceux de quelques groupes. Chacun "
        "le reçoit dans un e-mail à lui : personne ne voit les adresses des "
        "autres. Ils peuvent le relire dans le portail. Avant l'envoi, vous "
        "voyez combien de coordinateurs le recevront.",
    ),
    same(
        "Next: check the recipients",
        "Volgende: de ontvangers nakijken",
        "Suivant : vérifier les destinataires",
    ),
    same(
        "The number of coordinators changed meanwhile. Check it again before you send.",
        "Het aantal coördinatoren veranderde intussen. Kijk het opnieuw na voor "
        "je verstuurt.",
        "Le nombre de coordinateurs a changé entre-temps. Vérifiez-le à nouveau "
        "avant d'envoyer.",
    ),
    plural(
        "This message goes to %(counter)s coordinator:",
        "This message goes to %(counter)s coordinators:",
        [
            "Dit bericht gaat naar %(counter)s coördinator:",
            "Dit bericht gaat naar %(counter)s coördinatoren:",
        ],
        [
            "Ce message va à %(counter)s coordinateur :",
            "Ce message va à %(counter)s coordinateurs :",
        ],
    ),
    same(
        "the leads and deputies of",
        "de coördinatoren en hulpcoördinatoren van",
        "les coordinateurs et coordinateurs adjoints de",
    ),
    same(
        "the coordinators of the groups in %(municipality)s.",
        "de coördinatoren van de groepen in %(municipality)s.",
        "les coordinateurs des groupes de %(municipality)s.",
    ),
    same(
        "every active coordinator of %(zone)s.",
        "alle actieve coördinatoren van %(zone)s.",
        "tous les coordinateurs actifs de %(zone)s.",
    ),
    same(
        "Each of them gets an e-mail of their own: nobody sees the others' "
        "addresses. A sent message cannot be changed or taken back.",
        "Elk van hen krijgt een eigen e-mail: niemand ziet de adressen van de "
        "anderen. Een verstuurd bericht kan je niet meer wijzigen of terugnemen.",
        "Chacun reçoit un e-mail à lui : personne ne voit les adresses des "
        "autres. Un message envoyé ne peut plus être modifié ni repris.",
    ),
    plural(
        "Send to %(counter)s coordinator",
        "Send to %(counter)s coordinators",
        [
            "Versturen naar %(counter)s coördinator",
            "Versturen naar %(counter)s coördinatoren",
        ],
        [
            "Envoyer à %(counter)s coordinateur",
            "Envoyer à %(counter)s coordinateurs",
        ],
    ),
    same("Change the message", "Het bericht aanpassen", "Modifier le message"),
    # dashboard
    plural(
        "%(counter)s new message from the police zone",
        "%(counter)s new messages from the police zone",
        [
            "%(counter)s nieuw bericht van de politiezone",
            "%(counter)s nieuwe berichten van de politiezone",
        ],
        [
            "%(counter)s nouveau message de la zone de police",
            "%(counter)s nouveaux messages de la zone de police",
        ],
    ),
    same(
        "Messages from the police zone",
        "Berichten van de politiezone",
        "Messages de la zone de police",
    ),
    # the e-mail
    same(
        "Message from %(zone)s: %(subject)s",
        "Bericht van %(zone)s: %(subject)s",
        "Message de %(zone)s : %(subject)s",
    ),
    same(
        "%(zone)s sends this message to the coordinators of the neighbourhood "
        "watch groups.",
        "%(zone)s stuurt dit bericht aan de coördinatoren van de "
        "buurtpreventiegroepen.",
        "%(zone)s envoie ce message aux coordinateurs des groupes de "
        "prévention de quartier.",
    ),
    same(
        "You can read this message again in the portal: %(message_url)s",
        "Je kan dit bericht opnieuw lezen in het portaal: %(message_url)s",
        "Vous pouvez relire ce message dans le portail : %(message_url)s",
    ),
    same(
        "Read this message again in the portal",
        "Lees dit bericht opnieuw in het portaal",
        "Relire ce message dans le portail",
    ),
]

REMOVE = ["Your message"]
