# ruff: noqa: E501
"""New and changed messages of the reconfirm branch (issue 23, the group's life)."""

S = "%(count)d member was asked by e-mail to accept version %(version)s within %(days)s days."
SP = "%(count)d members were asked by e-mail to accept version %(version)s within %(days)s days."
REMOVE_MAIL = "%(count)s member of %(group)s should be removed from the WhatsApp group. They moved, did not answer the yearly question or did not accept the house rules in time."
REMOVE_MAIL_P = "%(count)s members of %(group)s should be removed from the WhatsApp group. They moved, did not answer the yearly question or did not accept the house rules in time."
STATS = 'Once a year every member is asked whether they still live here. Counted over the questions of the past year. "No answer": asked more than %(days)s day ago; the coordinators were told to remove them.'
STATS_P = 'Once a year every member is asked whether they still live here. Counted over the questions of the past year. "No answer": asked more than %(days)s days ago; the coordinators were told to remove them.'
WITHIN = "Please answer within %(days)s day. Without an answer, the coordinator may remove you from the WhatsApp group."
WITHIN_P = "Please answer within %(days)s days. Without an answer, the coordinator may remove you from the WhatsApp group."

MSGS = [
    {
        "id": "house rules version",
        "nl": "versie huishoudelijk reglement",
        "fr": "version du règlement d'ordre intérieur",
        "en": "house rules version",
    },
    {
        "id": "%(version)s (current)",
        "nl": "%(version)s (huidige)",
        "fr": "%(version)s (actuelle)",
        "en": "%(version)s (current)",
    },
    {
        "id": "house rules version accepted",
        "nl": "aanvaarde versie huishoudelijk reglement",
        "fr": "version du règlement acceptée",
        "en": "house rules version accepted",
    },
    {
        "id": "the current version",
        "nl": "de huidige versie",
        "fr": "la version actuelle",
        "en": "the current version",
    },
    {
        "id": "an older version",
        "nl": "een oudere versie",
        "fr": "une version plus ancienne",
        "en": "an older version",
    },
    {
        "id": "version %(version)s",
        "nl": "versie %(version)s",
        "fr": "version %(version)s",
        "en": "version %(version)s",
    },
    {
        "id": "days to accept",
        "nl": "dagen om te aanvaarden",
        "fr": "jours pour accepter",
        "en": "days to accept",
    },
    {
        "id": "After the deadline the coordinators are told whom to remove.",
        "nl": "Na die termijn horen de coördinatoren wie ze uit de groep moeten halen.",
        "fr": "Après ce délai, les coordinateurs apprennent qui retirer du groupe.",
        "en": "After the deadline the coordinators are told whom to remove.",
    },
    {
        "id": "Choose between 1 and 365 days to accept the house rules.",
        "nl": "Kies tussen 1 en 365 dagen om het huishoudelijk reglement te aanvaarden.",
        "fr": "Choisissez entre 1 et 365 jours pour accepter le règlement.",
        "en": "Choose between 1 and 365 days to accept the house rules.",
    },
    {
        "id": S,
        "plural": SP,
        "nl": [
            "%(count)d lid kreeg een e-mail om versie %(version)s binnen %(days)s dagen te aanvaarden.",
            "%(count)d leden kregen een e-mail om versie %(version)s binnen %(days)s dagen te aanvaarden.",
        ],
        "fr": [
            "%(count)d membre a reçu un e-mail pour accepter la version %(version)s dans les %(days)s jours.",
            "%(count)d membres ont reçu un e-mail pour accepter la version %(version)s dans les %(days)s jours.",
        ],
        "en": [S, SP],
    },
    {
        "id": "membership still running",
        "nl": "nog lid",
        "fr": "toujours membre",
        "en": "membership still running",
    },
    {
        "id": "Removed from the WhatsApp group: end their membership",
        "nl": "Uit de WhatsApp-groep gehaald: lidmaatschap beëindigen",
        "fr": "Retiré du groupe WhatsApp : mettre fin à l'adhésion",
        "en": "Removed from the WhatsApp group: end their membership",
    },
    {
        "id": "%(count)d person marked as removed from the WhatsApp group.",
        "plural": "%(count)d people marked as removed from the WhatsApp group.",
        "nl": [
            "%(count)d persoon aangeduid als uit de WhatsApp-groep gehaald.",
            "%(count)d personen aangeduid als uit de WhatsApp-groep gehaald.",
        ],
        "fr": [
            "%(count)d personne marquée comme retirée du groupe WhatsApp.",
            "%(count)d personnes marquées comme retirées du groupe WhatsApp.",
        ],
        "en": [
            "%(count)d person marked as removed from the WhatsApp group.",
            "%(count)d people marked as removed from the WhatsApp group.",
        ],
    },
    {
        "id": "still lives here",
        "nl": "woont er nog",
        "fr": "habite toujours ici",
        "en": "still lives here",
    },
    {"id": "moved away", "nl": "verhuisd", "fr": "a déménagé", "en": "moved away"},
    {
        "id": "did not answer whether they still live here",
        "nl": "antwoordde niet op de vraag of hij of zij er nog woont",
        "fr": "n'a pas répondu à la question s'il ou elle habite toujours ici",
        "en": "did not answer whether they still live here",
    },
    {
        "id": "did not accept the house rules",
        "nl": "aanvaardde het huishoudelijk reglement niet",
        "fr": "n'a pas accepté le règlement d'ordre intérieur",
        "en": "did not accept the house rules",
    },
    {"id": "deadline", "nl": "uiterste datum", "fr": "date limite", "en": "deadline"},
    {"id": "reminded", "nl": "herinnerd", "fr": "rappel envoyé", "en": "reminded"},
    {
        "id": "coordinators told",
        "nl": "coördinatoren verwittigd",
        "fr": "coordinateurs prévenus",
        "en": "coordinators told",
    },
    {"id": "answered", "nl": "geantwoord", "fr": "répondu", "en": "answered"},
    {
        "id": "yearly question: still living here?",
        "nl": "jaarlijkse vraag: woon je er nog?",
        "fr": "question annuelle : habitez-vous toujours ici ?",
        "en": "yearly question: still living here?",
    },
    {
        "id": "yearly questions: still living here?",
        "nl": "jaarlijkse vragen: woon je er nog?",
        "fr": "questions annuelles : habitez-vous toujours ici ?",
        "en": "yearly questions: still living here?",
    },
    {
        "id": "Yearly question #%(pk)s",
        "nl": "Jaarlijkse vraag #%(pk)s",
        "fr": "Question annuelle n° %(pk)s",
        "en": "Yearly question #%(pk)s",
    },
    {"id": "why", "nl": "waarom", "fr": "pourquoi", "en": "why"},
    {"id": "since", "nl": "sinds", "fr": "depuis", "en": "since"},
    {
        "id": "member to remove from WhatsApp",
        "nl": "lid om uit WhatsApp te halen",
        "fr": "membre à retirer de WhatsApp",
        "en": "member to remove from WhatsApp",
    },
    {
        "id": "members to remove from WhatsApp",
        "nl": "leden om uit WhatsApp te halen",
        "fr": "membres à retirer de WhatsApp",
        "en": "members to remove from WhatsApp",
    },
    {
        "id": "Member to remove #%(pk)s",
        "nl": "Lid om te verwijderen #%(pk)s",
        "fr": "Membre à retirer n° %(pk)s",
        "en": "Member to remove #%(pk)s",
    },
    {
        "id": "Answered the yearly question: moved away.",
        "nl": "Antwoordde op de jaarlijkse vraag: verhuisd.",
        "fr": "A répondu à la question annuelle : a déménagé.",
        "en": "Answered the yearly question: moved away.",
    },
    {
        "id": "Your membership has already ended; there is nothing to answer.",
        "nl": "Je lidmaatschap is al beëindigd; je hoeft niets te antwoorden.",
        "fr": "Votre adhésion a déjà pris fin ; il n'y a rien à répondre.",
        "en": "Your membership has already ended; there is nothing to answer.",
    },
    {
        "id": "Choose one of the answers.",
        "nl": "Kies een van de antwoorden.",
        "fr": "Choisissez une des réponses.",
        "en": "Choose one of the answers.",
    },
    {
        "id": "Do the members still live here?",
        "nl": "Wonen de leden er nog?",
        "fr": "Les membres habitent-ils toujours ici ?",
        "en": "Do the members still live here?",
    },
    {
        "id": STATS,
        "plural": STATS_P,
        "nl": [
            'Eén keer per jaar vragen we elk lid of het er nog woont. Geteld over de vragen van het voorbije jaar. "Geen antwoord": meer dan %(days)s dag geleden gevraagd; de coördinatoren kregen de vraag om hen uit de groep te halen.',
            'Eén keer per jaar vragen we elk lid of het er nog woont. Geteld over de vragen van het voorbije jaar. "Geen antwoord": meer dan %(days)s dagen geleden gevraagd; de coördinatoren kregen de vraag om hen uit de groep te halen.',
        ],
        "fr": [
            "Une fois par an, chaque membre reçoit la question de savoir s'il habite toujours ici. Compté sur les questions de l'année écoulée. « Pas de réponse » : question posée il y a plus de %(days)s jour ; les coordinateurs ont été invités à les retirer.",
            "Une fois par an, chaque membre reçoit la question de savoir s'il habite toujours ici. Compté sur les questions de l'année écoulée. « Pas de réponse » : question posée il y a plus de %(days)s jours ; les coordinateurs ont été invités à les retirer.",
        ],
        "en": [STATS, STATS_P],
    },
    {
        "id": "Still living here",
        "nl": "Woont er nog",
        "fr": "Habite toujours ici",
        "en": "Still living here",
    },
    {"id": "Moved", "nl": "Verhuisd", "fr": "A déménagé", "en": "Moved"},
    {
        "id": "No answer",
        "nl": "Geen antwoord",
        "fr": "Pas de réponse",
        "en": "No answer",
    },
    {
        "id": "Waiting for an answer",
        "nl": "Wacht op antwoord",
        "fr": "En attente de réponse",
        "en": "Waiting for an answer",
    },
    {
        "id": "Members to remove from WhatsApp",
        "nl": "Leden om uit WhatsApp te halen",
        "fr": "Membres à retirer de WhatsApp",
        "en": "Members to remove from WhatsApp",
    },
    {
        "id": "No member has been asked yet this year.",
        "nl": "Dit jaar kreeg nog geen enkel lid de vraag.",
        "fr": "Aucun membre n'a encore reçu la question cette année.",
        "en": "No member has been asked yet this year.",
    },
    {
        "id": "The house rules have changed since you signed up. Please read and accept the current version:",
        "nl": "Het huishoudelijk reglement is veranderd sinds je inschrijving. Lees en aanvaard de huidige versie:",
        "fr": "Le règlement d'ordre intérieur a changé depuis votre inscription. Lisez et acceptez la version actuelle :",
        "en": "The house rules have changed since you signed up. Please read and accept the current version:",
    },
    {
        "id": "Please do so by %(deadline)s. After that date, the coordinator may remove you from the WhatsApp group.",
        "nl": "Doe dat uiterlijk op %(deadline)s. Na die datum kan de coördinator je uit de WhatsApp-groep halen.",
        "fr": "Faites-le au plus tard le %(deadline)s. Après cette date, le coordinateur peut vous retirer du groupe WhatsApp.",
        "en": "Please do so by %(deadline)s. After that date, the coordinator may remove you from the WhatsApp group.",
    },
    {
        "id": "You have not yet accepted the new house rules (version %(version)s). Please read and accept them by %(deadline)s. After that date, the coordinator may remove you from the WhatsApp group.",
        "nl": "Je hebt het nieuwe huishoudelijk reglement (versie %(version)s) nog niet aanvaard. Lees en aanvaard het uiterlijk op %(deadline)s. Na die datum kan de coördinator je uit de WhatsApp-groep halen.",
        "fr": "Vous n'avez pas encore accepté le nouveau règlement d'ordre intérieur (version %(version)s). Lisez-le et acceptez-le au plus tard le %(deadline)s. Après cette date, le coordinateur peut vous retirer du groupe WhatsApp.",
        "en": "You have not yet accepted the new house rules (version %(version)s). Please read and accept them by %(deadline)s. After that date, the coordinator may remove you from the WhatsApp group.",
    },
    {
        "id": "Reminder: accept the new house rules of the WhatsApp neighbourhood watch of %(zone)s",
        "nl": "Herinnering: aanvaard het nieuwe huishoudelijk reglement van de WhatsApp-buurtpreventie van %(zone)s",
        "fr": "Rappel : acceptez le nouveau règlement d'ordre intérieur de la prévention de quartier WhatsApp de %(zone)s",
        "en": "Reminder: accept the new house rules of the WhatsApp neighbourhood watch of %(zone)s",
    },
    {
        "id": "You told us that you moved. Your membership of %(group)s has ended, and the coordinator will remove you from the WhatsApp group. Thank you for your involvement in the neighbourhood. Your details will be erased after a while.",
        "nl": "Je liet ons weten dat je verhuisd bent. Je lidmaatschap van %(group)s is beëindigd en de coördinator haalt je uit de WhatsApp-groep. Bedankt voor je inzet voor de buurt. Je gegevens worden na een tijd gewist.",
        "fr": "Vous nous avez indiqué avoir déménagé. Votre adhésion à %(group)s a pris fin et le coordinateur vous retirera du groupe WhatsApp. Merci pour votre engagement dans le quartier. Vos données seront effacées après un certain temps.",
        "en": "You told us that you moved. Your membership of %(group)s has ended, and the coordinator will remove you from the WhatsApp group. Thank you for your involvement in the neighbourhood. Your details will be erased after a while.",
    },
    {
        "id": "Is there a WhatsApp neighbourhood watch where you live now? Look it up on our website.",
        "nl": "Is er een WhatsApp-buurtpreventie waar je nu woont? Zoek het op onze website op.",
        "fr": "Existe-t-il une prévention de quartier WhatsApp là où vous habitez maintenant ? Consultez notre site.",
        "en": "Is there a WhatsApp neighbourhood watch where you live now? Look it up on our website.",
    },
    {
        "id": REMOVE_MAIL,
        "plural": REMOVE_MAIL_P,
        "nl": [
            "%(count)s lid van %(group)s moet uit de WhatsApp-groep. Het lid is verhuisd, antwoordde niet op de jaarlijkse vraag of aanvaardde het huishoudelijk reglement niet op tijd.",
            "%(count)s leden van %(group)s moeten uit de WhatsApp-groep. Ze zijn verhuisd, antwoordden niet op de jaarlijkse vraag of aanvaardden het huishoudelijk reglement niet op tijd.",
        ],
        "fr": [
            "%(count)s membre de %(group)s doit être retiré du groupe WhatsApp. Il a déménagé, n'a pas répondu à la question annuelle ou n'a pas accepté le règlement à temps.",
            "%(count)s membres de %(group)s doivent être retirés du groupe WhatsApp. Ils ont déménagé, n'ont pas répondu à la question annuelle ou n'ont pas accepté le règlement à temps.",
        ],
        "en": [REMOVE_MAIL, REMOVE_MAIL_P],
    },
    {
        "id": "For privacy, this e-mail does not say who. The portal shows you the names, mobile numbers and the reason. Remove them from the WhatsApp group, then mark them as removed there.",
        "nl": "Om privacyredenen staat in deze e-mail niet wie het is. Het portaal toont je de namen, gsm-nummers en de reden. Haal hen uit de WhatsApp-groep en duid hen daarna daar aan als verwijderd.",
        "fr": "Pour protéger la vie privée, cet e-mail ne dit pas de qui il s'agit. Le portail vous montre les noms, numéros de GSM et la raison. Retirez-les du groupe WhatsApp, puis marquez-les comme retirés dans le portail.",
        "en": "For privacy, this e-mail does not say who. The portal shows you the names, mobile numbers and the reason. Remove them from the WhatsApp group, then mark them as removed there.",
    },
    {
        "id": "See whom to remove",
        "nl": "Bekijk wie je moet verwijderen",
        "fr": "Voir qui retirer",
        "en": "See whom to remove",
    },
    {
        "id": "Members to remove from %(group)s",
        "nl": "Leden om uit %(group)s te halen",
        "fr": "Membres à retirer de %(group)s",
        "en": "Members to remove from %(group)s",
    },
    {
        "id": "Once a year we ask every member of %(group)s: do you still live here, and do you want to stay in the group? Open this link and tap your answer:",
        "nl": "Eén keer per jaar vragen we elk lid van %(group)s: woon je er nog en blijf je in de groep? Tik je antwoord aan via deze link:",
        "fr": "Une fois par an, nous demandons à chaque membre de %(group)s : habitez-vous toujours ici et voulez-vous rester dans le groupe ? Ouvrez ce lien et touchez votre réponse :",
        "en": "Once a year we ask every member of %(group)s: do you still live here, and do you want to stay in the group? Open this link and tap your answer:",
    },
    {
        "id": "Answer the question",
        "nl": "Beantwoord de vraag",
        "fr": "Répondre à la question",
        "en": "Answer the question",
    },
    {
        "id": WITHIN,
        "plural": WITHIN_P,
        "nl": [
            "Antwoord binnen %(days)s dag. Zonder antwoord kan de coördinator je uit de WhatsApp-groep halen.",
            "Antwoord binnen %(days)s dagen. Zonder antwoord kan de coördinator je uit de WhatsApp-groep halen.",
        ],
        "fr": [
            "Répondez dans les %(days)s jour. Sans réponse, le coordinateur peut vous retirer du groupe WhatsApp.",
            "Répondez dans les %(days)s jours. Sans réponse, le coordinateur peut vous retirer du groupe WhatsApp.",
        ],
        "en": [WITHIN, WITHIN_P],
    },
    {
        "id": "Do you still live in the area of %(group)s?",
        "nl": "Woon je nog in de buurt van %(group)s?",
        "fr": "Habitez-vous toujours dans le quartier de %(group)s ?",
        "en": "Do you still live in the area of %(group)s?",
    },
    {
        "id": "Do you still live here?",
        "nl": "Woon je er nog?",
        "fr": "Habitez-vous toujours ici ?",
        "en": "Do you still live here?",
    },
    {
        "id": "Once a year we ask every member of %(group)s whether they still live in the area and want to stay in the group. Tap your answer.",
        "nl": "Eén keer per jaar vragen we elk lid van %(group)s of het er nog woont en in de groep blijft. Tik je antwoord aan.",
        "fr": "Une fois par an, nous demandons à chaque membre de %(group)s s'il habite toujours le quartier et veut rester dans le groupe. Touchez votre réponse.",
        "en": "Once a year we ask every member of %(group)s whether they still live in the area and want to stay in the group. Tap your answer.",
    },
    {
        "id": "Yes, I still live here",
        "nl": "Ja, ik woon hier nog",
        "fr": "Oui, j'habite toujours ici",
        "en": "Yes, I still live here",
    },
    {
        "id": "No, I moved: end my membership",
        "nl": "Nee, ik ben verhuisd: beëindig mijn lidmaatschap",
        "fr": "Non, j'ai déménagé : mettre fin à mon adhésion",
        "en": "No, I moved: end my membership",
    },
    {
        "id": "If you moved, your membership ends and the coordinator removes you from the WhatsApp group.",
        "nl": "Ben je verhuisd, dan stopt je lidmaatschap en haalt de coördinator je uit de WhatsApp-groep.",
        "fr": "Si vous avez déménagé, votre adhésion prend fin et le coordinateur vous retire du groupe WhatsApp.",
        "en": "If you moved, your membership ends and the coordinator removes you from the WhatsApp group.",
    },
    {
        "id": "Thank you for your answer",
        "nl": "Bedankt voor je antwoord",
        "fr": "Merci pour votre réponse",
        "en": "Thank you for your answer",
    },
    {
        "id": "You had already answered this question; nothing was changed.",
        "nl": "Je had deze vraag al beantwoord; er is niets veranderd.",
        "fr": "Vous aviez déjà répondu à cette question ; rien n'a changé.",
        "en": "You had already answered this question; nothing was changed.",
    },
    {
        "id": "You told us that you moved. Your membership of %(group)s has ended; the coordinator will remove you from the WhatsApp group.",
        "nl": "Je liet ons weten dat je verhuisd bent. Je lidmaatschap van %(group)s is beëindigd; de coördinator haalt je uit de WhatsApp-groep.",
        "fr": "Vous nous avez indiqué avoir déménagé. Votre adhésion à %(group)s a pris fin ; le coordinateur vous retirera du groupe WhatsApp.",
        "en": "You told us that you moved. Your membership of %(group)s has ended; the coordinator will remove you from the WhatsApp group.",
    },
    {
        "id": "You stay a member of %(group)s. We will ask again in a year.",
        "nl": "Je blijft lid van %(group)s. Over een jaar vragen we het opnieuw.",
        "fr": "Vous restez membre de %(group)s. Nous vous reposerons la question dans un an.",
        "en": "You stay a member of %(group)s. We will ask again in a year.",
    },
    {
        "id": "Nothing was changed. Use the link in the latest e-mail we sent you, exactly as it was sent.",
        "nl": "Er is niets veranderd. Gebruik de link in de laatste e-mail die we je stuurden, precies zoals hij verstuurd is.",
        "fr": "Rien n'a changé. Utilisez le lien du dernier e-mail que nous vous avons envoyé, tel quel.",
        "en": "Nothing was changed. Use the link in the latest e-mail we sent you, exactly as it was sent.",
    },
]

REMOVE = [
    "%(count)d member was asked by e-mail to accept version %(version)s.",
    "%(count)s member of %(group)s should be removed from the WhatsApp group: they moved, did not answer the yearly question or did not accept the house rules in time.",
]
