# The msgids of the waiting list for a group (issue 22, "tell me when my
# street gets a group"), applied with /work/wt/addmsgs.py.


def fr(text):
    """Belgian administrative French: ’ for ', a no-break space before : ; ? !"""
    text = text.replace("'", "\u2019")
    for mark in ":;?!":
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text


def entry(msgid, nl, en, french, plural=None):
    if plural is None:
        return dict(msgid=msgid, nl=nl, en=en, fr=fr(french))
    return dict(
        msgid=msgid, plural=plural, nl=nl, en=en, fr=[fr(each) for each in french]
    )


ENTRIES = [
    # The model, the admin and the privacy page.
    entry(
        "waiting-list entry",
        "inschrijving op de wachtlijst",
        "waiting-list entry",
        "inscription sur la liste d'attente",
    ),
    entry(
        "waiting list for a group",
        "wachtlijst voor een groep",
        "waiting list for a group",
        "liste d'attente pour un groupe",
    ),
    entry(
        "waiting-list entries",
        "inschrijvingen op de wachtlijst",
        "waiting-list entries",
        "inscriptions sur la liste d'attente",
    ),
    entry(
        "Waiting-list entry #%(pk)s",
        "Inschrijving op de wachtlijst #%(pk)s",
        "Waiting-list entry #%(pk)s",
        "Inscription sur la liste d'attente n° %(pk)s",
    ),
    entry("told of a group", "groep gemeld", "told of a group", "groupe signalé"),
    entry(
        "waiting for a group",
        "wacht op een groep",
        "waiting for a group",
        "en attente d'un groupe",
    ),
    entry(
        "This e-mail address is already on the waiting list for this street.",
        "Dit e-mailadres staat al op de wachtlijst voor deze straat.",
        "This e-mail address is already on the waiting list for this street.",
        "Cette adresse e-mail figure déjà sur la liste d'attente pour cette rue.",
    ),
    entry(
        "Residents waiting for a group",
        "Bewoners die op een groep wachten",
        "Residents waiting for a group",
        "Habitants en attente d'un groupe",
    ),
    entry(
        "Residents whose street has no group yet leave their e-mail address "
        "here. Once they confirm it, they count; as soon as a published group "
        "covers their street, they get one e-mail.",
        "Bewoners van een straat zonder groep laten hier hun e-mailadres achter. "
        "Ze tellen mee zodra ze het bevestigen. Zodra een zichtbare groep hun "
        "straat dekt, krijgen ze één e-mail.",
        "Residents whose street has no group yet leave their e-mail address "
        "here. Once they confirm it, they count; as soon as a published group "
        "covers their street, they get one e-mail.",
        "Les habitants d'une rue sans groupe laissent ici leur adresse e-mail. "
        "Ils comptent dès qu'ils l'ont confirmée ; dès qu'un groupe publié "
        "couvre leur rue, ils reçoivent un seul e-mail.",
    ),
    entry(
        "%(counter)s resident waiting for a group, per street",
        [
            "%(counter)s bewoner wacht op een groep, per straat",
            "%(counter)s bewoners wachten op een groep, per straat",
        ],
        [
            "%(counter)s resident waiting for a group, per street",
            "%(counter)s residents waiting for a group, per street",
        ],
        [
            "%(counter)s habitant en attente d'un groupe, par rue",
            "%(counter)s habitants en attente d'un groupe, par rue",
        ],
        plural="%(counter)s residents waiting for a group, per street",
    ),
    entry(
        "Nobody is waiting for a group.",
        "Niemand wacht op een groep.",
        "Nobody is waiting for a group.",
        "Personne n'attend de groupe.",
    ),
    entry(
        "%(counter)s entry on the waiting list for a group",
        [
            "%(counter)s inschrijving op de wachtlijst voor een groep",
            "%(counter)s inschrijvingen op de wachtlijst voor een groep",
        ],
        [
            "%(counter)s entry on the waiting list for a group",
            "%(counter)s entries on the waiting list for a group",
        ],
        [
            "%(counter)s inscription sur la liste d'attente pour un groupe",
            "%(counter)s inscriptions sur la liste d'attente pour un groupe",
        ],
        plural="%(counter)s entries on the waiting list for a group",
    ),
    entry(
        "The entries on the waiting list for a group are deleted.",
        "De inschrijvingen op de wachtlijst voor een groep worden gewist.",
        "The entries on the waiting list for a group are deleted.",
        "Les inscriptions sur la liste d'attente pour un groupe sont supprimées.",
    ),
    entry(
        "%(count)d entry on the waiting list for a group was deleted.",
        [
            "%(count)d inschrijving op de wachtlijst voor een groep is gewist.",
            "%(count)d inschrijvingen op de wachtlijst voor een groep zijn gewist.",
        ],
        [
            "%(count)d entry on the waiting list for a group was deleted.",
            "%(count)d entries on the waiting list for a group were deleted.",
        ],
        [
            "%(count)d inscription sur la liste d'attente pour un groupe a été "
            "supprimée.",
            "%(count)d inscriptions sur la liste d'attente pour un groupe ont été "
            "supprimées.",
        ],
        plural="%(count)d entries on the waiting list for a group were deleted.",
    ),
    # The finder's "no group yet".
    entry(
        "Or would you rather wait for a group? We e-mail you when a group "
        "covers your street.",
        "Of wacht je liever op een groep? We sturen je een e-mail zodra een "
        "groep je straat dekt.",
        "Or would you rather wait for a group? We e-mail you when a group "
        "covers your street.",
        "Ou préférez-vous attendre un groupe ? Nous vous envoyons un e-mail dès "
        "qu'un groupe couvre votre rue.",
    ),
    entry(
        "Tell me when my street gets a group",
        "Laat me weten wanneer mijn straat een groep krijgt",
        "Tell me when my street gets a group",
        "Prévenez-moi quand ma rue aura un groupe",
    ),
    # The form.
    entry(
        "No neighbourhood watch group covers your street yet? Leave your "
        "e-mail address. We send you one e-mail as soon as a group covers your "
        "street.",
        "Is er nog geen buurtpreventiegroep voor je straat? Laat dan je "
        "e-mailadres achter. We sturen je één e-mail zodra een groep je straat "
        "dekt.",
        "No neighbourhood watch group covers your street yet? Leave your "
        "e-mail address. We send you one e-mail as soon as a group covers your "
        "street.",
        "Aucun groupe de prévention de quartier ne couvre encore votre rue ? "
        "Laissez votre adresse e-mail. Nous vous envoyons un seul e-mail dès "
        "qu'un groupe couvre votre rue.",
    ),
    entry(
        "We keep only your e-mail address, street and house number. We erase "
        "them soon after that e-mail, and at the latest after %(days)s day.",
        [
            "We bewaren alleen je e-mailadres, straat en huisnummer. We wissen ze "
            "kort na die e-mail, en ten laatste na %(days)s dag.",
            "We bewaren alleen je e-mailadres, straat en huisnummer. We wissen ze "
            "kort na die e-mail, en ten laatste na %(days)s dagen.",
        ],
        [
            "We keep only your e-mail address, street and house number. We erase "
            "them soon after that e-mail, and at the latest after %(days)s day.",
            "We keep only your e-mail address, street and house number. We erase "
            "them soon after that e-mail, and at the latest after %(days)s days.",
        ],
        [
            "Nous ne conservons que votre adresse e-mail, votre rue et votre "
            "numéro. Nous les effaçons peu après cet e-mail, et au plus tard après "
            "%(days)s jour.",
            "Nous ne conservons que votre adresse e-mail, votre rue et votre "
            "numéro. Nous les effaçons peu après cet e-mail, et au plus tard après "
            "%(days)s jours.",
        ],
        plural="We keep only your e-mail address, street and house number. We "
        "erase them soon after that e-mail, and at the latest after %(days)s "
        "days.",
    ),
    entry(
        "Choose your municipality",
        "Kies je gemeente",
        "Choose your municipality",
        "Choisissez votre commune",
    ),
    entry(
        "House number (optional)",
        "Huisnummer (niet verplicht)",
        "House number (optional)",
        "Numéro (facultatif)",
    ),
    entry(
        "When a group covers only part of your street.",
        "Voor als een groep maar een deel van je straat dekt.",
        "When a group covers only part of your street.",
        "Utile lorsqu'un groupe ne couvre qu'une partie de votre rue.",
    ),
    entry(
        "We send you a link to confirm your address.",
        "We sturen je een link om je e-mailadres te bevestigen.",
        "We send you a link to confirm your address.",
        "Nous vous envoyons un lien pour confirmer votre adresse.",
    ),
    entry(
        "Put me on the waiting list",
        "Zet me op de wachtlijst",
        "Put me on the waiting list",
        "M'inscrire sur la liste d'attente",
    ),
    entry(
        "Good news: your street already has a group",
        "Goed nieuws: je straat heeft al een groep",
        "Good news: your street already has a group",
        "Bonne nouvelle : votre rue a déjà un groupe",
    ),
    entry(
        "This group covers your address. You can sign up right away:",
        [
            "Deze groep dekt je adres. Je kan je meteen inschrijven:",
            "Deze groepen dekken je straat. Je kan je meteen inschrijven:",
        ],
        [
            "This group covers your address. You can sign up right away:",
            "These groups cover your street. You can sign up right away:",
        ],
        [
            "Ce groupe couvre votre adresse. Vous pouvez vous inscrire tout de suite :",
            "Ces groupes couvrent votre rue. Vous pouvez vous inscrire tout de suite :",
        ],
        plural="These groups cover your street. You can sign up right away:",
    ),
    entry(
        "We did not put your address on the waiting list.",
        "We hebben je e-mailadres niet op de wachtlijst gezet.",
        "We did not put your address on the waiting list.",
        "Nous n'avons pas inscrit votre adresse sur la liste d'attente.",
    ),
    # After the form.
    entry(
        "We sent you an e-mail with a link to confirm your address.",
        "We hebben je een e-mail gestuurd met een link om je e-mailadres te "
        "bevestigen.",
        "We sent you an e-mail with a link to confirm your address.",
        "Nous vous avons envoyé un e-mail avec un lien pour confirmer votre adresse.",
    ),
    entry(
        "Click the link within %(hours)s hour.",
        [
            "Klik binnen %(hours)s uur op de link.",
            "Klik binnen %(hours)s uur op de link.",
        ],
        [
            "Click the link within %(hours)s hour.",
            "Click the link within %(hours)s hours.",
        ],
        [
            "Cliquez sur le lien dans un délai de %(hours)s heure.",
            "Cliquez sur le lien dans un délai de %(hours)s heures.",
        ],
        plural="Click the link within %(hours)s hours.",
    ),
    entry(
        "As soon as a group covers your street, we send you an e-mail with "
        "the group and a link to sign up.",
        "Zodra een groep je straat dekt, krijg je een e-mail. Daarin staan de "
        "groep en een link om je in te schrijven.",
        "As soon as a group covers your street, we send you an e-mail with "
        "the group and a link to sign up.",
        "Dès qu'un groupe couvre votre rue, nous vous envoyons un e-mail avec "
        "le groupe et un lien pour vous inscrire.",
    ),
    entry(
        "Was your address already on the waiting list for this street? Then "
        "the e-mail says so, and we did not add it again.",
        "Stond je e-mailadres al op de wachtlijst voor deze straat? Dan staat "
        "dat in de e-mail. We hebben het dan niet opnieuw toegevoegd.",
        "Was your address already on the waiting list for this street? Then "
        "the e-mail says so, and we did not add it again.",
        "Votre adresse figurait-elle déjà sur la liste d'attente pour cette "
        "rue ? L'e-mail vous le dit alors, et nous ne l'avons pas ajoutée une "
        "seconde fois.",
    ),
    entry(
        "No e-mail after a few minutes? Check that you typed your address "
        "correctly and fill in the form again.",
        "Na enkele minuten nog geen e-mail? Kijk na of je je e-mailadres juist "
        "hebt getypt en vul het formulier opnieuw in.",
        "No e-mail after a few minutes? Check that you typed your address "
        "correctly and fill in the form again.",
        "Pas d'e-mail après quelques minutes ? Vérifiez que vous avez bien "
        "tapé votre adresse et remplissez à nouveau le formulaire.",
    ),
    # The confirmation link.
    entry(
        "Confirm your address",
        "Bevestig je e-mailadres",
        "Confirm your address",
        "Confirmez votre adresse",
    ),
    entry(
        "You are about to confirm that we may e-mail you when a group covers "
        "%(street)s in %(municipality)s.",
        "Je bevestigt dat we je een e-mail mogen sturen zodra een groep "
        "%(street)s in %(municipality)s dekt.",
        "You are about to confirm that we may e-mail you when a group covers "
        "%(street)s in %(municipality)s.",
        "Vous allez confirmer que nous pouvons vous envoyer un e-mail "
        "lorsqu'un groupe couvrira %(street)s à %(municipality)s.",
    ),
    entry(
        "Only then does your address count on the waiting list.",
        "Pas dan telt je e-mailadres mee op de wachtlijst.",
        "Only then does your address count on the waiting list.",
        "Ce n'est qu'alors que votre adresse compte sur la liste d'attente.",
    ),
    entry(
        "Confirm my address",
        "Mijn e-mailadres bevestigen",
        "Confirm my address",
        "Confirmer mon adresse",
    ),
    entry(
        "Address confirmed",
        "E-mailadres bevestigd",
        "Address confirmed",
        "Adresse confirmée",
    ),
    entry(
        "Thank you, your address is confirmed",
        "Bedankt, je e-mailadres is bevestigd",
        "Thank you, your address is confirmed",
        "Merci, votre adresse est confirmée",
    ),
    entry(
        "Your address was already confirmed",
        "Je e-mailadres was al bevestigd",
        "Your address was already confirmed",
        "Votre adresse était déjà confirmée",
    ),
    entry(
        "As soon as a group covers %(street)s in %(municipality)s, we send you "
        "an e-mail.",
        "Zodra een groep %(street)s in %(municipality)s dekt, sturen we je een e-mail.",
        "As soon as a group covers %(street)s in %(municipality)s, we send you "
        "an e-mail.",
        "Dès qu'un groupe couvre %(street)s à %(municipality)s, nous vous "
        "envoyons un e-mail.",
    ),
    entry(
        "No group after %(days)s day? Then we erase your address. You are "
        "welcome to fill in the form again.",
        [
            "Na %(days)s dag nog geen groep? Dan wissen we je e-mailadres. Je mag "
            "het formulier gerust opnieuw invullen.",
            "Na %(days)s dagen nog geen groep? Dan wissen we je e-mailadres. Je "
            "mag het formulier gerust opnieuw invullen.",
        ],
        [
            "No group after %(days)s day? Then we erase your address. You are "
            "welcome to fill in the form again.",
            "No group after %(days)s days? Then we erase your address. You are "
            "welcome to fill in the form again.",
        ],
        [
            "Toujours pas de groupe après %(days)s jour ? Nous effaçons alors "
            "votre adresse. Vous pouvez remplir à nouveau le formulaire.",
            "Toujours pas de groupe après %(days)s jours ? Nous effaçons alors "
            "votre adresse. Vous pouvez remplir à nouveau le formulaire.",
        ],
        plural="No group after %(days)s days? Then we erase your address. You "
        "are welcome to fill in the form again.",
    ),
    entry(
        "Would you like to start a group yourself? As coordinator you bring "
        "your neighbours together.",
        "Wil je zelf een groep oprichten? Als coördinator breng je je buren samen.",
        "Would you like to start a group yourself? As coordinator you bring "
        "your neighbours together.",
        "Vous souhaitez créer vous-même un groupe ? En tant que coordinateur, "
        "vous rassemblez vos voisins.",
    ),
    # The link to leave.
    entry(
        "Leave the waiting list",
        "Van de wachtlijst gaan",
        "Leave the waiting list",
        "Quitter la liste d'attente",
    ),
    entry(
        "You are about to take your address off the waiting list for "
        "%(street)s in %(municipality)s.",
        "Je haalt je e-mailadres van de wachtlijst voor %(street)s in "
        "%(municipality)s.",
        "You are about to take your address off the waiting list for "
        "%(street)s in %(municipality)s.",
        "Vous allez retirer votre adresse de la liste d'attente pour "
        "%(street)s à %(municipality)s.",
    ),
    entry(
        "We erase your e-mail address, your street and your house number. You "
        "will get no more e-mails about it.",
        "We wissen je e-mailadres, je straat en je huisnummer. Je krijgt er "
        "geen e-mails meer over.",
        "We erase your e-mail address, your street and your house number. You "
        "will get no more e-mails about it.",
        "Nous effaçons votre adresse e-mail, votre rue et votre numéro. Vous "
        "ne recevrez plus d'e-mails à ce sujet.",
    ),
    entry(
        "Leave the waiting list and erase my details",
        "Haal me van de wachtlijst en wis mijn gegevens",
        "Leave the waiting list and erase my details",
        "Quitter la liste d'attente et effacer mes données",
    ),
    entry(
        "You have left the waiting list",
        "Je staat niet meer op de wachtlijst",
        "You have left the waiting list",
        "Vous avez quitté la liste d'attente",
    ),
    entry(
        "Your details have been erased. You will get no more e-mails about "
        "the waiting list.",
        "Je gegevens zijn gewist. Je krijgt geen e-mails meer over de wachtlijst.",
        "Your details have been erased. You will get no more e-mails about "
        "the waiting list.",
        "Vos données ont été effacées. Vous ne recevrez plus d'e-mails "
        "concernant la liste d'attente.",
    ),
    entry(
        "You are no longer on the waiting list.",
        "Je staat niet meer op de wachtlijst.",
        "You are no longer on the waiting list.",
        "Vous ne figurez plus sur la liste d'attente.",
    ),
    entry(
        "Nothing was changed. You can fill in the waiting-list form again; a "
        "confirmation link works for %(hours)s hour.",
        [
            "Er is niets veranderd. Je kan het formulier voor de wachtlijst "
            "opnieuw invullen. Een bevestigingslink werkt %(hours)s uur.",
            "Er is niets veranderd. Je kan het formulier voor de wachtlijst "
            "opnieuw invullen. Een bevestigingslink werkt %(hours)s uur.",
        ],
        [
            "Nothing was changed. You can fill in the waiting-list form again; a "
            "confirmation link works for %(hours)s hour.",
            "Nothing was changed. You can fill in the waiting-list form again; a "
            "confirmation link works for %(hours)s hours.",
        ],
        [
            "Rien n'a été modifié. Vous pouvez remplir à nouveau le formulaire de "
            "la liste d'attente ; un lien de confirmation est valable %(hours)s "
            "heure.",
            "Rien n'a été modifié. Vous pouvez remplir à nouveau le formulaire de "
            "la liste d'attente ; un lien de confirmation est valable %(hours)s "
            "heures.",
        ],
        plural="Nothing was changed. You can fill in the waiting-list form "
        "again; a confirmation link works for %(hours)s hours.",
    ),
    entry(
        "Go to the waiting-list form",
        "Naar het formulier voor de wachtlijst",
        "Go to the waiting-list form",
        "Aller au formulaire de la liste d'attente",
    ),
    # The mails.
    entry("Hello,", "Hallo,", "Hello,", "Bonjour,"),
    entry(
        "Confirm your address for the waiting list",
        "Bevestig je e-mailadres voor de wachtlijst",
        "Confirm your address for the waiting list",
        "Confirmez votre adresse pour la liste d'attente",
    ),
    entry(
        "You asked us to e-mail you when a neighbourhood watch group covers "
        "%(street)s in %(municipality)s.",
        "Je vroeg ons om je een e-mail te sturen zodra een buurtpreventiegroep "
        "%(street)s in %(municipality)s dekt.",
        "You asked us to e-mail you when a neighbourhood watch group covers "
        "%(street)s in %(municipality)s.",
        "Vous nous avez demandé de vous envoyer un e-mail lorsqu'un groupe de "
        "prévention de quartier couvrira %(street)s à %(municipality)s.",
    ),
    entry(
        "Only after you confirm does your address count on the waiting list.",
        "Pas als je bevestigt, telt je e-mailadres mee op de wachtlijst.",
        "Only after you confirm does your address count on the waiting list.",
        "Votre adresse ne compte sur la liste d'attente qu'après votre confirmation.",
    ),
    entry(
        "Did you not ask for this? Then you can ignore this e-mail: without "
        "confirmation your address is erased after a few days.",
        "Heb je dit niet gevraagd? Dan mag je deze e-mail negeren: zonder "
        "bevestiging wissen we je e-mailadres na enkele dagen.",
        "Did you not ask for this? Then you can ignore this e-mail: without "
        "confirmation your address is erased after a few days.",
        "Vous n'avez rien demandé ? Vous pouvez alors ignorer cet e-mail : sans "
        "confirmation, votre adresse est effacée après quelques jours.",
    ),
    entry(
        "No longer want to hear from us?",
        "Wil je niets meer van ons horen?",
        "No longer want to hear from us?",
        "Vous ne souhaitez plus avoir de nos nouvelles ?",
    ),
    entry(
        "No longer want to hear from us? Leave the waiting list here and we "
        "erase your details:",
        "Wil je niets meer van ons horen? Haal je hier van de wachtlijst en we "
        "wissen je gegevens:",
        "No longer want to hear from us? Leave the waiting list here and we "
        "erase your details:",
        "Vous ne souhaitez plus avoir de nos nouvelles ? Quittez ici la liste "
        "d'attente et nous effaçons vos données :",
    ),
    entry(
        "You are already on the waiting list",
        "Je staat al op de wachtlijst",
        "You are already on the waiting list",
        "Vous êtes déjà sur la liste d'attente",
    ),
    entry(
        "Your e-mail address is already on the waiting list for %(street)s in "
        "%(municipality)s. We did not add it again.",
        "Je e-mailadres staat al op de wachtlijst voor %(street)s in "
        "%(municipality)s. We hebben het niet opnieuw toegevoegd.",
        "Your e-mail address is already on the waiting list for %(street)s in "
        "%(municipality)s. We did not add it again.",
        "Votre adresse e-mail figure déjà sur la liste d'attente pour "
        "%(street)s à %(municipality)s. Nous ne l'avons pas ajoutée une seconde "
        "fois.",
    ),
    entry(
        "You do not need to do anything: we e-mail you as soon as a group "
        "covers your street.",
        "Je hoeft niets te doen: we sturen je een e-mail zodra een groep je "
        "straat dekt.",
        "You do not need to do anything: we e-mail you as soon as a group "
        "covers your street.",
        "Vous n'avez rien à faire : nous vous envoyons un e-mail dès qu'un "
        "groupe couvre votre rue.",
    ),
    entry(
        "Your street now has a neighbourhood watch group",
        "Je straat heeft nu een buurtpreventiegroep",
        "Your street now has a neighbourhood watch group",
        "Votre rue a maintenant un groupe de prévention de quartier",
    ),
    entry(
        "Good news: a neighbourhood watch group now covers %(street)s in "
        "%(municipality)s.",
        "Goed nieuws: er is nu een buurtpreventiegroep voor %(street)s in "
        "%(municipality)s.",
        "Good news: a neighbourhood watch group now covers %(street)s in "
        "%(municipality)s.",
        "Bonne nouvelle : un groupe de prévention de quartier couvre maintenant "
        "%(street)s à %(municipality)s.",
    ),
    entry(
        "Sign up for %(name)s:",
        "Inschrijven bij %(name)s:",
        "Sign up for %(name)s:",
        "S'inscrire à %(name)s :",
    ),
    entry(
        "This is the only e-mail we send about it. We erase your address from "
        "the waiting list in %(days)s day.",
        [
            "Dit is de enige e-mail die we hierover sturen. Over %(days)s dag "
            "wissen we je e-mailadres van de wachtlijst.",
            "Dit is de enige e-mail die we hierover sturen. Over %(days)s dagen "
            "wissen we je e-mailadres van de wachtlijst.",
        ],
        [
            "This is the only e-mail we send about it. We erase your address from "
            "the waiting list in %(days)s day.",
            "This is the only e-mail we send about it. We erase your address from "
            "the waiting list in %(days)s days.",
        ],
        [
            "C'est le seul e-mail que nous envoyons à ce sujet. Nous effaçons "
            "votre adresse de la liste d'attente dans %(days)s jour.",
            "C'est le seul e-mail que nous envoyons à ce sujet. Nous effaçons "
            "votre adresse de la liste d'attente dans %(days)s jours.",
        ],
        plural="This is the only e-mail we send about it. We erase your "
        "address from the waiting list in %(days)s days.",
    ),
]

ENTRIES += [
    # The privacy notice.
    entry(
        "The waiting list for a group",
        "De wachtlijst voor een groep",
        "The waiting list for a group",
        "La liste d'attente pour un groupe",
    ),
    entry(
        "If you ask us to tell you when your street gets a group, we keep your "
        "e-mail address, street, house number (if you give it), municipality "
        "and language. Only the staff of the police zone see them, to know "
        "where residents wait for a group. We send you one e-mail when a group "
        "covers your street.",
        "Vraag je ons om je te laten weten wanneer je straat een groep krijgt? "
        "Dan bewaren we je e-mailadres, straat, huisnummer (als je het geeft), "
        "gemeente en taal. Alleen de medewerkers van de politiezone zien ze. "
        "Zo weten ze waar bewoners op een groep wachten. We sturen je één "
        "e-mail zodra een groep je straat dekt.",
        "If you ask us to tell you when your street gets a group, we keep your "
        "e-mail address, street, house number (if you give it), municipality "
        "and language. Only the staff of the police zone see them, to know "
        "where residents wait for a group. We send you one e-mail when a group "
        "covers your street.",
        "Si vous nous demandez de vous prévenir quand votre rue aura un groupe, "
        "nous conservons votre adresse e-mail, votre rue, votre numéro (si vous "
        "l'indiquez), votre commune et votre langue. Seul le personnel de la "
        "zone de police les voit, pour savoir où des habitants attendent un "
        "groupe. Nous vous envoyons un seul e-mail dès qu'un groupe couvre "
        "votre rue.",
    ),
    entry(
        "An address you did not confirm: %(days)s day.",
        [
            "Een e-mailadres dat je niet bevestigde: %(days)s dag.",
            "Een e-mailadres dat je niet bevestigde: %(days)s dagen.",
        ],
        [
            "An address you did not confirm: %(days)s day.",
            "An address you did not confirm: %(days)s days.",
        ],
        [
            "Une adresse que vous n'avez pas confirmée : %(days)s jour.",
            "Une adresse que vous n'avez pas confirmée : %(days)s jours.",
        ],
        plural="An address you did not confirm: %(days)s days.",
    ),
    entry(
        "After the e-mail about a group: %(days)s day.",
        [
            "Na de e-mail over een groep: %(days)s dag.",
            "Na de e-mail over een groep: %(days)s dagen.",
        ],
        [
            "After the e-mail about a group: %(days)s day.",
            "After the e-mail about a group: %(days)s days.",
        ],
        [
            "Après l'e-mail concernant un groupe : %(days)s jour.",
            "Après l'e-mail concernant un groupe : %(days)s jours.",
        ],
        plural="After the e-mail about a group: %(days)s days.",
    ),
    entry(
        "Without a group: at most %(days)s day.",
        [
            "Zonder groep: ten hoogste %(days)s dag.",
            "Zonder groep: ten hoogste %(days)s dagen.",
        ],
        [
            "Without a group: at most %(days)s day.",
            "Without a group: at most %(days)s days.",
        ],
        [
            "Sans groupe : au plus %(days)s jour.",
            "Sans groupe : au plus %(days)s jours.",
        ],
        plural="Without a group: at most %(days)s days.",
    ),
    entry(
        "To leave the waiting list at once, use the link in our e-mails.",
        "Wil je meteen van de wachtlijst? Gebruik dan de link in onze e-mails.",
        "To leave the waiting list at once, use the link in our e-mails.",
        "Pour quitter tout de suite la liste d'attente, utilisez le lien de nos "
        "e-mails.",
    ),
]

REMOVE = []
