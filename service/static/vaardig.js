// Vaardig web page: CV upload by drag and drop, with a progress bar (plain XHR: htmx cannot
// report upload progress per request as simply). Everything else is htmx.
(function () {
  "use strict";

  // A refused form (4xx) answers with a Dutch HTML line saying why: show it in the form's
  // target like a success (htmx swaps only 2xx by itself). Anything else that went wrong (a
  // JSON error from a check that runs before the page's code: a stale CSRF token after logging
  // in again elsewhere, the size limit, the timeout; a whole page, e.g. "Niet gevonden", that
  // must not land in a table row; a server error) is shown in the page's message area instead.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    if (xhr.status < 400 || xhr.status === 401) return; // 401: htmx follows HX-Redirect
    const html = (xhr.getResponseHeader("content-type") || "").startsWith("text/html");
    if (html && xhr.status < 500 && !wholePage(xhr)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    event.detail.shouldSwap = false;
    showProblem(problemOf(xhr));
  });

  document.addEventListener("htmx:sendError", function () {
    showProblem("Geen verbinding met de server. Controleer de verbinding en probeer het opnieuw.");
  });

  // A new click or form clears the last problem; polling (not trusted events) does not.
  document.addEventListener("htmx:beforeRequest", function (event) {
    const config = event.detail.requestConfig;
    const trigger = config && config.triggeringEvent;
    if (trigger && trigger.isTrusted) hideProblem();
  });

  function wholePage(xhr) {
    return /<html[\s>]/i.test(xhr.responseText || "");
  }

  // The Dutch sentence of an error answer: a JSON error's message, a page's heading and first
  // paragraph, or (neither) a general line with the status.
  function problemOf(xhr) {
    const type = xhr.getResponseHeader("content-type") || "";
    if (type.indexOf("json") !== -1) {
      try {
        const message = JSON.parse(xhr.responseText).error.message;
        if (message) return message;
      } catch (e) { /* the general line below */ }
    } else if (type.startsWith("text/html")) {
      const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      const heading = doc.querySelector("main h1") || doc.querySelector("body > h1");
      const text = doc.querySelector("main section p") || doc.querySelector("body > p");
      const parts = [heading, text].filter(Boolean).map(function (n) { return n.textContent.trim(); });
      if (parts.length) return parts.join(": ");
    }
    return "Er ging iets mis (fout " + xhr.status + "). Herlaad de pagina en probeer het opnieuw.";
  }

  function showProblem(text) {
    const box = document.getElementById("page-message");
    if (!box) { window.alert(text); return; }
    box.textContent = text;
    box.className = "error"; // not in the markup: pages without a problem carry no error
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  function hideProblem() {
    const box = document.getElementById("page-message");
    if (box) { box.hidden = true; box.textContent = ""; }
  }

  function csrf() {
    return document.body.dataset.csrf || "";
  }

  function upload(files) {
    const status = document.getElementById("upload-status");
    const bar = document.getElementById("upload-progress");
    const result = document.getElementById("upload-result");
    if (!files || !files.length) return;
    const form = new FormData();
    for (const file of files) form.append("files", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/app/cvs");
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.setRequestHeader("HX-Request", "true");
    bar.hidden = false;
    bar.value = 0;
    status.classList.remove("error");
    status.textContent = files.length + " bestand(en) uploaden…";
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) bar.value = Math.round((100 * event.loaded) / event.total);
    };
    xhr.upload.onload = function () {
      bar.value = 100;
      status.textContent = "Geüpload; vaardigheden zoeken…";
    };
    xhr.onload = function () {
      if (xhr.status === 401) { window.location = "/login"; return; }
      bar.hidden = true;
      const html = (xhr.getResponseHeader("content-type") || "").startsWith("text/html");
      const refused = xhr.status === 422 && html && !wholePage(xhr); // the Dutch reasons
      if ((xhr.status >= 200 && xhr.status < 300) || refused) {
        status.classList.remove("error");
        status.textContent = xhr.status === 422 ? "Niet gelukt." : "Klaar.";
        result.innerHTML = xhr.responseText;
        if (xhr.status < 300) refreshList();
      } else {
        // e.g. 413 (all files together too large), 403 (page out of date), 504 (still busy)
        status.classList.add("error");
        status.textContent = problemOf(xhr);
        // a timed-out upload may still be saved: show it in the list once it is
        if (xhr.status === 504) window.setTimeout(refreshList, 60000);
      }
    };
    xhr.onerror = function () {
      bar.hidden = true;
      status.classList.add("error");
      status.textContent = "Upload mislukt: geen verbinding met de server.";
    };
    xhr.send(form);
  }

  function refreshList() {
    // Re-render the employee table in place (the page itself is the fragment source).
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        const doc = new DOMParser().parseFromString(html, "text/html");
        const fresh = doc.querySelectorAll("main section.card")[1];
        const current = document.querySelectorAll("main section.card")[1];
        if (fresh && current) current.replaceWith(fresh);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const zone = document.getElementById("dropzone");
    const input = document.getElementById("cv-files");
    if (!zone || !input) return;
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove("over");
      });
    });
    zone.addEventListener("drop", function (event) { upload(event.dataTransfer.files); });
    input.addEventListener("change", function () { upload(input.files); input.value = ""; });
  });
})();
