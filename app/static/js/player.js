// Progressive enhancement for the exercise player. Without JavaScript every page still works
// with plain form posts; with it, answers save as they change, the clock counts down, responses
// can be dragged (or moved with buttons) to rank them, and text areas count characters.
(function () {
  "use strict";
  var csrf = document.querySelector('input[name="csrf_token"]');
  var status = document.querySelector("[data-save-status]");
  var lang = document.documentElement.lang;
  var words = {
    saving: lang === "es" ? "Guardando…" : "Saving…",
    offline: lang === "es" ? "No se ha podido guardar. Revisa tu conexión; tu respuesta se guardará al continuar."
                           : "Could not save. Check your connection; your answer will be saved when you continue.",
    chars: lang === "es" ? " de {n} caracteres" : " of {n} characters",
    up: lang === "es" ? "Subir" : "Move up",
    down: lang === "es" ? "Bajar" : "Move down",
    drag: lang === "es" ? " También puedes arrastrar las respuestas o moverlas con los botones."
                        : " You can also drag the responses or move them with the buttons."
  };

  function say(text) { if (status) { status.textContent = text; } }

  function save(url, form, names) {
    var data = new FormData();
    new FormData(form).forEach(function (value, key) {
      if (!names || names.some(function (n) { return key === n || key.indexOf(n + "-") === 0; })) { data.append(key, value); }
    });
    say(words.saving);
    return fetch(url, { method: "POST", body: data, credentials: "same-origin",
                        headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          say(body.message);
          if (response.status === 409) { window.location.reload(); }
        });
      })
      .catch(function () { say(words.offline); });
  }

  var single = document.querySelector("[data-autosave]");
  if (single) {
    single.addEventListener("change", function () { save(single.dataset.autosave, single); });
  }
  var many = document.querySelector("[data-autosave-many]");
  if (many) {
    many.addEventListener("change", function (event) {
      var name = event.target.name;
      if (!name || name.indexOf("answer-") !== 0) { return; }
      save(many.dataset.autosaveMany.replace("ITEM", name.slice(7)), many, [name]);
    });
  }

  // Best/worst: the same response cannot be both. The response chosen in one column is disabled
  // in the other, so arrow keys skip it there and nothing already chosen is silently undone.
  document.querySelectorAll("[data-best-worst]").forEach(function (table) {
    function sync() {
      table.querySelectorAll("input[type=radio]").forEach(function (input) {
        var other = input.name.slice(-5) === "-best" ? input.name.slice(0, -5) + "-worst" : input.name.slice(0, -6) + "-best";
        var twin = table.querySelector('input[name="' + other + '"][value="' + input.value + '"]');
        input.disabled = !!(twin && twin.checked);
      });
    }
    table.addEventListener("change", sync);
    sync();
  });

  // Ranking: drag-and-drop, or the up/down buttons for keyboards; the selects follow the order.
  document.querySelectorAll("[data-rank]").forEach(function (list) {
    var help = list.previousElementSibling;  // the instructions say drag-and-drop only where it exists
    if (help && /-help$/.test(help.id)) { help.textContent += words.drag; }
    function renumber() {
      list.querySelectorAll("li").forEach(function (li, index) { li.querySelector("select").value = String(index + 1); });
      list.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var dragged = null;
    list.querySelectorAll("li").forEach(function (li) {
      li.draggable = true;
      li.addEventListener("dragstart", function () { dragged = li; li.classList.add("dragging"); });
      li.addEventListener("dragend", function () { li.classList.remove("dragging"); dragged = null; renumber(); });
      li.addEventListener("dragover", function (event) {
        event.preventDefault();
        if (!dragged || dragged === li) { return; }
        var box = li.getBoundingClientRect();
        list.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? li : li.nextSibling);
      });
      ["up", "down"].forEach(function (direction) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-sm btn-outline-secondary";
        button.textContent = direction === "up" ? "↑" : "↓";
        button.setAttribute("aria-label", words[direction] + ": " + li.querySelector("span").textContent.trim());
        button.addEventListener("click", function () {
          var sibling = direction === "up" ? li.previousElementSibling : li.nextElementSibling;
          if (!sibling) { return; }
          list.insertBefore(li, direction === "up" ? sibling : sibling.nextSibling);
          renumber();
          button.focus();
        });
        li.appendChild(button);
      });
    });
    // Start from the saved order, if any, so the list reads as it will be scored.
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    if (items.every(function (li) { return li.querySelector("select").value; })) {
      items.sort(function (a, b) { return a.querySelector("select").value - b.querySelector("select").value; })
           .forEach(function (li) { list.appendChild(li); });
    }
  });

  // Character count for written answers.
  document.querySelectorAll("[data-char-count]").forEach(function (area) {
    var counter = document.getElementById(area.getAttribute("aria-describedby"));
    function update() {
      counter.textContent = area.value.length + words.chars.replace("{n}", counter.dataset.limit);
      counter.classList.toggle("text-danger", area.value.length > parseInt(counter.dataset.limit, 10));
    }
    area.addEventListener("input", update);
    update();
  });

  // The clock. The server enforces the deadline; this only shows it.
  var timer = document.querySelector("[data-seconds-left]");
  if (timer) {
    var left = parseInt(timer.dataset.secondsLeft, 10);
    var text = timer.querySelector("[data-timer-text]");
    var tick = setInterval(function () {
      left = Math.max(0, left - 1);
      text.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left <= 60) { timer.classList.add("running-out"); }
      if (left === 0) { clearInterval(tick); window.location.reload(); }
    }, 1000);
  }
})();
