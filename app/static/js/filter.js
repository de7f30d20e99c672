// Progressive enhancement: a search box with data-filter-list="#list" hides, as you type, the
// choices of that list whose label does not contain the text. Without JavaScript the form's
// Find button asks the server for the matching managers instead.
(function () {
  "use strict";
  document.querySelectorAll("[data-filter-list]").forEach(function (box) {
    var list = document.querySelector(box.dataset.filterList);
    if (!list) { return; }
    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      list.querySelectorAll(".form-check").forEach(function (choice) {
        var checked = choice.querySelector("input").checked;
        choice.hidden = !checked && text !== "" && choice.textContent.toLowerCase().indexOf(text) === -1;
      });
    });
    box.addEventListener("keydown", function (event) {  // Enter filters here; it must not submit the form
      if (event.key === "Enter") { event.preventDefault(); }
    });
  });
})();
