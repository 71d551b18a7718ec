/* equisante — contract editing forms: keyboard behaviour of the pickers, focus after a search.
   Everything works without this script; it only spares a page round trip the person did not ask for. */
(function () {
  "use strict";
  // Enter in a picker's search box runs that search (not the form's first button).
  document.querySelectorAll("input[data-search-button]").forEach(function (input) {
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        document.getElementById(input.dataset.searchButton).click();
      }
    });
  });
  // Enter in another one-line field saves the form, as in any form (the pickers' buttons come first).
  document.querySelectorAll("form[data-default-button]").forEach(function (form) {
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key !== "Enter" || target.tagName !== "INPUT" || target.dataset.searchButton) { return; }
      if (["checkbox", "radio", "submit", "button"].indexOf(target.type) !== -1) { return; }
      event.preventDefault();
      document.getElementById(form.dataset.defaultButton).click();
    });
  });
  // After a search the page comes back on the results: move the focus there for keyboard and screen readers.
  var results = document.querySelector("[data-focus-on-load]");
  if (results && window.location.hash === "#" + results.id) { results.focus(); }
})();
