"""Catalogue entries of the HTTP API and the open-data catalogue (codes prefixed ``api_``), in French.

Every error answered by the API carries one of these codes in its body (``code``), with the title
and the message of the catalogue; the OpenAPI description lists them for each status.
"""

from equisante.errors import declare

declare("api_parameter_invalid", "Paramètre invalide",
        "Le paramètre « {parameter} » est invalide : {reason}.")
declare("api_request_invalid", "Requête invalide",
        "La requête ne peut pas être lue : {reason}.")
declare("api_token_missing", "Jeton d'accès requis",
        "Cette opération demande un jeton d'accès personnel (en-tête « Authorization: Bearer <jeton> ») ; "
        "créez-en un sur la page « Mon compte » du site.")
declare("api_token_invalid", "Jeton d'accès refusé",
        "Le jeton d'accès présenté est inconnu ou a été révoqué ; créez-en un nouveau sur la page « Mon compte ».")
declare("api_forbidden", "Opération non autorisée",
        "Le compte « {user} » n'a pas le droit de {action}.")
declare("api_not_found", "Ressource introuvable",
        "{what} n'existe pas ou n'est pas publié.")
declare("api_path_unknown", "Adresse inconnue",
        "Aucune ressource de l'API ne répond à l'adresse « {path} » ; la liste des opérations est décrite "
        "dans /api/openapi.json et sur /api/docs.")
declare("api_method_not_allowed", "Méthode non autorisée",
        "La méthode {method} n'est pas acceptée à l'adresse « {path} ».")
declare("api_rate_limited", "Trop de requêtes",
        "Limite de {limit} requêtes par minute atteinte pour ce client ; réessayez dans {retry} secondes.")
declare("api_allocation_impossible", "Répartition impossible",
        "La répartition du scénario « {name} » ne peut pas être calculée avec les données actuelles : {reason}")
declare("api_server_error", "Erreur interne",
        "Le serveur n'a pas pu répondre à la requête ; l'erreur est enregistrée dans le journal du serveur.")
declare("api_remote_unreachable", "Instance distante injoignable",
        "L'adresse « {url} » ne répond pas comme une API equisante ({reason}).")
declare("opendata_dataset_unknown", "Jeu de données inconnu",
        "Le jeu de données « {code} » n'existe pas ; jeux publiés : {known}.")
