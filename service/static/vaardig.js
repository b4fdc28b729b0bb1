// Vaardig web page: CV upload by drag and drop, with a progress bar (plain XHR: htmx cannot
// report upload progress per request as simply). Everything else is htmx.
(function () {
  "use strict";

  // A refused form (4xx) answers with a Dutch HTML line saying why: show it in the form's
  // target like a success (htmx swaps only 2xx by itself). JSON answers stay unswapped.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    const html = (xhr.getResponseHeader("content-type") || "").startsWith("text/html");
    if (html && xhr.status >= 400 && xhr.status < 500 && xhr.status !== 401) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

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
      if (xhr.status >= 200 && xhr.status < 300 || xhr.status === 422) {
        status.textContent = xhr.status === 422 ? "Niet gelukt." : "Klaar.";
        result.innerHTML = xhr.responseText;
        if (xhr.status < 300) refreshList();
      } else {
        let message = "Upload mislukt (" + xhr.status + ")";
        try { message = JSON.parse(xhr.responseText).error.message; } catch (e) { /* keep */ }
        status.textContent = message;
      }
    };
    xhr.onerror = function () {
      bar.hidden = true;
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
