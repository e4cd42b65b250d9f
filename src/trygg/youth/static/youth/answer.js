// The youth survey on a flaky classroom network. With this script the start form asks for the whole questionnaire
// at once; the script moves between its pages without the server, applies the skip logic, keeps the answers on this
// device across a reload and sends them once at the end, again with a growing pause until the server acknowledges
// them, and then forgets them. What it keeps is the form's own fields (code, the device-made submission ID, language,
// page, answers) and whether they are being sent: no time, nothing about the device. Its service worker keeps the
// questionnaire without code or answers for a reload without network. Once the answers are acknowledged everything
// is forgotten, so the next pupil on a shared PC starts clean. Without this script every page is a plain form.
(function () {
  "use strict";
  var KEY = "trygg-ung";
  var script = document.currentScript;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function store(state) {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: kept until reload */ }
  }
  function worker(message) {
    if (!navigator.serviceWorker) { return; }
    navigator.serviceWorker.ready.then(function (registration) { registration.active.postMessage(message); });
  }
  function forget() {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
    worker({ forget: true });
  }
  function leave(address) {
    // Replaced, not added: the back button does not lead to a page of answers.
    window.location.replace(address);
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
  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function fields(form) {
    // FormData leaves out the questions skip logic has disabled.
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
  function addHidden(form, name, content) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = content;
    form.appendChild(input);
  }

  // Send the answers until the server acknowledges them: a growing pause between tries, and at once when the
  // browser says the network is back. The form supplies the CSRF token, the address and the words shown. URL-encoded,
  // as a plain form posts: a multipart body cost the server more to read than the rest of the request.
  function deliver(form, pairs, status, button, onRefused) {
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", value(form, "csrfmiddlewaretoken"));
    pairs.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("action", "send");
    var delay = 1;
    var timer = null;
    if (button) { button.disabled = true; }
    status.textContent = form.dataset.sending;
    function refused(response, answer) {
      if (response.status === 409 || response.status === 403) {
        forget();
      } else {
        var kept = load();
        if (kept) { kept.sending = false; store(kept); }
      }
      status.textContent = answer.message;
      if (button) { button.disabled = response.status !== 400; }
      if (onRefused) { onRefused(); }
    }
    function attempt() {
      timer = null;
      window.fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (response.status >= 500 || response.status === 429) { throw new Error("busy"); }
          return response.json().then(function (answer) {
            if (!response.ok) { refused(response, answer); return; }
            forget();
            leave(answer.next);
          });
        })
        .catch(function () {
          status.textContent = form.dataset.waiting;
          timer = window.setTimeout(attempt, delay * 1000);
          delay = Math.min(delay * 2, 30);
        });
    }
    window.addEventListener("online", function () {
      if (timer !== null) { window.clearTimeout(timer); attempt(); }
    });
    attempt();
  }

  function startPage(form) {
    var kept = load();
    if (kept && kept.sending) {
      // Answers not yet acknowledged: the answer page's address sends them before anything else.
      window.location.assign(form.getAttribute("action"));
      return;
    }
    forget();
    form.querySelector("[data-sid]").value = newId();
    addHidden(form, "whole", "1");
    window.addEventListener("pageshow", function (event) {
      // Back to a start page kept in the browser's memory: no earlier pupil's code, a new submission ID.
      if (event.persisted) { form.reset(); form.querySelector("[name=code]").value = ""; form.querySelector("[data-sid]").value = newId(); }
    });
  }

  // The offline copy has no code, submission ID or language of its own: they come from the device, with the answers.
  function fillCopy(form, kept) {
    ["code", "sid", "lang"].forEach(function (name) {
      var pair = kept.fields.filter(function (field) { return field[0] === name; })[0];
      form.querySelector('[name="' + name + '"]').value = pair ? pair[1] : "";
    });
  }
  function pageAssets() {
    return all(document, "link[rel=stylesheet], link[rel=icon], script[src]").map(function (element) {
      return element.href || element.src;
    });
  }

  // The whole questionnaire: one form, a section per page, the current one shown.
  function questionnaire(form) {
    var kept = load();
    if (form.dataset.copy !== undefined) {
      if (!kept) { leave(form.dataset.start); return; }
      fillCopy(form, kept);
    } else {
      worker({ keep: form.dataset.keep, assets: pageAssets() });
    }
    var sections = all(form, "[data-section]");
    var questions = all(form, "[data-item]");
    var pageInput = form.querySelector("[data-page]");
    var status = form.querySelector("[data-status]");
    var announce = form.querySelector("[data-announce]");
    var buttons = { send: form.querySelector("[data-send]"), next: form.querySelector("[data-next]"), back: form.querySelector("[data-back]") };
    var sid = value(form, "sid");
    var current = Number(pageInput.value);
    var sending = false;

    function chosen(question) {
      return all(question, "input").filter(function (input) {
        return input.type === "radio" || input.type === "checkbox" ? input.checked : input.value !== "";
      }).map(function (input) { return input.value; });
    }
    function applySkips() {
      // As the server reads them: a follow-up is asked when the earlier answer meets its condition.
      var answers = {};
      questions.forEach(function (question) {
        var asked = true;
        if (question.dataset.showIf) {
          var earlier = answers[question.dataset.showIf] || [];
          asked = question.dataset.anyOf.split(" ").some(function (code) { return earlier.indexOf(code) !== -1; });
        }
        question.hidden = !asked;
        question.disabled = !asked;
        answers[question.dataset.item] = asked ? chosen(question) : [];
      });
    }
    function asked(number) {
      return all(sections[number], "[data-item]").some(function (question) { return !question.disabled; });
    }
    function neighbour(step) {
      for (var number = current + step; number >= 0 && number < sections.length; number += step) {
        if (asked(number)) { return number; }
      }
      return -1;
    }
    function updateButtons() {
      var last = neighbour(1) === -1;
      buttons.send.hidden = !last;
      buttons.next.hidden = last;
      buttons.back.hidden = neighbour(-1) === -1;
    }
    function save() { store({ sid: sid, page: current, fields: fields(form), sending: sending }); }
    function show(number, moved) {
      current = number;
      pageInput.value = String(number);
      sections.forEach(function (section, index) { section.hidden = index !== number; });
      document.title = sections[number].dataset.title;
      updateButtons();
      save();
      if (moved) {
        window.scrollTo(0, 0);
        sections[number].querySelector("h1").focus();
        announce.textContent = sections[number].querySelector("[data-progress-label]").textContent;
      }
    }
    function valid() {
      var first = null;
      all(sections[current], "[data-item]:not([disabled]) input[type=number]").forEach(function (input) {
        var question = input.closest("[data-item]");
        var message = question.querySelector("[data-invalid]");
        var bad = !input.validity.valid;
        question.classList.toggle("field-error", bad);
        if (!message) { return; }
        message.hidden = !bad;
        if (bad) {
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", message.id);
          first = first || input;
        } else {
          input.removeAttribute("aria-invalid");
          input.removeAttribute("aria-describedby");
        }
      });
      if (first) { first.focus(); }
      return first === null;
    }
    function restore(pairs) {
      all(form, "[data-section] input").forEach(function (input) {
        var values = pairs.filter(function (pair) { return pair[0] === input.name; }).map(function (pair) { return pair[1]; });
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = values.indexOf(input.value) !== -1;
        } else {
          input.value = values.length ? values[0] : "";
        }
      });
    }
    function send() {
      sending = true;
      save();
      deliver(form, fields(form), status, buttons.send, function () { sending = false; });
    }

    if (kept && kept.sid === sid) {
      restore(kept.fields);
      current = Math.max(0, Math.min(Number(kept.page) || 0, sections.length - 1));
    }
    applySkips();
    show(current, false);
    // A reload asks for this address by GET; the resume page then sends the kept answers back.
    window.history.replaceState(null, "", window.location.href);
    window.addEventListener("pageshow", function (event) {
      // Back to this page kept in the browser's memory after the answers were sent: show none of them.
      var now = load();
      if (event.persisted && (!now || now.sid !== sid)) { form.reset(); leave(form.dataset.start); }
    });

    form.addEventListener("change", function () { applySkips(); updateButtons(); save(); });
    form.addEventListener("input", save);
    window.addEventListener("offline", function () { if (!sending) { status.textContent = form.dataset.offline; } });
    window.addEventListener("online", function () { if (!sending) { status.textContent = ""; } });
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.name === "language" && window.navigator.onLine !== false) {
        save();  // the questions again from the server, in that language
        return;
      }
      event.preventDefault();
      if (button && button.name === "language") { status.textContent = form.dataset.offline; return; }
      if (!button || button.hidden) { button = buttons.next.hidden ? buttons.send : buttons.next; }  // Enter
      if (sending) { return; }
      if (button === buttons.back) {
        if (neighbour(-1) !== -1) { show(neighbour(-1), true); }
      } else if (valid()) {
        if (button === buttons.send) { send(); } else if (neighbour(1) !== -1) { show(neighbour(1), true); }
      }
    });
    if (kept && kept.sid === sid && kept.sending) { send(); } else if (window.navigator.onLine === false) { status.textContent = form.dataset.offline; }
  }

  function resumePage(form) {
    var kept = load();
    if (!kept) { return; }
    if (kept.sending) {
      deliver(form, kept.fields, form.querySelector("[data-status]"), null);
      return;
    }
    kept.fields.forEach(function (pair) { addHidden(form, pair[0], pair[1]); });
    form.submit();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form;
    if ((form = document.querySelector("[data-youth-start]"))) { startPage(form); }
    if ((form = document.querySelector("[data-youth-page][data-whole]"))) { questionnaire(form); }
    if ((form = document.querySelector("[data-youth-resume]"))) { resumePage(form); }
    if (document.querySelector("[data-youth-done]")) { forget(); }
    var link = document.querySelector("[data-next-pupil]");
    if (link) { link.addEventListener("click", function (event) { event.preventDefault(); leave(link.href); }); }
    if (navigator.serviceWorker && script) { navigator.serviceWorker.register(script.dataset.worker).catch(function () { return undefined; }); }
  });
})();
