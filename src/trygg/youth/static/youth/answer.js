// The youth survey on a flaky classroom network: keeps the answers of the pages in progress on this device across
// a reload, and sends the finished answers again until the server acknowledges them. Without this script the
// pages still work as plain forms. Nothing leaves the device but the form itself.
(function () {
  "use strict";
  var KEY = "trygg-ung";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function store(state) {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: plain forms */ }
  }
  function forget() {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
  }
  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
  function fields(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "action") { pairs.push([name, value]); }
    });
    return pairs;
  }
  function value(form, name) {
    var field = form.querySelector('[name="' + name + '"]');
    return field ? field.value : "";
  }

  function startPage(form) {
    forget();
    form.querySelector("[data-sid]").value = newId();
  }

  function questionPage(form) {
    var sid = value(form, "sid");
    var page = value(form, "page");
    var kept = load();
    if (kept && kept.sid === sid && kept.page === page) {
      // A reload: put back what was chosen on this page before it.
      var visible = form.querySelectorAll("input:not([type=hidden])");
      Array.prototype.forEach.call(visible, function (input) {
        var chosen = kept.fields.filter(function (pair) { return pair[0] === input.name; }).map(function (pair) { return pair[1]; });
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = chosen.indexOf(input.value) !== -1;
        } else if (chosen.length) {
          input.value = chosen[0];
        }
      });
    }
    function save() { store({ sid: sid, page: page, fields: fields(form) }); }
    save();
    form.addEventListener("change", save);
    form.addEventListener("input", save);
    // A reload of this page asks for it again by GET, and the resume page sends the kept answers.
    window.history.replaceState(null, "", window.location.href);
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.hasAttribute("data-send")) { return; }
      event.preventDefault();
      send(form, button);
    });
  }

  function send(form, button) {
    var status = form.querySelector("[data-status]");
    var body = new FormData(form);
    body.set("action", "send");
    var delay = 1;
    button.disabled = true;
    status.textContent = status.dataset.sending || button.textContent + " …";
    function attempt() {
      window.fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (response.status >= 500 || response.status === 429) { throw new Error("busy"); }
          return response.json().then(function (answer) {
            if (response.ok) {
              forget();
              window.location.assign(answer.next);
              return;
            }
            if (response.status === 409 || response.status === 403) { forget(); }
            status.textContent = answer.message;
            button.disabled = response.status !== 400;
          });
        })
        .catch(function () {
          status.textContent = (document.documentElement.lang === "en" ? "No connection yet. Trying again in " : "Ingen forbindelse ennå. Prøver igjen om ") + delay + " s …";
          window.setTimeout(attempt, delay * 1000);
          delay = Math.min(delay * 2, 30);
        });
    }
    attempt();
  }

  function resumePage(form) {
    var kept = load();
    if (!kept) { return; }
    kept.fields.forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    form.submit();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form;
    if ((form = document.querySelector("[data-youth-start]"))) { startPage(form); }
    if ((form = document.querySelector("[data-youth-page]"))) { questionPage(form); }
    if ((form = document.querySelector("[data-youth-resume]"))) { resumePage(form); }
    if (document.querySelector("[data-youth-done]")) { forget(); }
  });
})();
