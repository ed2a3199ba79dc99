# ruff: noqa: E501
MSGS = [
    {
        "id": "Pick the streets of %(municipality)s the group covers: the whole street, one side, or a range of house numbers (leave the numbers empty for all of them). Rows left empty are ignored; add more later on the region's page.",
        "nl": "Kies de straten van %(municipality)s waar de groep voor is: de hele straat, één kant of een reeks huisnummers. Laat de nummers leeg voor alle nummers. Lege rijen tellen niet mee. Meer straten voeg je later toe op de pagina van de wijk.",
        "en": "Pick the streets of %(municipality)s the group covers: the whole street, one side, or a range of house numbers (leave the numbers empty for all of them). Rows left empty are ignored; add more later on the region's page.",
        "fr": "Choisissez les rues de %(municipality)s couvertes par le groupe : toute la rue, un côté ou une série de numéros (laissez les numéros vides pour tous). Les lignes vides sont ignorées ; ajoutez-en d'autres plus tard sur la page du quartier.",
    },
    {
        "id": "The group's region covers no street yet, so residents would not find it. Add its streets on the region's page first, then publish the group.",
        "nl": "De wijk van de groep heeft nog geen straten, dus bewoners vinden de groep niet. Voeg eerst de straten toe op de pagina van de wijk. Zet de groep daarna in de publieke tabel.",
        "en": "The group's region covers no street yet, so residents would not find it. Add its streets on the region's page first, then publish the group.",
        "fr": "Le quartier du groupe ne couvre encore aucune rue : les habitants ne le trouveraient pas. Ajoutez d'abord ses rues sur la page du quartier, puis publiez le groupe.",
    },
    {
        "id": "%(counter)s published group covers no street: nobody finds it",
        "plural": "%(counter)s published groups cover no street: nobody finds them",
        "nl": [
            "%(counter)s gepubliceerde groep heeft geen straten: niemand vindt ze",
            "%(counter)s gepubliceerde groepen hebben geen straten: niemand vindt ze",
        ],
        "en": [
            "%(counter)s published group covers no street: nobody finds it",
            "%(counter)s published groups cover no street: nobody finds them",
        ],
        "fr": [
            "%(counter)s groupe publié ne couvre aucune rue : personne ne le trouve",
            "%(counter)s groupes publiés ne couvrent aucune rue : personne ne les trouve",
        ],
    },
    {
        "id": "%(group)s is published but its region covers no street: the finder tells its residents there is no group. Add its streets on the page of its region %(region)s.",
        "nl": "%(group)s staat in de publieke tabel, maar de wijk heeft geen straten. De zoekfunctie zegt de bewoners dus dat er geen groep is. Voeg de straten toe op de pagina van de wijk %(region)s.",
        "en": "%(group)s is published but its region covers no street: the finder tells its residents there is no group. Add its streets on the page of its region %(region)s.",
        "fr": "%(group)s est publié, mais son quartier ne couvre aucune rue : la recherche dit à ses habitants qu'il n'y a pas de groupe. Ajoutez ses rues sur la page de son quartier %(region)s.",
    },
    {
        "id": "%(street)s: %(problem)s",
        "nl": "%(street)s: %(problem)s",
        "en": "%(street)s: %(problem)s",
        "fr": "%(street)s : %(problem)s",
    },
    {
        "id": "Add its streets",
        "nl": "Straten toevoegen",
        "en": "Add its streets",
        "fr": "Ajouter ses rues",
    },
    {
        "id": "Approving creates the group, its region, and the coordinator with their login, and e-mails them an invitation. Residents find the group through its streets: give at least one to publish it at once.",
        "nl": "Goedkeuren maakt de groep, de wijk en de coördinator met een account. De coördinator krijgt een uitnodiging per e-mail. Bewoners vinden de groep via de straten: geef er minstens één om de groep meteen te publiceren.",
        "en": "Approving creates the group, its region, and the coordinator with their login, and e-mails them an invitation. Residents find the group through its streets: give at least one to publish it at once.",
        "fr": "L'approbation crée le groupe, son quartier et le coordinateur avec son compte, et lui envoie une invitation par e-mail. Les habitants trouvent le groupe par ses rues : indiquez-en au moins une pour le publier tout de suite.",
    },
    {
        "id": "Choose a street of %(municipality)s.",
        "nl": "Kies een straat van %(municipality)s.",
        "en": "Choose a street of %(municipality)s.",
        "fr": "Choisissez une rue de %(municipality)s.",
    },
    {
        "id": "Choose the street of these numbers.",
        "nl": "Kies de straat van deze nummers.",
        "en": "Choose the street of these numbers.",
        "fr": "Choisissez la rue de ces numéros.",
    },
    {
        "id": "From number",
        "nl": "Vanaf nummer",
        "en": "From number",
        "fr": "À partir du numéro",
    },
    {
        "id": "To number",
        "nl": "Tot en met nummer",
        "en": "To number",
        "fr": "Jusqu'au numéro",
    },
    {
        "id": "House numbers",
        "nl": "Huisnummers",
        "en": "House numbers",
        "fr": "Numéros",
    },
    {"id": "Its streets", "nl": "De straten", "en": "Its streets", "fr": "Ses rues"},
    {
        "id": "Only when its region covers at least one street: residents find a group through its streets.",
        "nl": "Alleen als de wijk minstens één straat heeft: bewoners vinden een groep via de straten.",
        "en": "Only when its region covers at least one street: residents find a group through its streets.",
        "fr": "Seulement si son quartier couvre au moins une rue : les habitants trouvent un groupe par ses rues.",
    },
    {
        "id": "Show the group in the public table and the finder at once",
        "nl": "Toon de groep meteen in de publieke tabel en de zoekfunctie",
        "en": "Show the group in the public table and the finder at once",
        "fr": "Afficher tout de suite le groupe dans le tableau public et la recherche",
    },
    {
        "id": "Street %(number)s",
        "nl": "Straat %(number)s",
        "en": "Street %(number)s",
        "fr": "Rue %(number)s",
    },
    {
        "id": "The group %(group)s was founded and published, and %(name)s was invited as its coordinator. Residents of its streets find it now.",
        "nl": "De groep %(group)s is opgericht en staat in de publieke tabel. %(name)s is uitgenodigd als coördinator. Bewoners van de straten vinden de groep nu.",
        "en": "The group %(group)s was founded and published, and %(name)s was invited as its coordinator. Residents of its streets find it now.",
        "fr": "Le groupe %(group)s a été créé et publié, et %(name)s a été invité comme coordinateur. Les habitants de ses rues le trouvent maintenant.",
    },
    {"id": "The group", "nl": "De groep", "en": "The group", "fr": "Le groupe"},
    {
        "id": "User name or e-mail address",
        "nl": "Gebruikersnaam of e-mailadres",
        "en": "User name or e-mail address",
        "fr": "Nom d'utilisateur ou adresse e-mail",
    },
    {
        "id": "covers no street",
        "nl": "heeft geen straten",
        "en": "covers no street",
        "fr": "ne couvre aucune rue",
    },
    {
        "id": "covers streets",
        "nl": "heeft straten",
        "en": "covers streets",
        "fr": "couvre des rues",
    },
    {
        "id": '{group} covers no street yet, so it stays hidden and nobody finds it. Add its streets on the page of its region <a href="{url}">{region}</a>, then publish it.',
        "nl": '{group} heeft nog geen straten. De groep blijft dus verborgen en niemand vindt ze. Voeg de straten toe op de pagina van de wijk <a href="{url}">{region}</a> en publiceer de groep daarna.',
        "en": '{group} covers no street yet, so it stays hidden and nobody finds it. Add its streets on the page of its region <a href="{url}">{region}</a>, then publish it.',
        "fr": '{group} ne couvre encore aucune rue : il reste masqué et personne ne le trouve. Ajoutez ses rues sur la page de son quartier <a href="{url}">{region}</a>, puis publiez-le.',
    },
]

REMOVE = [
    "Approving creates the group (hidden until you publish it), its region, and the coordinator with their login, and e-mails them an invitation.",
]
