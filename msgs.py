# Catalogue entries of the resident's own page (issue 22, "Fix your own details").
# Apply: /work/main/.venv/bin/python /work/wt/addmsgs.py msgs.py
ENTRIES = [
    # Model fields
    dict(
        msgid="new e-mail address, not yet confirmed",
        nl="nieuw e-mailadres, nog niet bevestigd",
        en="new e-mail address, not yet confirmed",
        fr="nouvelle adresse e-mail, pas encore confirmée",
    ),
    dict(
        msgid="new e-mail address asked for",
        nl="nieuw e-mailadres gevraagd op",
        en="new e-mail address asked for",
        fr="nouvelle adresse e-mail demandée le",
    ),
    dict(
        msgid="e-mail address changed",
        nl="e-mailadres gewijzigd op",
        en="e-mail address changed",
        fr="adresse e-mail modifiée le",
    ),
    # Links
    dict(
        msgid="This link is no longer valid.",
        nl="Deze link is niet meer geldig.",
        en="This link is no longer valid.",
        fr="Ce lien n’est plus valable.",
    ),
    dict(
        msgid="This link was sent to an e-mail address this signup no longer uses. "
        "Use the link in the most recent e-mail we sent you.",
        nl="Deze link werd gestuurd naar een e-mailadres dat deze inschrijving niet "
        "meer gebruikt. Gebruik de link in de meest recente e-mail die we je stuurden.",
        en="This link was sent to an e-mail address this signup no longer uses. "
        "Use the link in the most recent e-mail we sent you.",
        fr="Ce lien a été envoyé à une adresse e-mail que cette inscription "
        "n’utilise plus. Utilisez le lien du dernier e-mail que nous vous avons "
        "envoyé.",
    ),
    dict(
        msgid="This link was used already, or you asked for another change after "
        "it. Use the link in the most recent e-mail we sent you.",
        nl="Deze link werd al gebruikt, of je vroeg daarna een andere wijziging "
        "aan. Gebruik de link in de meest recente e-mail die we je stuurden.",
        en="This link was used already, or you asked for another change after "
        "it. Use the link in the most recent e-mail we sent you.",
        fr="Ce lien a déjà été utilisé, ou vous avez demandé une autre "
        "modification depuis. Utilisez le lien du dernier e-mail que nous vous "
        "avons envoyé.",
    ),
    dict(
        msgid="Nothing was changed. Every e-mail we send you about your signup has "
        "a link to this page.",
        nl="Er is niets gewijzigd. Elke e-mail die we je over je inschrijving "
        "sturen, heeft een link naar deze pagina.",
        en="Nothing was changed. Every e-mail we send you about your signup has "
        "a link to this page.",
        fr="Rien n’a été modifié. Chaque e-mail que nous vous envoyons au sujet "
        "de votre inscription contient un lien vers cette page.",
    ),
    dict(
        msgid="Nothing was changed: your signup keeps the e-mail address it had. "
        "You can ask for the change again on your signup's page.",
        nl="Er is niets gewijzigd: je inschrijving houdt het e-mailadres dat ze "
        "had. Je kan de wijziging opnieuw vragen op de pagina van je inschrijving.",
        en="Nothing was changed: your signup keeps the e-mail address it had. "
        "You can ask for the change again on your signup's page.",
        fr="Rien n’a été modifié : votre inscription garde l’adresse e-mail "
        "qu’elle avait. Vous pouvez redemander la modification sur la page de "
        "votre inscription.",
    ),
    # Forms and messages
    dict(
        msgid="New mobile number",
        nl="Nieuw gsm-nummer",
        en="New mobile number",
        fr="Nouveau numéro de GSM",
    ),
    dict(
        msgid="Change my mobile number",
        nl="Mijn gsm-nummer wijzigen",
        en="Change my mobile number",
        fr="Modifier mon numéro de GSM",
    ),
    dict(
        msgid="This is already your mobile number.",
        nl="Dit is al je gsm-nummer.",
        en="This is already your mobile number.",
        fr="C’est déjà votre numéro de GSM.",
    ),
    dict(
        msgid="New e-mail address",
        nl="Nieuw e-mailadres",
        en="New e-mail address",
        fr="Nouvelle adresse e-mail",
    ),
    dict(
        msgid="We send a link to this address. Your signup uses it once you open "
        "the link.",
        nl="We sturen een link naar dit adres. Je inschrijving gebruikt het zodra "
        "je de link opent.",
        en="We send a link to this address. Your signup uses it once you open "
        "the link.",
        fr="Nous envoyons un lien à cette adresse. Votre inscription l’utilise dès "
        "que vous ouvrez le lien.",
    ),
    dict(
        msgid="Send the link",
        nl="Stuur de link",
        en="Send the link",
        fr="Envoyer le lien",
    ),
    dict(
        msgid="This is already your e-mail address.",
        nl="Dit is al je e-mailadres.",
        en="This is already your e-mail address.",
        fr="C’est déjà votre adresse e-mail.",
    ),
    dict(
        msgid="Nothing changed: your details can no longer be changed here.",
        nl="Er is niets gewijzigd: je gegevens kunnen hier niet meer gewijzigd worden.",
        en="Nothing changed: your details can no longer be changed here.",
        fr="Rien n’a été modifié : vos données ne peuvent plus être modifiées ici.",
    ),
    dict(
        msgid="Another signup for this group already has this mobile number. Each "
        "person signs up with their own number.",
        nl="Een andere inschrijving voor deze groep heeft dit gsm-nummer al. Ieder "
        "schrijft zich in met een eigen nummer.",
        en="Another signup for this group already has this mobile number. Each "
        "person signs up with their own number.",
        fr="Une autre inscription à ce groupe a déjà ce numéro de GSM. Chaque "
        "personne s’inscrit avec son propre numéro.",
    ),
    dict(
        msgid="Your mobile number is changed.",
        nl="Je gsm-nummer is gewijzigd.",
        en="Your mobile number is changed.",
        fr="Votre numéro de GSM a été modifié.",
    ),
    dict(
        msgid="We sent a link to your new e-mail address. Open it to use the new "
        "address; until then we keep writing to this one.",
        nl="We stuurden een link naar je nieuwe e-mailadres. Open hem om het "
        "nieuwe adres te gebruiken; tot dan schrijven we naar dit adres.",
        en="We sent a link to your new e-mail address. Open it to use the new "
        "address; until then we keep writing to this one.",
        fr="Nous avons envoyé un lien à votre nouvelle adresse e-mail. Ouvrez-le "
        "pour utiliser la nouvelle adresse ; d’ici là, nous continuons à écrire à "
        "celle-ci.",
    ),
    dict(
        msgid="Your signup has ended: there is nothing to change.",
        nl="Je inschrijving is beëindigd: er valt niets te wijzigen.",
        en="Your signup has ended: there is nothing to change.",
        fr="Votre inscription a pris fin : il n’y a rien à modifier.",
    ),
    dict(
        msgid="Your e-mail address is changed. From now on we write to this one.",
        nl="Je e-mailadres is gewijzigd. Vanaf nu schrijven we naar dit adres.",
        en="Your e-mail address is changed. From now on we write to this one.",
        fr="Votre adresse e-mail a été modifiée. Désormais, nous écrivons à celle-ci.",
    ),
    # The page
    dict(
        msgid="Your signup",
        nl="Je inschrijving",
        en="Your signup",
        fr="Votre inscription",
    ),
    dict(
        msgid="You withdrew this signup. Your details have been erased.",
        nl="Je hebt deze inschrijving ingetrokken. Je gegevens zijn gewist.",
        en="You withdrew this signup. Your details have been erased.",
        fr="Vous vous êtes désinscrit. Vos données ont été effacées.",
    ),
    dict(
        msgid="This signup has ended and your details have been erased, as the "
        "privacy notice says.",
        nl="Deze inschrijving is beëindigd en je gegevens zijn gewist, zoals de "
        "privacyverklaring zegt.",
        en="This signup has ended and your details have been erased, as the "
        "privacy notice says.",
        fr="Cette inscription a pris fin et vos données ont été effacées, comme "
        "l’indique la déclaration de confidentialité.",
    ),
    dict(
        msgid="Where your signup stands",
        nl="Waar je inschrijving staat",
        en="Where your signup stands",
        fr="Où en est votre inscription",
    ),
    dict(
        msgid="Waiting for you to confirm your e-mail address",
        nl="We wachten tot je je e-mailadres bevestigt",
        en="Waiting for you to confirm your e-mail address",
        fr="En attente de la confirmation de votre adresse e-mail",
    ),
    dict(
        msgid="Open the e-mail we sent you and confirm with its button within "
        "%(hours)s hour.",
        plural="Open the e-mail we sent you and confirm with its button within "
        "%(hours)s hours.",
        nl=[
            "Open de e-mail die we je stuurden en bevestig met de knop erin, "
            "binnen %(hours)s uur.",
            "Open de e-mail die we je stuurden en bevestig met de knop erin, "
            "binnen %(hours)s uur.",
        ],
        en=[
            "Open the e-mail we sent you and confirm with its button within "
            "%(hours)s hour.",
            "Open the e-mail we sent you and confirm with its button within "
            "%(hours)s hours.",
        ],
        fr=[
            "Ouvrez l’e-mail que nous vous avons envoyé et confirmez avec son "
            "bouton dans les %(hours)s heure.",
            "Ouvrez l’e-mail que nous vous avons envoyé et confirmez avec son "
            "bouton dans les %(hours)s heures.",
        ],
    ),
    dict(
        msgid="Waiting for the coordinator",
        nl="Wacht op de coördinator",
        en="Waiting for the coordinator",
        fr="En attente du coordinateur",
    ),
    dict(
        msgid="The coordinator of %(group)s has your signup. They will add you to "
        "the WhatsApp group, or send you the invite link by e-mail.",
        nl="De coördinator van %(group)s heeft je inschrijving. Hij of zij voegt "
        "je toe aan de WhatsApp-groep, of stuurt je de uitnodigingslink per e-mail.",
        en="The coordinator of %(group)s has your signup. They will add you to "
        "the WhatsApp group, or send you the invite link by e-mail.",
        fr="Le coordinateur de %(group)s a reçu votre inscription. Il vous "
        "ajoutera au groupe WhatsApp ou vous enverra le lien d’invitation par "
        "e-mail.",
    ),
    dict(
        msgid="Waiting for the police zone",
        nl="Wacht op de politiezone",
        en="Waiting for the police zone",
        fr="En attente de la zone de police",
    ),
    dict(
        msgid="The police zone has your application to start %(group)s. They will "
        "contact you.",
        nl="De politiezone heeft je aanvraag om %(group)s op te richten. Ze neemt "
        "contact met je op.",
        en="The police zone has your application to start %(group)s. They will "
        "contact you.",
        fr="La zone de police a reçu votre demande de création de %(group)s. Elle "
        "prendra contact avec vous.",
    ),
    dict(
        msgid="Your application was accepted",
        nl="Je aanvraag werd aanvaard",
        en="Your application was accepted",
        fr="Votre demande a été acceptée",
    ),
    dict(
        msgid="You coordinate %(group)s. Your details as a coordinator are under "
        "“My details and e-mail settings” when you are logged in to the portal.",
        nl="Je bent coördinator van %(group)s. Je gegevens als coördinator staan "
        "onder “Mijn gegevens en e-mailinstellingen” als je aangemeld bent op het "
        "portaal.",
        en="You coordinate %(group)s. Your details as a coordinator are under "
        "“My details and e-mail settings” when you are logged in to the portal.",
        fr="Vous coordonnez %(group)s. Vos données de coordinateur se trouvent "
        "sous « Mes coordonnées et mes préférences e-mail » quand vous "
        "êtes connecté au portail.",
    ),
    dict(
        msgid="Member of %(group)s",
        nl="Lid van %(group)s",
        en="Member of %(group)s",
        fr="Membre de %(group)s",
    ),
    dict(
        msgid="The coordinator has added you to the WhatsApp group.",
        nl="De coördinator heeft je toegevoegd aan de WhatsApp-groep.",
        en="The coordinator has added you to the WhatsApp group.",
        fr="Le coordinateur vous a ajouté au groupe WhatsApp.",
    ),
    dict(
        msgid="The coordinator will add you to the WhatsApp group with your mobile "
        "number, or has sent you the invite link by e-mail.",
        nl="De coördinator voegt je toe aan de WhatsApp-groep met je gsm-nummer, "
        "of heeft je de uitnodigingslink per e-mail gestuurd.",
        en="The coordinator will add you to the WhatsApp group with your mobile "
        "number, or has sent you the invite link by e-mail.",
        fr="Le coordinateur vous ajoutera au groupe WhatsApp avec votre numéro de "
        "GSM, ou vous a envoyé le lien d’invitation par e-mail.",
    ),
    dict(
        msgid="Not accepted",
        nl="Niet aanvaard",
        en="Not accepted",
        fr="Non acceptée",
    ),
    dict(
        msgid="We sent you the reason by e-mail.",
        nl="We stuurden je de reden per e-mail.",
        en="We sent you the reason by e-mail.",
        fr="Nous vous avons envoyé la raison par e-mail.",
    ),
    dict(
        msgid="Your details are erased after a while.",
        nl="We wissen je gegevens na een tijd.",
        en="Your details are erased after a while.",
        fr="Vos données sont effacées après un certain temps.",
    ),
    dict(
        msgid="You left the group",
        nl="Je hebt de groep verlaten",
        en="You left the group",
        fr="Vous avez quitté le groupe",
    ),
    dict(
        msgid="Removed from the group",
        nl="Verwijderd uit de groep",
        en="Removed from the group",
        fr="Retiré du groupe",
    ),
    dict(
        msgid="Waiting for confirmation: %(address)s. Open the link we sent to that "
        "address to use it.",
        nl="Wacht op bevestiging: %(address)s. Open de link die we naar dat adres "
        "stuurden om het te gebruiken.",
        en="Waiting for confirmation: %(address)s. Open the link we sent to that "
        "address to use it.",
        fr="En attente de confirmation : %(address)s. Ouvrez le lien que nous "
        "avons envoyé à cette adresse pour l’utiliser.",
    ),
    dict(
        msgid="Once you have confirmed your signup, you can change your mobile "
        "number and e-mail address here.",
        nl="Zodra je je inschrijving bevestigd hebt, kun je hier je gsm-nummer en "
        "e-mailadres wijzigen.",
        en="Once you have confirmed your signup, you can change your mobile "
        "number and e-mail address here.",
        fr="Dès que vous avez confirmé votre inscription, vous pouvez modifier ici "
        "votre numéro de GSM et votre adresse e-mail.",
    ),
    dict(
        msgid="Withdraw",
        nl="Uitschrijven",
        en="Withdraw",
        fr="Se désinscrire",
    ),
    dict(
        msgid="No longer want to take part? Withdraw here and we erase your details.",
        nl="Wil je niet langer deelnemen? Schrijf je hier uit en we wissen je "
        "gegevens.",
        en="No longer want to take part? Withdraw here and we erase your details.",
        fr="Vous ne souhaitez plus participer ? Désinscrivez-vous ici et nous "
        "effaçons vos données.",
    ),
    dict(
        msgid="Do you want your details erased now?",
        nl="Wil je dat we je gegevens nu al wissen?",
        en="Do you want your details erased now?",
        fr="Voulez-vous que nous effacions vos données dès maintenant ?",
    ),
    dict(
        msgid="Erase my details now",
        nl="Wis mijn gegevens nu",
        en="Erase my details now",
        fr="Effacer mes données maintenant",
    ),
    dict(
        msgid="Change your mobile number",
        nl="Je gsm-nummer wijzigen",
        en="Change your mobile number",
        fr="Modifier votre numéro de GSM",
    ),
    dict(
        msgid="Your mobile number now: %(phone)s",
        nl="Je gsm-nummer nu: %(phone)s",
        en="Your mobile number now: %(phone)s",
        fr="Votre numéro de GSM actuel : %(phone)s",
    ),
    dict(
        msgid="We tell the coordinator, who checks that your new number is in the "
        "WhatsApp group.",
        nl="We laten het de coördinator weten, die nagaat of je nieuwe nummer in "
        "de WhatsApp-groep zit.",
        en="We tell the coordinator, who checks that your new number is in the "
        "WhatsApp group.",
        fr="Nous prévenons le coordinateur, qui vérifie que votre nouveau numéro "
        "est dans le groupe WhatsApp.",
    ),
    dict(
        msgid="Back to your signup",
        nl="Terug naar je inschrijving",
        en="Back to your signup",
        fr="Retour à votre inscription",
    ),
    dict(
        msgid="Change your e-mail address",
        nl="Je e-mailadres wijzigen",
        en="Change your e-mail address",
        fr="Modifier votre adresse e-mail",
    ),
    dict(
        msgid="Your e-mail address now: %(address)s",
        nl="Je e-mailadres nu: %(address)s",
        en="Your e-mail address now: %(address)s",
        fr="Votre adresse e-mail actuelle : %(address)s",
    ),
    dict(
        msgid="We send a link to the new address. Open it within %(hours)s hour to "
        "use the new address. Until then we keep writing to the address you have "
        "now, and we tell it when the address has changed.",
        plural="We send a link to the new address. Open it within %(hours)s hours "
        "to use the new address. Until then we keep writing to the address you "
        "have now, and we tell it when the address has changed.",
        nl=[
            "We sturen een link naar het nieuwe adres. Open hem binnen %(hours)s "
            "uur om het nieuwe adres te gebruiken. Tot dan schrijven we naar je "
            "huidige adres. Daar melden we ook dat het adres gewijzigd is.",
            "We sturen een link naar het nieuwe adres. Open hem binnen %(hours)s "
            "uur om het nieuwe adres te gebruiken. Tot dan schrijven we naar je "
            "huidige adres. Daar melden we ook dat het adres gewijzigd is.",
        ],
        en=[
            "We send a link to the new address. Open it within %(hours)s hour to "
            "use the new address. Until then we keep writing to the address you "
            "have now, and we tell it when the address has changed.",
            "We send a link to the new address. Open it within %(hours)s hours to "
            "use the new address. Until then we keep writing to the address you "
            "have now, and we tell it when the address has changed.",
        ],
        fr=[
            "Nous envoyons un lien à la nouvelle adresse. Ouvrez-le dans les "
            "%(hours)s heure pour utiliser la nouvelle adresse. D’ici là, nous "
            "continuons à écrire à votre adresse actuelle, et nous la prévenons "
            "quand l’adresse a changé.",
            "Nous envoyons un lien à la nouvelle adresse. Ouvrez-le dans les "
            "%(hours)s heures pour utiliser la nouvelle adresse. D’ici là, nous "
            "continuons à écrire à votre adresse actuelle, et nous la prévenons "
            "quand l’adresse a changé.",
        ],
    ),
    dict(
        msgid="Confirm your new e-mail address",
        nl="Bevestig je nieuwe e-mailadres",
        en="Confirm your new e-mail address",
        fr="Confirmez votre nouvelle adresse e-mail",
    ),
    dict(
        msgid="You are about to use %(address)s for your signup for %(group)s.",
        nl="Je staat op het punt %(address)s te gebruiken voor je inschrijving "
        "bij %(group)s.",
        en="You are about to use %(address)s for your signup for %(group)s.",
        fr="Vous êtes sur le point d’utiliser %(address)s pour votre inscription "
        "à %(group)s.",
    ),
    dict(
        msgid="You are about to use %(address)s for your application to start "
        "%(group)s.",
        nl="Je staat op het punt %(address)s te gebruiken voor je aanvraag om "
        "%(group)s op te richten.",
        en="You are about to use %(address)s for your application to start %(group)s.",
        fr="Vous êtes sur le point d’utiliser %(address)s pour votre demande de "
        "création de %(group)s.",
    ),
    dict(
        msgid="From then on we write to this address only, and the links in "
        "earlier e-mails stop working.",
        nl="Vanaf dan schrijven we alleen nog naar dit adres, en werken de links "
        "in eerdere e-mails niet meer.",
        en="From then on we write to this address only, and the links in "
        "earlier e-mails stop working.",
        fr="À partir de ce moment, nous n’écrivons plus qu’à cette adresse, et "
        "les liens des e-mails précédents ne fonctionnent plus.",
    ),
    dict(
        msgid="Use this e-mail address",
        nl="Dit e-mailadres gebruiken",
        en="Use this e-mail address",
        fr="Utiliser cette adresse e-mail",
    ),
    # Mails to the resident
    dict(
        msgid="Where does your signup stand? Changed your mobile number or e-mail "
        "address?",
        nl="Waar staat je inschrijving? Heb je een ander gsm-nummer of e-mailadres?",
        en="Where does your signup stand? Changed your mobile number or e-mail "
        "address?",
        fr="Où en est votre inscription ? Vous avez changé de numéro de GSM ou "
        "d’adresse e-mail ?",
    ),
    dict(
        msgid="Want to see your signup, or have your details erased now?",
        nl="Wil je je inschrijving bekijken, of je gegevens nu al laten wissen?",
        en="Want to see your signup, or have your details erased now?",
        fr="Vous voulez consulter votre inscription, ou faire effacer vos données "
        "dès maintenant ?",
    ),
    dict(
        msgid="Open your signup",
        nl="Open je inschrijving",
        en="Open your signup",
        fr="Ouvrir votre inscription",
    ),
    dict(
        msgid="Confirm your new e-mail address for the neighbourhood watch",
        nl="Bevestig je nieuwe e-mailadres voor de buurtpreventie",
        en="Confirm your new e-mail address for the neighbourhood watch",
        fr="Confirmez votre nouvelle adresse e-mail pour la prévention de quartier",
    ),
    dict(
        msgid="You asked to use this e-mail address for your signup for %(group)s.",
        nl="Je vroeg om dit e-mailadres te gebruiken voor je inschrijving bij "
        "%(group)s.",
        en="You asked to use this e-mail address for your signup for %(group)s.",
        fr="Vous avez demandé d’utiliser cette adresse e-mail pour votre "
        "inscription à %(group)s.",
    ),
    dict(
        msgid="You asked to use this e-mail address for your application to start "
        "%(group)s.",
        nl="Je vroeg om dit e-mailadres te gebruiken voor je aanvraag om %(group)s "
        "op te richten.",
        en="You asked to use this e-mail address for your application to start "
        "%(group)s.",
        fr="Vous avez demandé d’utiliser cette adresse e-mail pour votre demande "
        "de création de %(group)s.",
    ),
    dict(
        msgid="Confirm it with this link. It is valid for %(hours)s hour:",
        plural="Confirm it with this link. It is valid for %(hours)s hours:",
        nl=[
            "Bevestig het met deze link. Hij is %(hours)s uur geldig:",
            "Bevestig het met deze link. Hij is %(hours)s uur geldig:",
        ],
        en=[
            "Confirm it with this link. It is valid for %(hours)s hour:",
            "Confirm it with this link. It is valid for %(hours)s hours:",
        ],
        fr=[
            "Confirmez-la avec ce lien. Il est valable %(hours)s heure :",
            "Confirmez-la avec ce lien. Il est valable %(hours)s heures :",
        ],
    ),
    dict(
        msgid="Confirm my new e-mail address",
        nl="Mijn nieuwe e-mailadres bevestigen",
        en="Confirm my new e-mail address",
        fr="Confirmer ma nouvelle adresse e-mail",
    ),
    dict(
        msgid="Until then we keep writing to the address you had.",
        nl="Tot dan schrijven we naar het adres dat je had.",
        en="Until then we keep writing to the address you had.",
        fr="D’ici là, nous continuons à écrire à l’adresse que vous aviez.",
    ),
    dict(
        msgid="Did you not ask for this? Then you can ignore this e-mail: nothing "
        "changes.",
        nl="Heb je dit niet gevraagd? Dan mag je deze e-mail negeren: er "
        "verandert niets.",
        en="Did you not ask for this? Then you can ignore this e-mail: nothing "
        "changes.",
        fr="Vous n’avez rien demandé ? Vous pouvez alors ignorer cet e-mail : "
        "rien ne change.",
    ),
    dict(
        msgid="Your e-mail address for the neighbourhood watch is changed",
        nl="Je e-mailadres voor de buurtpreventie is gewijzigd",
        en="Your e-mail address for the neighbourhood watch is changed",
        fr="Votre adresse e-mail pour la prévention de quartier a été modifiée",
    ),
    dict(
        msgid="Your signup now uses this e-mail address. From now on we write to "
        "this address only; the links in e-mails to your previous address no "
        "longer work.",
        nl="Je inschrijving gebruikt nu dit e-mailadres. Vanaf nu schrijven we "
        "alleen nog naar dit adres; de links in e-mails naar je vorige adres "
        "werken niet meer.",
        en="Your signup now uses this e-mail address. From now on we write to "
        "this address only; the links in e-mails to your previous address no "
        "longer work.",
        fr="Votre inscription utilise désormais cette adresse e-mail. À partir "
        "de maintenant, nous n’écrivons plus qu’à cette adresse ; les liens des "
        "e-mails envoyés à votre adresse précédente ne fonctionnent plus.",
    ),
    dict(
        msgid="Your signup for the neighbourhood watch now uses another e-mail "
        "address (%(address)s). We no longer write to this address, and the links "
        "in our earlier e-mails to it no longer work.",
        nl="Je inschrijving bij de buurtpreventie gebruikt nu een ander "
        "e-mailadres (%(address)s). We schrijven niet meer naar dit adres, en de "
        "links in onze eerdere e-mails naar dit adres werken niet meer.",
        en="Your signup for the neighbourhood watch now uses another e-mail "
        "address (%(address)s). We no longer write to this address, and the links "
        "in our earlier e-mails to it no longer work.",
        fr="Votre inscription à la prévention de quartier utilise "
        "désormais une autre adresse e-mail (%(address)s). Nous n’écrivons plus à "
        "cette adresse-ci, et les liens de nos e-mails précédents à cette adresse "
        "ne fonctionnent plus.",
    ),
    dict(
        msgid="Did you not ask for this? Reply to this e-mail and the police zone "
        "will help you.",
        nl="Heb je dit niet gevraagd? Antwoord op deze e-mail, dan helpt de "
        "politiezone je verder.",
        en="Did you not ask for this? Reply to this e-mail and the police zone "
        "will help you.",
        fr="Vous n’avez rien demandé ? Répondez à cet e-mail et la zone de police "
        "vous aidera.",
    ),
    dict(
        msgid="Your mobile number for the neighbourhood watch is changed",
        nl="Je gsm-nummer voor de buurtpreventie is gewijzigd",
        en="Your mobile number for the neighbourhood watch is changed",
        fr="Votre numéro de GSM pour la prévention de quartier a été modifié",
    ),
    dict(
        msgid="Your signup now has a new mobile number, ending in %(digits)s.",
        nl="Je inschrijving heeft nu een nieuw gsm-nummer, dat eindigt op %(digits)s.",
        en="Your signup now has a new mobile number, ending in %(digits)s.",
        fr="Votre inscription a désormais un nouveau numéro de GSM, qui se "
        "termine par %(digits)s.",
    ),
    dict(
        msgid="We told the coordinator, who checks that your new number is in the "
        "WhatsApp group.",
        nl="We lieten het de coördinator weten, die nagaat of je nieuwe nummer in "
        "de WhatsApp-groep zit.",
        en="We told the coordinator, who checks that your new number is in the "
        "WhatsApp group.",
        fr="Nous avons prévenu le coordinateur, qui vérifie que votre nouveau "
        "numéro est dans le groupe WhatsApp.",
    ),
    dict(
        msgid="Did you not change it? Reply to this e-mail and the police zone "
        "will help you.",
        nl="Heb je het niet zelf gewijzigd? Antwoord op deze e-mail, dan helpt de "
        "politiezone je verder.",
        en="Did you not change it? Reply to this e-mail and the police zone "
        "will help you.",
        fr="Vous ne l’avez pas modifié vous-même ? Répondez à cet e-mail et la "
        "zone de police vous aidera.",
    ),
    # Mail to the coordinators
    dict(
        msgid="A member of %(group)s has a new mobile number",
        nl="Een lid van %(group)s heeft een nieuw gsm-nummer",
        en="A member of %(group)s has a new mobile number",
        fr="Un membre de %(group)s a un nouveau numéro de GSM",
    ),
    dict(
        msgid="A member of %(group)s changed their mobile number. Please check that "
        "the new number is in the WhatsApp group. WhatsApp moves a member to a new "
        "number only if they asked WhatsApp to.",
        nl="Een lid van %(group)s heeft een ander gsm-nummer. Ga na of het nieuwe "
        "nummer in de WhatsApp-groep zit. WhatsApp zet een lid alleen over naar "
        "een nieuw nummer als het lid dat zelf vroeg.",
        en="A member of %(group)s changed their mobile number. Please check that "
        "the new number is in the WhatsApp group. WhatsApp moves a member to a new "
        "number only if they asked WhatsApp to.",
        fr="Un membre de %(group)s a changé de numéro de GSM. Veuillez vérifier "
        "que le nouveau numéro est dans le groupe WhatsApp. WhatsApp ne transfère "
        "un membre vers un nouveau numéro que s’il l’a lui-même demandé.",
    ),
    dict(
        msgid="For privacy, this e-mail does not say who it is. The portal shows "
        "you the member and their new number:",
        nl="Om de privacy van het lid te beschermen, staat er geen naam in deze "
        "e-mail. Het portaal toont je het lid en het nieuwe nummer:",
        en="For privacy, this e-mail does not say who it is. The portal shows "
        "you the member and their new number:",
        fr="Pour protéger la vie privée, cet e-mail ne dit pas de qui il s’agit. "
        "Le portail vous montre le membre et son nouveau numéro :",
    ),
    dict(
        msgid="See the member",
        nl="Bekijk het lid",
        en="See the member",
        fr="Voir le membre",
    ),
]


def _french_spaces(text: str) -> str:
    """A no-break space before : ; ? ! as the French catalogue writes them."""
    for mark in ":;?!":
        text = text.replace(" " + mark, "\u00a0" + mark)
    return text


for _entry in ENTRIES:
    if isinstance(_entry["fr"], list):
        _entry["fr"] = [_french_spaces(text) for text in _entry["fr"]]
    else:
        _entry["fr"] = _french_spaces(_entry["fr"])

REMOVE = [
    # An earlier wording on this branch (never on main).
    "A member of %(group)s changed their mobile number. Please check that the new "
    "number is in the WhatsApp group: WhatsApp moves a member to a new number only "
    "if they told WhatsApp themselves.",
]
