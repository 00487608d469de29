/* tracuu: progressive enhancement for the staff pages. Every page works without this file. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  /* ---- copy a citation: navigator.clipboard, else a textarea + execCommand, else show the text */
  function copyWithTextarea(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.top = "-1000px";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return "clipboard"; },
        function () { return copyWithTextarea(text) ? "textarea" : ""; }
      );
    }
    return Promise.resolve(copyWithTextarea(text) ? "textarea" : "");
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-copy-button]");
    if (!btn) { return; }
    var box = btn.closest("[data-copy]");
    var source = box.querySelector("[data-copy-text]");
    var status = box.querySelector("[data-copy-status]");
    var text = source.value;
    copyText(text).then(function (how) {
      box.classList.remove("copied", "copy-failed");
      if (how) {
        box.classList.add("copied");
        box.setAttribute("data-copied-with", how);
        status.textContent = "Đã sao chép.";
      } else {
        box.classList.add("copy-failed");
        status.textContent = "Không sao chép tự động được: đoạn trích đã được chọn, nhấn Ctrl+C (⌘C).";
        source.focus();
        source.select();
      }
    });
  });

  /* ---- a clause addressed by the URL fragment: open the <details> around it, mark it, show it */
  function targetElement() {
    var hash = window.location.hash.slice(1);
    if (!hash) { return null; }
    var el = document.getElementById(hash);
    if (!el) {
      try { el = document.getElementById(decodeURIComponent(hash)); } catch (e) { el = null; }
    }
    return el;
  }

  function showTarget() {
    var el = targetElement();
    if (!el || !el.classList.contains("clause")) { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".clause.is-target"), function (other) {
      other.classList.remove("is-target");
    });
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
    }
    el.classList.add("is-target");
    el.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", showTarget);
  showTarget();

  /* ---- open or close every clause of a document */
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-details]");
    if (!btn) { return; }
    var open = btn.getAttribute("data-details") === "open";
    Array.prototype.forEach.call(document.querySelectorAll("details.clause"), function (d) { d.open = open; });
  });

  /* ---- report basket: add without leaving the page; keep a copy in localStorage */
  var STORE = "tracuu-gio";
  function saveLocal(items) {
    try { window.localStorage.setItem(STORE, JSON.stringify(items)); } catch (e) { /* private mode: the cookie still holds it */ }
  }
  function loadLocal() {
    try { return JSON.parse(window.localStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }
  function setCount(n) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-basket-count]"), function (el) { el.textContent = String(n); });
  }
  var body = document.body;
  if (body.hasAttribute("data-basket")) {
    try { saveLocal(JSON.parse(body.getAttribute("data-basket"))); } catch (e) { /* keep the old copy */ }
  } else if (body.hasAttribute("data-basket-absent")) {
    var kept = loadLocal();
    if (kept && kept.length && window.fetch) {
      fetch("/basket/restore", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(kept)
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (b) {
        if (!b) { return; }
        setCount(b.count);
        if (window.location.pathname === "/basket") { window.location.reload(); }
      });
    }
  }
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.hasAttribute || !form.hasAttribute("data-basket-add") || !window.fetch || !window.FormData) { return; }
    ev.preventDefault();
    var btn = form.querySelector("button");
    fetch(form.action, {
      method: "POST", credentials: "same-origin", headers: { "Accept": "application/json" }, body: new FormData(form)
    }).then(function (r) {
      return r.json().then(function (b) { return { ok: r.ok, body: b }; });
    }).then(function (res) {
      if (res.ok) {
        saveLocal(res.body.items);
        setCount(res.body.count);
        btn.textContent = "Đã có trong giỏ ✓";
        btn.setAttribute("data-in-basket", "");
      } else {
        btn.textContent = (res.body && res.body.message_vi) || "Không thêm được.";
      }
    }, function () { form.submit(); });
  });

  /* ---- upload with progress: the JSON API, the key in X-API-Key */
  var form = document.querySelector("form[data-upload]");
  if (form && window.FormData && window.XMLHttpRequest) {
    var result = document.querySelector("[data-upload-result]");
    var progress = form.querySelector("[data-progress]");
    var bar = form.querySelector("[data-progress-bar]");
    var barText = form.querySelector("[data-progress-text]");

    var el = function (tag, text, cls) {
      var node = document.createElement(tag);
      if (text !== undefined && text !== null) { node.textContent = String(text); }
      if (cls) { node.className = cls; }
      return node;
    };
    var row = function (dl, term, value) {
      var div = el("div");
      div.appendChild(el("dt", term));
      var dd = el("dd");
      if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
      div.appendChild(dd);
      dl.appendChild(div);
    };
    var showError = function (body, status) {
      result.textContent = "";
      var box = el("div", null, "error-box");
      box.setAttribute("role", "alert");
      box.setAttribute("data-status", String(status));
      box.appendChild(el("h2", "Không nạp được văn bản"));
      var vi = body && body.message_vi ? body.message_vi : "Lỗi kết nối hoặc máy chủ (mã " + status + ").";
      var en = body && body.message_en ? body.message_en : "Network or server error (status " + status + ").";
      var pvi = el("p", vi, "msg-vi"); pvi.lang = "vi"; box.appendChild(pvi);
      var pen = el("p", en, "msg-en"); pen.lang = "en"; box.appendChild(pen);
      result.appendChild(box);
      result.setAttribute("data-source", "xhr");
    };
    var showReport = function (r) {
      result.textContent = "";
      var box = el("div", null, "ok-box");
      box.setAttribute("data-doc-id", r.doc_id || "");
      box.appendChild(el("h2", "Đã nạp: " + (r.title || r.file_name)));
      var dl = el("dl", null, "meta");
      row(dl, "Tệp", r.file_name);
      var link = el("a", r.doc_id);
      link.href = "/documents/" + encodeURIComponent(r.doc_id);
      row(dl, "Mã văn bản", link);
      row(dl, "Điều khoản", r.clauses);
      if (r.pages) { row(dl, "Số trang", r.pages + (r.ocr_pages ? " (trong đó " + r.ocr_pages + " trang quét, đọc bằng OCR)" : "")); }
      if (r.tables) { row(dl, "Bảng", r.tables); }
      var words = ["đã lập chỉ mục " + (r.embedded_new || 0) + " đoạn mới"];
      if (r.reused) { words.push("giữ nguyên " + r.reused + " đoạn không đổi"); }
      if (r.removed) { words.push("bỏ " + r.removed + " đoạn không còn trong văn bản"); }
      row(dl, "Chỉ mục", r.unchanged ? "không có gì thay đổi, văn bản đã được nạp trước đó" : words.join(", "));
      box.appendChild(dl);
      if (r.warnings && r.warnings.length) {
        box.appendChild(el("h3", "Cảnh báo"));
        var ul = el("ul");
        r.warnings.forEach(function (w) { ul.appendChild(el("li", w)); });
        box.appendChild(ul);
      }
      var p = el("p");
      var view = el("a", "Xem văn bản", "btn btn-small");
      view.href = link.href;
      p.appendChild(view);
      box.appendChild(p);
      result.appendChild(box);
      result.setAttribute("data-source", "xhr");
    };

    form.addEventListener("submit", function (ev) {
      var input = form.querySelector("input[type=file]");
      var file = input.files && input.files[0];
      if (!file) { return; } /* the browser's own "required" message */
      ev.preventDefault();
      var key = form.querySelector("input[name=api_key]").value;
      var data = new FormData();
      data.append("file", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("data-api"));
      /* a header carries ASCII only: a key with other characters goes percent-encoded (RFC 8187) */
      var sent = /^[\x20-\x7e]*$/.test(key) ? key : "UTF-8''" + encodeURIComponent(key);
      try { xhr.setRequestHeader("X-API-Key", sent); } catch (e) { /* the server says 401 */ }
      progress.hidden = false;
      bar.value = 0;
      barText.textContent = "Đang tải lên…";
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.round((e.loaded / e.total) * 100);
          bar.value = pct;
          barText.textContent = "Đang tải lên: " + pct + "%";
        }
      });
      var stage = function (name) {
        var seen = false;
        Array.prototype.forEach.call(form.querySelectorAll("[data-stage]"), function (li) {
          var here = li.getAttribute("data-stage") === name;
          li.classList.toggle("current", here);
          li.classList.toggle("done", !here && !seen);
          if (here) { seen = true; }
        });
      };
      var elapsed = form.querySelector("[data-progress-elapsed]");
      var started = 0, timer = null;
      stage("upload");
      xhr.upload.addEventListener("load", function () {
        bar.value = 100;
        barText.textContent = "Đã tải lên, đang đọc và lập chỉ mục…";
        stage("read");
        started = Date.now();
        timer = window.setInterval(function () {
          var s = Math.round((Date.now() - started) / 1000);
          elapsed.textContent = "Đã " + s + " giây. Văn bản dài hoặc có trang quét có thể mất một đến vài phút.";
        }, 1000);
      });
      var stop = function () { if (timer) { window.clearInterval(timer); timer = null; } };
      xhr.addEventListener("loadend", stop);
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        progress.hidden = true;
        if (xhr.status >= 200 && xhr.status < 300 && body) { showReport(body); } else { showError(body, xhr.status); }
      });
      xhr.addEventListener("error", function () { progress.hidden = true; showError(null, 0); });
      xhr.send(data);
    });
  }
})();
