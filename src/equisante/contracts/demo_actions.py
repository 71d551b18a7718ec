"""The action sheets of the demonstration contracts: a pool of fictional actions written for equisante,
each coded on the grid (v1). Placeholders: ``{ville}`` (the town), ``{quartier}`` (a priority
neighbourhood of the perimeter, or « les quartiers prioritaires »).

Each entry: axis key, title, objectives, description, quantified target (may be empty), publics,
lead and partner roles (see :data:`ROLES`), determinants, strategies (empty = not specified),
approach (``GD``, ``U``, ``UP`` or None), themes, facts (ISTS contribution stated, residents take
part, evaluation planned) and a budget in euros. Nothing here describes a real action.
"""

from __future__ import annotations

from typing import NamedTuple

#: Strategic axes of the demonstration contracts: key → title.
AXES = {
    "acces": "Améliorer l'accès aux droits et aux soins",
    "enfance": "Agir dès la petite enfance et auprès des jeunes",
    "mentale": "Promouvoir la santé mentale",
    "cadre": "Un cadre de vie favorable à la santé",
    "prevention": "Prévention et promotion de la santé",
    "vieillir": "Bien vieillir sur le territoire",
    "pilotage": "Observer, coordonner et évaluer",
}

#: Actor roles: key → (name pattern, sector, kind). ``{ville}`` is the contract's town, ``{dep}`` its
#: département.
ROLES = {
    "ars": ("Agence régionale de santé de démonstration", "sante", "agence régionale de santé"),
    "ville": ("Ville de {ville}", "collectivite", "commune"),
    "ccas": ("CCAS de {ville}", "social", "centre communal d'action sociale"),
    "cms": ("Centre municipal de santé de {ville}", "sante", "centre de santé"),
    "centre-social": ("Centre social de {ville}", "social", "centre social"),
    "cpam": ("Caisse primaire d'assurance maladie — {dep}", "protection-sociale", "assurance maladie"),
    "caf": ("Caisse d'allocations familiales — {dep}", "protection-sociale", "allocations familiales"),
    "departement": ("Conseil départemental — {dep}", "collectivite", "département"),
    "pmi": ("Protection maternelle et infantile — {dep}", "sante", "service départemental"),
    "prefecture": ("Préfecture — {dep}", "etat", "services de l'État"),
    "education": ("Services de l'Éducation nationale — {dep}", "education", "éducation nationale"),
    "hopital": ("Centre hospitalier de {ville}", "sante", "établissement de santé"),
    "cmp": ("Centre médico-psychologique de {ville}", "sante", "psychiatrie de secteur"),
    "mission-locale": ("Mission locale de {ville}", "emploi-insertion", "insertion des jeunes"),
    "bailleur": ("Office public de l'habitat de {ville}", "logement", "bailleur social"),
    "schs": ("Service communal d'hygiène et de santé de {ville}", "collectivite", "service municipal"),
    "urbanisme": ("Service urbanisme et environnement de {ville}", "urbanisme-environnement", "service municipal"),
    "sport": ("Union sportive de {ville}", "culture-sport-loisirs", "association sportive"),
    "femmes-relais": ("Association des femmes-relais de {ville}", "associatif", "médiation sociale"),
    "csapa": ("Centre de soins en addictologie de {ville}", "sante", "CSAPA"),
    "ireps": ("Instance régionale d'éducation et de promotion de la santé", "recherche-appui", "appui méthodologique"),
    "cpts": ("Communauté professionnelle territoriale de santé de {ville}", "sante", "CPTS"),
    "epicerie": ("Épicerie solidaire de {ville}", "associatif", "aide alimentaire"),
    "conseil-citoyen": ("Conseil citoyen de {ville}", "associatif", "habitants"),
    "clic": ("Centre local d'information et de coordination gérontologique de {ville}", "social", "CLIC"),
    "universite": ("Université de démonstration", "recherche-appui", "recherche"),
    "culture": ("Médiathèque de {ville}", "culture-sport-loisirs", "équipement culturel"),
}


class DemoAction(NamedTuple):
    axis: str
    title: str
    objectives: str
    description: str
    target: str
    publics: tuple[str, ...]
    lead: str
    partners: tuple[str, ...]
    determinants: tuple[str, ...]
    strategies: tuple[str, ...]
    approach: str | None
    themes: tuple[str, ...]
    ists: bool | None
    residents: bool | None
    evaluation: bool | None
    budget: int


A = DemoAction
ACTIONS: list[DemoAction] = [
    # --- accès aux droits et aux soins ---------------------------------------------------------------
    A("acces", "Permanence d'accès aux droits de santé à {quartier}",
      "Réduire le non-recours à l'assurance maladie et à la complémentaire santé solidaire.",
      "Une conseillère de l'assurance maladie et une travailleuse sociale tiennent chaque semaine une permanence "
      "sans rendez-vous au centre social : ouverture des droits, dossiers de complémentaire santé, orientation vers "
      "un médecin traitant.", "250 dossiers ouverts ou renouvelés par an",
      ("Habitants sans couverture complète", "Familles monoparentales"), "ccas", ("cpam", "centre-social"),
      ("D5.1.2", "D5.1.3.1"), ("S4.1.1", "S4.1.5"), "GD", ("acces-aux-soins",), True, False, True, 18000),
    A("acces", "Médiation en santé dans les quartiers prioritaires",
      "Accompagner les habitants éloignés du soin jusqu'à une prise en charge effective.",
      "Deux médiatrices en santé vont à la rencontre des habitants (marchés, halls d'immeubles, associations), "
      "expliquent le système de soins, prennent les rendez-vous avec eux et les accompagnent si besoin.",
      "400 personnes accompagnées par an, dont 60 % avec un rendez-vous honoré",
      ("Habitants des quartiers prioritaires", "Personnes allophones"), "ville", ("femmes-relais", "cpam", "cms"),
      ("D5.1.4", "D4.3.1"), ("S4.1.3", "S4.1.5"), "GD", ("acces-aux-soins",), True, True, True, 62000),
    A("acces", "Interprétariat professionnel au centre municipal de santé",
      "Permettre des consultations comprises par les patients qui ne parlent pas français.",
      "Le centre de santé dispose d'un service d'interprétariat par téléphone et de vacations d'interprètes sur "
      "place pour les consultations de médecine générale et de protection maternelle.", "",
      ("Patients allophones",), "cms", ("ars",), ("D5.1.4",), ("S4.1.6",), "GD", ("acces-aux-soins",),
      True, None, None, 9000),
    A("acces", "Aide à l'installation de médecins généralistes",
      "Maintenir une offre de médecine générale de proximité dans un secteur sous-doté.",
      "La ville met à disposition des locaux à loyer modéré dans la future maison de santé, accueille des internes "
      "en stage et facilite le logement des jeunes médecins.", "3 médecins installés d'ici la fin du contrat",
      ("Ensemble de la population",), "ville", ("ars", "cpts"), ("D5.1.1",), ("S4.4.3.1", "S4.2.1"), "U",
      ("acces-aux-soins", "amelioration-systeme-soins"), None, None, True, 120000),
    A("acces", "Transport solidaire vers les consultations spécialisées",
      "Lever l'obstacle du déplacement vers l'hôpital pour les personnes sans véhicule.",
      "Un service de transport à la demande conduit les personnes âgées ou sans véhicule vers les consultations "
      "hospitalières ; le reste à charge est pris en charge par le CCAS selon les ressources.", "",
      ("Personnes sans véhicule", "Personnes âgées isolées"), "ccas", ("hopital",), ("D5.1.3.2", "D2.2.5"),
      ("S3.2",), "UP", ("acces-aux-soins",), True, None, None, 15000),
    A("acces", "Bilan de santé gratuit pour les allocataires du RSA",
      "Proposer un examen de prévention aux personnes en insertion qui ne consultent plus.",
      "Les référents d'insertion proposent un bilan de santé au centre d'examens de l'assurance maladie ; une "
      "infirmière assure ensuite le suivi des orientations.", "150 bilans par an",
      ("Allocataires du RSA",), "departement", ("cpam",), ("D4.3.2", "D5.1.5.3"), ("S4.3.1", "S4.1.5"), "GD",
      ("acces-aux-soins",), True, None, True, 11000),
    A("acces", "Guide local des ressources en santé en plusieurs langues",
      "Faire connaître l'offre de soins et d'accompagnement du territoire.",
      "Rédaction avec les habitants d'un guide illustré des lieux de soins, de prévention et d'accès aux droits, "
      "traduit en cinq langues et diffusé par les associations.", "",
      ("Habitants", "Professionnels de l'accueil"), "ville", ("conseil-citoyen", "femmes-relais"),
      ("D4.2.1", "D5.1.4"), ("S4.1.3", "S1.1"), "UP", ("acces-aux-soins",), None, True, None, 6000),
    A("acces", "Consultations avancées de cardiologie au centre de santé",
      "Rapprocher les consultations spécialisées des habitants.",
      "Un cardiologue du centre hospitalier assure deux demi-journées par mois de consultation au centre municipal "
      "de santé, avec les examens de base sur place.", "",
      ("Patients atteints de maladies chroniques",), "hopital", ("cms",), ("D5.1.1", "D5.4.3"), ("S4.1.1", "S4.2.2"),
      "U", ("maladies-cv-metaboliques", "acces-aux-soins"), None, None, None, 20000),
    A("acces", "Soutien au fonctionnement de la maison de santé",
      "Pérenniser l'équipe pluriprofessionnelle de la maison de santé.",
      "Subvention de fonctionnement et mise à disposition de locaux pour la coordination de la maison de santé "
      "pluriprofessionnelle.", "", ("Patientèle de la maison de santé",), "ville", ("ars",), ("D5.1.1",), (), None,
      ("amelioration-systeme-soins",), None, None, None, 30000),
    # --- petite enfance et jeunes --------------------------------------------------------------------
    A("enfance", "Accompagnement des femmes enceintes en situation de vulnérabilité",
      "Éviter les ruptures de suivi pendant la grossesse et après la naissance.",
      "Une sage-femme référente repère avec les services sociaux les futures mères isolées ou sans droits, organise "
      "le suivi avec la maternité et la PMI et accompagne le retour à domicile.",
      "90 % des femmes repérées suivies jusqu'à la visite post-natale",
      ("Femmes enceintes vulnérables", "Jeunes mères isolées"), "pmi", ("hopital", "ccas"),
      ("D5.4.2", "D5.2.3"), ("S4.2.2", "S4.1.5"), "GD", ("sante-femmes-enfants",), True, None, True, 40000),
    A("enfance", "Dépistage bucco-dentaire dans les écoles maternelles",
      "Repérer tôt les caries et orienter vers les soins.",
      "Des chirurgiens-dentistes examinent les enfants de moyenne section dans toutes les écoles de la ville, avec "
      "un passage renforcé et une relance des familles dans les écoles de l'éducation prioritaire.",
      "Tous les enfants de moyenne section examinés ; 70 % des enfants orientés vus par un dentiste",
      ("Enfants de 4 ans", "Parents"), "cms", ("education",), ("D4.3.2", "D5.2.2"), ("S4.1.1", "S4.3.1"), "UP",
      ("sante-bucco-dentaire", "sante-femmes-enfants"), True, None, True, 14000),
    A("enfance", "Ateliers parents-enfants autour du langage et du jeu",
      "Soutenir les parents de jeunes enfants et prévenir leur isolement.",
      "Des ateliers hebdomadaires à la médiathèque et au centre social réunissent parents et enfants de moins de "
      "trois ans autour de la lecture, du jeu et des questions de santé du quotidien.", "",
      ("Parents d'enfants de moins de 3 ans",), "centre-social", ("culture", "pmi"), ("D4.2.3", "D3.1"),
      ("S1.2", "S2.1"), "UP", ("sante-femmes-enfants", "sante-bien-etre"), None, True, None, 8000),
    A("enfance", "Programme de développement des compétences psychosociales au collège",
      "Renforcer l'estime de soi, la gestion des émotions et la résolution de conflits.",
      "Des séances animées avec les enseignants en classes de sixième et de cinquième, dans les collèges de "
      "l'éducation prioritaire d'abord puis dans tous les collèges de la ville.",
      "12 classes par an, 300 élèves",
      ("Collégiens",), "education", ("ireps",), ("D4.2.2",), ("S1.2", "S5.1.4"), "UP",
      ("sante-mentale", "conduites-a-risque"), True, None, True, 12000),
    A("enfance", "Point écoute jeunes",
      "Offrir aux jeunes un lieu d'écoute anonyme et gratuit.",
      "Un psychologue et un éducateur reçoivent sans rendez-vous les jeunes de 12 à 25 ans et leurs parents, en "
      "centre-ville et lors de permanences à la mission locale.", "",
      ("Jeunes de 12 à 25 ans", "Parents"), "ville", ("mission-locale", "cmp"), ("D5.1.1", "D4.2.2"),
      ("S4.1.2", "S4.1.4"), "U", ("sante-mentale",), None, None, None, 35000),
    A("enfance", "Éducation à la vie affective et sexuelle dans les lycées professionnels",
      "Améliorer les connaissances sur la contraception et les infections sexuellement transmissibles.",
      "Interventions en petits groupes de l'équipe du centre de santé sexuelle, avec accès facilité aux "
      "consultations.", "", ("Lycéens",), "departement", ("education", "cms"), ("D4.1.4", "D4.2.1"),
      ("S1.2", "S4.1.1"), "GD", ("sante-sexuelle-affective",), None, None, True, 7000),
    A("enfance", "Santé des jeunes en insertion",
      "Intégrer la santé dans l'accompagnement des jeunes suivis par la mission locale.",
      "Bilans de santé, ateliers sur le sommeil et l'alimentation, accès aux droits et orientation vers un médecin "
      "pour les jeunes en parcours d'insertion.", "100 jeunes par an",
      ("Jeunes de 16 à 25 ans en insertion",), "mission-locale", ("cpam",), ("D2.3.2", "D4.3.1"),
      ("S4.1.5", "S1.2"), "GD", ("acces-aux-soins", "sante-bien-etre"), True, None, None, 16000),
    A("enfance", "Vaccination de rattrapage des enfants",
      "Améliorer la couverture vaccinale des enfants de moins de six ans.",
      "Séances de vaccination gratuites au centre de santé et dans les écoles, avec vérification des carnets lors "
      "des inscriptions scolaires.", "Couverture rougeole-oreillons-rubéole à 95 %",
      ("Enfants de moins de 6 ans",), "cms", ("pmi", "education"), ("D4.3.2",), ("S4.3.1", "S4.1.1"), "U",
      ("vaccin", "sante-femmes-enfants"), None, None, True, 5000),
    A("enfance", "Prévention du surpoids chez les enfants de l'éducation prioritaire",
      "Favoriser une alimentation équilibrée et l'activité physique dès l'école primaire.",
      "Petits déjeuners pédagogiques, ateliers cuisine avec les familles et séances sportives après la classe dans "
      "les écoles de l'éducation prioritaire.", "", ("Écoliers", "Familles"), "ville", ("education", "sport"),
      ("D4.1.5", "D4.1.6"), ("S1.2", "S2.1"), "GD", ("nutrition", "maladies-cv-metaboliques"), True, True, None,
      22000),
    # --- santé mentale -------------------------------------------------------------------------------
    A("mentale", "Conseil local de santé mentale",
      "Coordonner les acteurs de la psychiatrie, du social et du logement autour des situations complexes.",
      "Le conseil réunit la ville, le secteur psychiatrique, les bailleurs et les associations d'usagers ; une "
      "cellule examine chaque mois les situations individuelles difficiles.", "",
      ("Personnes souffrant de troubles psychiques", "Proches aidants"), "ville", ("cmp", "bailleur", "ccas"),
      ("D5.2.1", "D6.3"), ("S5.1.3", "S5.1.2"), "U", ("sante-mentale",), None, None, None, 25000),
    A("mentale", "Formation aux premiers secours en santé mentale",
      "Aider les professionnels de première ligne à repérer et orienter les personnes en souffrance psychique.",
      "Sessions de formation de deux jours pour les agents d'accueil, les gardiens d'immeuble et les animateurs.",
      "80 personnes formées en trois ans", ("Professionnels de première ligne",), "ville", ("ireps", "bailleur"),
      ("D5.1.5.3",), ("S5.1.4",), "U", ("sante-mentale",), None, None, True, 9000),
    A("mentale", "Groupes d'entraide mutuelle",
      "Rompre l'isolement des personnes vivant avec un trouble psychique.",
      "Soutien à un lieu d'accueil géré par et pour les personnes concernées : activités collectives, sorties, "
      "entraide.", "", ("Personnes vivant avec un trouble psychique",), "conseil-citoyen", ("cmp",),
      ("D3.1", "D3.3.2"), ("S2.3",), "GD", ("sante-mentale", "sante-bien-etre"), None, True, None, 18000),
    A("mentale", "Équipe mobile psychiatrie précarité",
      "Aller vers les personnes sans domicile présentant des troubles psychiques.",
      "Une équipe infirmière de psychiatrie se rend dans les accueils de jour et les hébergements d'urgence pour "
      "évaluer, orienter et accompagner vers les soins.", "",
      ("Personnes sans domicile", "Personnes hébergées"), "hopital", ("ccas",), ("D5.1.1", "D5.1.5.3"),
      ("S4.1.1",), "GD", ("sante-mentale", "acces-aux-soins"), True, None, None, 70000),
    A("mentale", "Semaines d'information sur la santé mentale",
      "Changer le regard sur les troubles psychiques.",
      "Programme annuel de conférences, projections et expositions ouvertes à tous, co-construit avec les "
      "associations d'usagers.", "", ("Tout public",), "ville", ("cmp", "culture"), ("D3.2", "D4.2.1"), ("S1.1",),
      "U", ("sante-mentale",), None, True, None, 4000),
    # --- cadre de vie --------------------------------------------------------------------------------
    A("cadre", "Lutte contre l'habitat indigne",
      "Repérer et traiter les logements insalubres.",
      "Le service d'hygiène visite les logements signalés, prend les arrêtés nécessaires et accompagne les "
      "propriétaires vers les aides aux travaux ; les familles exposées au plomb sont suivies par la PMI.",
      "60 logements traités par an", ("Locataires du parc privé dégradé", "Enfants exposés au plomb"), "schs",
      ("bailleur", "pmi", "prefecture"), ("D2.2.4",), ("S3.1", "S5.1.2"), "GD", ("sante-environnement",), True,
      None, True, 50000),
    A("cadre", "Qualité de l'air intérieur dans les crèches et écoles",
      "Réduire l'exposition des jeunes enfants aux polluants de l'air intérieur.",
      "Campagnes de mesure, conseils d'aération et choix de produits d'entretien moins émissifs pour les "
      "établissements d'accueil des jeunes enfants.", "", ("Jeunes enfants", "Personnels des crèches"),
      "urbanisme", ("education",), ("D2.2.4", "D2.2.1"), ("S3.1", "S1.1"), "U",
      ("sante-environnement", "sante-femmes-enfants"), None, None, True, 12000),
    A("cadre", "Évaluation d'impact sur la santé du projet de rénovation urbaine",
      "Prendre en compte la santé dans la conception du nouveau quartier.",
      "Une évaluation d'impact sur la santé accompagne le projet de renouvellement urbain : mobilités, espaces "
      "verts, bruit, accès aux commerces alimentaires ; ses recommandations sont présentées aux habitants.", "",
      ("Habitants du quartier en rénovation",), "urbanisme", ("ars", "universite", "conseil-citoyen"),
      ("D2.2.5", "D6.3"), ("S5.2.4",), "GD", ("sante-environnement",), True, True, True, 35000),
    A("cadre", "Jardins partagés au pied des immeubles",
      "Créer du lien et favoriser une alimentation de qualité.",
      "Aménagement de parcelles cultivées par les habitants avec l'appui du bailleur et d'une animatrice ; "
      "ateliers de cuisine des récoltes.", "", ("Habitants du parc social",), "bailleur",
      ("centre-social", "conseil-citoyen"), ("D3.1", "D2.3.4"), ("S2.1", "S3.3"), "GD",
      ("nutrition", "sante-bien-etre"), None, True, None, 10000),
    A("cadre", "Précarité énergétique et santé",
      "Réduire les effets sur la santé du froid et de l'humidité dans les logements.",
      "Des visites à domicile repèrent les ménages en précarité énergétique ; ils reçoivent des petits équipements, "
      "des conseils et sont orientés vers les aides à la rénovation.", "200 ménages visités",
      ("Ménages modestes",), "ccas", ("bailleur", "schs"), ("D2.2.4", "D1.1"), ("S3.2", "S4.1.5"), "GD",
      ("sante-environnement",), True, None, None, 24000),
    A("cadre", "Pistes cyclables et itinéraires piétons vers les écoles",
      "Favoriser les déplacements actifs au quotidien.",
      "Aménagement d'itinéraires sécurisés entre les quartiers et les écoles, accompagné d'ateliers de remise en "
      "selle.", "", ("Écoliers", "Habitants"), "urbanisme", ("education", "sport"), ("D2.2.5", "D4.1.6"),
      ("S3.1", "S5.3"), "U", ("sante-environnement", "nutrition"), None, None, None, 150000),
    A("cadre", "Lutte contre le moustique tigre",
      "Limiter la prolifération des moustiques vecteurs de maladies.",
      "Information des habitants sur la suppression des eaux stagnantes et interventions ciblées dans les espaces "
      "publics.", "", ("Tout public",), "schs", (), ("D2.2.3",), ("S1.1",), "U", ("sante-environnement",), None,
      None, None, 3000),
    # --- prévention et promotion de la santé ---------------------------------------------------------
    A("prevention", "Dépistage organisé des cancers : aller vers les femmes des quartiers",
      "Augmenter la participation au dépistage du cancer du sein et du col de l'utérus.",
      "Des femmes-relais animent des cafés-santé, accompagnent aux rendez-vous de mammographie et un bus de "
      "prévention stationne dans les quartiers prioritaires.", "Participation portée de 38 % à 50 %",
      ("Femmes de 25 à 74 ans des quartiers prioritaires",), "femmes-relais", ("cpam", "hopital"),
      ("D4.3.2",), ("S4.1.1", "S4.1.3", "S2.2"), "GD", ("cancer", "sante-femmes-enfants"), True, True, True, 17000),
    A("prevention", "Ateliers cuisine à petit budget",
      "Aider les familles à préparer des repas équilibrés avec un budget réduit.",
      "Ateliers mensuels à l'épicerie solidaire, animés par une diététicienne, avec des recettes à partir des "
      "produits disponibles.", "", ("Familles bénéficiaires de l'aide alimentaire",), "epicerie",
      ("centre-social",), ("D4.1.5", "D2.3.4"), ("S1.2",), "GD", ("nutrition",), None, True, None, 5000),
    A("prevention", "Sport sur ordonnance",
      "Permettre aux personnes atteintes de maladies chroniques de reprendre une activité physique adaptée.",
      "Les médecins prescrivent des séances encadrées par des éducateurs sportifs formés ; un tarif solidaire est "
      "appliqué selon les ressources.", "120 personnes par an", ("Personnes atteintes de maladies chroniques",),
      "sport", ("cms", "cpts"), ("D4.1.6",), ("S3.3", "S4.2.2"), "UP", ("maladies-cv-metaboliques", "nutrition"),
      None, None, True, 26000),
    A("prevention", "Mois sans tabac dans les structures d'insertion",
      "Aider les personnes en insertion à arrêter de fumer.",
      "Stands d'information, consultations d'aide à l'arrêt et substituts nicotiniques gratuits dans les "
      "chantiers d'insertion et à la mission locale.", "", ("Personnes en insertion",), "csapa",
      ("mission-locale",), ("D4.1.2",), ("S1.1", "S4.1.1"), "GD", ("addictions",), None, None, None, 4000),
    A("prevention", "Réduction des risques en milieu festif",
      "Prévenir les dommages liés à l'alcool et aux drogues lors des événements.",
      "Une équipe d'intervenants et de pairs tient des stands de réduction des risques lors des fêtes et "
      "concerts.", "", ("Jeunes adultes",), "csapa", ("ville",), ("D4.1.1", "D4.1.3"), ("S2.2", "S1.1"), "U",
      ("addictions", "conduites-a-risque"), None, None, None, 6000),
    A("prevention", "Éducation thérapeutique des patients diabétiques",
      "Aider les patients à gérer leur diabète au quotidien.",
      "Programme d'éducation thérapeutique en groupe, proposé en plusieurs langues et le samedi, au centre de "
      "santé.", "", ("Patients diabétiques",), "cms", ("hopital",), ("D4.2.3",), ("S1.2", "S4.1.6"), "UP",
      ("maladies-cv-metaboliques",), None, None, True, 15000),
    A("prevention", "Dépistage de la tuberculose dans les foyers",
      "Repérer et traiter précocement la tuberculose.",
      "Le centre de lutte antituberculeuse organise des séances de radiographie dans les foyers de travailleurs "
      "migrants et les hébergements d'urgence.", "", ("Résidents des foyers", "Personnes hébergées"), "departement",
      ("ars",), ("D4.3.2", "D5.1.1"), ("S4.1.1", "S4.3.1"), "GD", ("tuberculose",), True, None, None, 8000),
    A("prevention", "Centre de santé sexuelle : consultations sans rendez-vous",
      "Faciliter l'accès au dépistage des infections sexuellement transmissibles et à la contraception.",
      "Ouverture de plages sans rendez-vous en soirée et consultations gratuites pour les moins de 26 ans.", "",
      ("Jeunes", "Personnes exposées"), "departement", ("cms",), ("D5.1.5.1", "D4.1.4"), ("S4.1.6",), "U",
      ("sante-sexuelle-affective",), None, None, None, 12000),
    A("prevention", "Vaccination contre le papillomavirus au collège",
      "Augmenter la couverture vaccinale des collégiens.",
      "Campagne de vaccination dans tous les collèges, avec une information renforcée des familles et des séances "
      "supplémentaires dans les collèges de l'éducation prioritaire.", "Couverture de 50 % en classe de cinquième",
      ("Collégiens", "Parents"), "education", ("cms", "ars"), ("D4.3.2",), ("S4.3.1", "S4.1.1", "S1.1"), "UP",
      ("vaccin", "cancer"), True, None, True, 10000),
    A("prevention", "Marches santé dans les quartiers",
      "Faire bouger les habitants les plus sédentaires.",
      "Deux marches hebdomadaires encadrées partent du centre social ; elles sont l'occasion d'échanges sur la "
      "santé.", "", ("Habitants sédentaires",), "centre-social", ("sport",), ("D4.1.6", "D3.1"), ("S2.1",), "GD",
      ("nutrition", "sante-bien-etre"), None, True, None, 2000),
    A("prevention", "Subvention aux associations de prévention",
      "Soutenir les actions des associations locales.",
      "Enveloppe annuelle répartie entre les associations qui mènent des actions de prévention sur le territoire.",
      "", ("Associations",), "ville", (), ("D6.2",), (), None, ("autres",), None, None, None, 20000),
    # --- bien vieillir -------------------------------------------------------------------------------
    A("vieillir", "Prévention des chutes à domicile",
      "Réduire les chutes des personnes âgées vivant seules.",
      "Visites d'un ergothérapeute, petits aménagements du logement financés par la caisse de retraite et ateliers "
      "d'équilibre.", "150 logements adaptés", ("Personnes de plus de 70 ans vivant seules",), "clic",
      ("bailleur", "ccas"), ("D2.2.4", "D4.1.7"), ("S3.1", "S1.2"), "UP", ("sante-bien-etre",), None, None, True,
      30000),
    A("vieillir", "Lutte contre l'isolement des aînés",
      "Recréer des liens autour des personnes âgées isolées.",
      "Un réseau de bénévoles rend visite chaque semaine aux personnes âgées isolées repérées par le CCAS et les "
      "gardiens d'immeuble ; des repas partagés sont organisés.", "",
      ("Personnes âgées isolées",), "ccas", ("bailleur", "conseil-citoyen"), ("D3.1",), ("S2.1",), "GD",
      ("sante-bien-etre", "sante-mentale"), None, True, None, 9000),
    A("vieillir", "Ateliers mémoire et nutrition pour les retraités",
      "Maintenir l'autonomie des retraités.",
      "Cycles d'ateliers ouverts à tous les retraités, avec des places réservées et un transport pour ceux des "
      "quartiers prioritaires.", "", ("Retraités",), "clic", ("centre-social",), ("D4.2.1", "D4.1.5"), ("S1.2",),
      "UP", ("sante-bien-etre", "nutrition"), True, None, None, 7000),
    A("vieillir", "Coordination du parcours des personnes âgées fragiles",
      "Éviter les hospitalisations évitables et les ruptures de parcours.",
      "Une coordinatrice organise les échanges entre médecins traitants, infirmiers, services d'aide à domicile et "
      "hôpital pour les personnes âgées fragiles.", "", ("Personnes âgées fragiles",), "cpts",
      ("hopital", "clic"), ("D5.4.1", "D5.2.1"), ("S4.2.2", "S4.2.3"), "U", ("amelioration-systeme-soins",), None,
      None, True, 40000),
    A("vieillir", "Soutien aux proches aidants",
      "Prévenir l'épuisement des aidants.",
      "Groupes de parole, formations courtes et solutions de répit pour les proches de personnes dépendantes.", "",
      ("Proches aidants",), "clic", ("ccas",), ("D4.2.3", "D3.1"), ("S4.1.4", "S2.3"), "U",
      ("sante-bien-etre", "sante-mentale"), None, None, None, 11000),
    # --- observer, coordonner, évaluer ---------------------------------------------------------------
    A("pilotage", "Diagnostic local de santé partagé",
      "Actualiser la connaissance de la santé des habitants et de ses déterminants.",
      "Analyse des données sanitaires et sociales par quartier, enquête auprès des habitants et réunions avec les "
      "professionnels ; restitution publique des résultats.", "",
      ("Habitants", "Professionnels"), "ville", ("ars", "universite", "conseil-citoyen"), (),
      ("S5.2.1",), None, (), True, True, None, 30000),
    A("pilotage", "Coordination du contrat local de santé",
      "Animer le contrat et ses groupes de travail.",
      "La coordinatrice prépare les comités, anime les groupes de travail thématiques, suit les fiches-action et "
      "rédige le bilan annuel.", "", ("Partenaires du contrat",), "ville", ("ars",), ("D6.2",), ("S5.1.2",), None,
      (), None, None, True, 45000),
    A("pilotage", "Participation des habitants au suivi du contrat",
      "Associer les habitants aux décisions du contrat.",
      "Un groupe d'habitants issu du conseil citoyen participe au comité de pilotage, donne son avis sur les "
      "fiches-action et relaie les besoins des quartiers.", "", ("Habitants des quartiers prioritaires",),
      "conseil-citoyen", ("ville",), ("D3.3.1",), ("S2.1", "S2.3"), "GD", (), True, True, None, 3000),
    A("pilotage", "Évaluation du contrat et de ses effets sur les inégalités",
      "Mesurer ce que le contrat change pour les habitants les plus défavorisés.",
      "Une équipe universitaire accompagne l'évaluation : indicateurs de résultats intermédiaires par quartier, "
      "entretiens avec les partenaires, évaluation de trois actions pilotes.", "",
      ("Partenaires du contrat",), "ars", ("universite", "ireps"), (), ("S5.2.3",), None, (), True, None, True,
      25000),
    A("pilotage", "Formation des élus et des cadres aux déterminants de la santé",
      "Faire prendre en compte la santé dans toutes les politiques municipales.",
      "Séminaires pour les élus et les directeurs de service sur les inégalités sociales de santé et leurs "
      "déterminants (logement, éducation, emploi, urbanisme).", "", ("Élus", "Cadres territoriaux"), "ireps",
      ("ville",), ("D6.3",), ("S5.1.4",), None, (), True, None, None, 6000),
    A("pilotage", "Charte santé du contrat de ville",
      "Inscrire la santé dans le contrat de ville.",
      "La santé devient un axe transversal du contrat de ville ; les appels à projets de la politique de la ville "
      "demandent l'effet attendu de chaque projet sur la santé.", "", ("Porteurs de projets",), "prefecture",
      ("ville",), ("D6.3",), ("S5.3",), None, (), True, None, None, 0),
    A("pilotage", "Observatoire local de la santé",
      "Suivre chaque année quelques indicateurs de santé par quartier.",
      "Tableau de bord annuel croisant données de l'assurance maladie, de la PMI et de l'éducation nationale, "
      "présenté au comité de pilotage.", "", ("Partenaires du contrat",), "ville", ("cpam", "departement"), (),
      ("S5.2.1",), None, (), None, None, True, 8000),
]
