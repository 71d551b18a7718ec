/* Interactive documentation of the equisante API: Swagger UI (served locally) configured from the
   data attributes of #swagger-ui, with its interface words put into French. No inline script. */
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  if (!holder || typeof SwaggerUIBundle === "undefined") { return; }

  var WORDS = {
    "Try it out": "Essayer",
    "Try it out ": "Essayer",
    "Cancel": "Annuler",
    "Execute": "Exécuter",
    "Clear": "Effacer",
    "Parameters": "Paramètres",
    "Parameter": "Paramètre",
    "No parameters": "Aucun paramètre",
    "Name": "Nom",
    "Description": "Description",
    "Responses": "Réponses",
    "Response body": "Corps de la réponse",
    "Response headers": "En-têtes de la réponse",
    "Request body": "Corps de la requête",
    "Request URL": "URL de la requête",
    "Server response": "Réponse du serveur",
    "Code": "Code",
    "Details": "Détails",
    "Links": "Liens",
    "No links": "Aucun lien",
    "Example Value": "Exemple",
    "Schema": "Schéma",
    "Schemas": "Schémas",
    "Media type": "Type de média",
    "Controls Accept header.": "Détermine l'en-tête Accept.",
    "Authorize": "S'authentifier",
    "Available authorizations": "Authentifications disponibles",
    "Logout": "Se déconnecter",
    "Close": "Fermer",
    "Download": "Télécharger",
    "required": "obligatoire",
    "Default value": "Valeur par défaut",
    "Available values": "Valeurs possibles",
    "Loading...": "Chargement…",
    "Filter by tag": "Filtrer par étiquette",
    "Send empty value": "Envoyer une valeur vide",
    "Undocumented": "Non documenté",
    "Failed to fetch.": "Échec de la requête.",
    "Responses ": "Réponses ",
    "Curl": "Curl",
    "Value": "Valeur",
    "Expand all": "Tout déplier",
    "Collapse all": "Tout replier"
  };

  function translate(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, null);
    var node;
    while ((node = walker.nextNode())) {
      var text = node.nodeValue;
      var trimmed = text.trim();
      if (trimmed && Object.prototype.hasOwnProperty.call(WORDS, trimmed)) {
        node.nodeValue = text.replace(trimmed, WORDS[trimmed]);
      }
    }
    root.querySelectorAll("input[placeholder], button[title], [aria-label]").forEach(function (el) {
      ["placeholder", "title", "aria-label"].forEach(function (name) {
        var value = el.getAttribute(name);
        if (value && Object.prototype.hasOwnProperty.call(WORDS, value.trim())) {
          el.setAttribute(name, WORDS[value.trim()]);
        }
      });
    });
  }

  SwaggerUIBundle({
    url: holder.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
    validatorUrl: null
  });

  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; translate(holder); });
  }).observe(holder, { childList: true, subtree: true, characterData: false });
})();
