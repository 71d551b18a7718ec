"""Catalogue entries of the demonstration territory (French titles and messages).

Every code starts with ``demo_``.
"""

from equisante.errors import declare

declare("demo_exists", "Territoire de démonstration déjà chargé",
        "La base contient déjà la région de démonstration « {name} » ({code}, {communes} communes) : "
        "rien n'a été modifié. Relancer avec --replace pour la remplacer (ses indicateurs et valeurs "
        "fictifs sont supprimés puis recréés), ou --if-empty pour ne rien faire quand la base contient "
        "déjà des territoires.")
declare("demo_parameters_invalid", "Paramètres de démonstration invalides",
        "{reason}")
