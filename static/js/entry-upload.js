/* The parent's upload form, enhanced (the form works without this file).
 *
 * - Checks the chosen file before sending (type, size) with the server's own
 *   messages, read from the file input's data- attributes.
 * - Two ways to pick the photo, one file field: "choose a file" and, on a
 *   phone, "take a photo" (capture="environment"); the latest choice counts
 *   and the other input is emptied.
 * - Shows a preview with the file's name (the browser applies the EXIF
 *   orientation); a photo the browser cannot show (HEIC in most browsers)
 *   gets its name and a note instead.
 * - Very large photos are made smaller in the browser (about 4000 px on the
 *   long side); the server still strips all metadata.
 * - Sends the photo in chunks to the resumable upload endpoint with a
 *   progress bar; after a dropped connection it asks the server how much
 *   arrived and goes on from there, again and again, with growing pauses.
 *   With S3 (the portal answers `"mode": "s3"`) the parts go straight to
 *   the bucket, each to its presigned URL; after a drop the portal (any of
 *   its web nodes) says which parts arrived and gives fresh URLs; then it
 *   is asked to assemble and check the photo (contest/direct_uploads.py).
 * - Then posts the form, naming the finished upload, again after a dropped
 *   connection (the form's submission token makes a repeated post show the
 *   first receipt, so the entry arrives once); the server's answer, the
 *   receipt or the form with its errors, becomes the page.
 * - The submit button is guarded against a second press.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-entry-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.Blob) { return; }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=file]"));
  var input = inputs[0]; /* the form's own field: its accept list and messages */
  if (!input) { return; }
  var submit = form.querySelector("[data-submit]");
  var uploadId = form.querySelector("input[name=upload_id]");
  var preview = form.querySelector("[data-upload-preview]");
  var previewName = preview.querySelector("[data-upload-preview-name]");
  var progressBox = form.querySelector("[data-upload-progress]");
  var bar = progressBox.querySelector("progress");
  var percent = progressBox.querySelector("[data-upload-percent]");
  var status = form.querySelector("[data-upload-status]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var MAX_SIDE = 4000;
  var ACCEPTED = (input.getAttribute("accept") || "").split(",");
  var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10);
  var busy = false;
  var objectUrl = null;

  function say(message, isError) {
    status.textContent = message || "";
    status.className = "upload-status" + (isError ? " errorlist" : "");
    if (isError) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  function setProgress(fraction) {
    var value = Math.min(100, Math.round(fraction * 100));
    bar.value = value;
    bar.textContent = value + "%";
    percent.textContent = value + "%";
  }

  function typeAccepted(file) {
    if (file.type) { return ACCEPTED.indexOf(file.type) !== -1; }
    return /\.(jpe?g|png|webp|heic|heif|avif)$/i.test(file.name); /* some phones send no type */
  }

  function check(file) {
    if (!file) { return null; }
    if (file.size === 0) { return input.getAttribute("data-message-empty"); }
    if (!typeAccepted(file)) { return input.getAttribute("data-message-type"); }
    if (file.size > maxBytes) { return input.getAttribute("data-message-size"); }
    return null;
  }

  function showPreview(file) {
    if (objectUrl) { URL.revokeObjectURL(objectUrl); objectUrl = null; }
    var old = preview.querySelector("img");
    if (old) { old.onload = old.onerror = null; preview.removeChild(old); }
    previewName.textContent = "";
    preview.hidden = true;
    if (!file) { return; }
    previewName.textContent = file.name;
    preview.hidden = false;
    objectUrl = URL.createObjectURL(file);
    /* Added only once it has loaded: an image without pixels is never on the page. */
    var img = document.createElement("img");
    img.alt = ""; /* the preview repeats the chosen file, named in the caption */
    img.setAttribute("data-upload-preview-image", "");
    img.onload = function () { if (objectUrl === img.src) { preview.insertBefore(img, previewName); } };
    img.onerror = function () {
      if (objectUrl !== img.src) { return; }
      previewName.textContent = file.name + " — " + form.getAttribute("data-message-no-preview");
    };
    img.src = objectUrl;
  }

  function chosenFile() {
    for (var i = 0; i < inputs.length; i += 1) {
      if (inputs[i].files && inputs[i].files[0]) { return inputs[i].files[0]; }
    }
    return null;
  }

  function disableInputs(disabled) {
    inputs.forEach(function (each) { each.disabled = disabled; });
  }

  /* A very large JPEG/PNG/WebP becomes a JPEG of about MAX_SIDE px on its long
   * side; anything else (or any failure) is sent as it is. */
  function downscale(file) {
    if (!window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) { return Promise.resolve(file); }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var long = Math.max(bitmap.width, bitmap.height);
      if (long <= MAX_SIDE) { bitmap.close(); return file; }
      var scale = MAX_SIDE / long;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          say(form.getAttribute("data-message-resized"));
          resolve(new File([blob], file.name.replace(/\.[^.]+$/, "") + ".jpg", { type: "image/jpeg" }));
        }, "image/jpeg", 0.9);
      });
    }).catch(function () { return file; });
  }

  function request(method, url, body, headers, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.timeout = 60000;
      xhr.setRequestHeader("X-CSRFToken", csrf);
      Object.keys(headers || {}).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
      if (onProgress && xhr.upload) { xhr.upload.onprogress = function (e) { onProgress(e.loaded); }; }
      xhr.onload = function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        resolve({ status: xhr.status, data: data });
      };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { reject(new Error("network")); };
      xhr.send(body);
    });
  }

  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  /* Send `file` from the offset the server holds, chunk by chunk; on a
   * network failure wait (1, 2, 4 … 15 s) and ask for the offset again. */
  function sendChunks(file, url, chunk) {
    var failures = 0;
    function offsetNow() {
      return request("GET", url).then(function (r) {
        if (r.status !== 200) { throw new Error("refused"); }
        return r.data.offset;
      });
    }
    function step(offset) {
      setProgress(offset / file.size);
      if (offset >= file.size) { return Promise.resolve(); }
      var end = Math.min(file.size, offset + chunk);
      return request("PATCH", url, file.slice(offset, end),
        { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
        function (loaded) { setProgress((offset + loaded) / file.size); }
      ).then(function (r) {
        if (r.status === 200) { failures = 0; return step(r.data.offset); }
        if (r.status === 409) { return step(r.data.offset); }
        var error = new Error("refused");
        error.message = r.data.message || "";
        throw error;
      }, function () { return retry(); });
    }
    function retry() {
      failures += 1;
      if (failures > 40) { throw new Error("network"); }
      say(form.getAttribute("data-message-network"));
      return wait(Math.min(15000, 1000 * Math.pow(2, failures - 1)))
        .then(offsetNow)
        .then(function (offset) { say(form.getAttribute("data-message-sending")); return step(offset); }, retry);
    }
    return step(0);
  }

  /* The parts straight to S3 (static/js/s3-parts.js, shared with a
   * teacher's batch page). */
  function sendParts(file, upload) {
    return window.contestS3Parts(file, upload, form.getAttribute("data-upload-url") + upload.id + "/", {
      request: request,
      progress: setProgress,
      retrying: function () { say(form.getAttribute("data-message-network")); },
      resumed: function () { say(form.getAttribute("data-message-sending")); }
    });
  }

  function start(file) {
    var body = new FormData();
    body.append("size", String(file.size));
    body.append("name", file.name);
    body.append("type", file.type);
    return request("POST", form.getAttribute("data-upload-url"), body).then(function (r) {
      if (r.status !== 201) {
        var error = new Error("refused");
        error.message = r.data.message || "";
        throw error;
      }
      return r.data;
    });
  }

  function withRetries(fn, tries) {
    return fn().catch(function (error) {
      if (error.message !== "network" || tries <= 1) { throw error; }
      say(form.getAttribute("data-message-network"));
      return wait(2000).then(function () { return withRetries(fn, tries - 1); });
    });
  }

  function finish() {
    var action = form.getAttribute("action") || window.location.href;
    return withRetries(function () {
      return new Promise(function (resolve, reject) {
        var xhr = new XMLHttpRequest();
        xhr.open("POST", action);
        xhr.timeout = 60000;
        xhr.onload = function () { resolve(xhr); };
        xhr.onerror = xhr.ontimeout = function () { reject(new Error("network")); };
        xhr.send(new FormData(form));
      });
    }, 40).then(function (xhr) {
      /* The answer is already here (the receipt after the redirect, or the
       * form with errors): show it without another request that could fail. */
      var url = xhr.responseURL || action;
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (url !== window.location.href) { window.history.replaceState(null, "", url); }
    });
  }

  function release() {
    busy = false;
    if (submit) { submit.disabled = false; submit.removeAttribute("aria-disabled"); }
    form.removeAttribute("aria-busy");
  }

  inputs.forEach(function (picked) {
    picked.addEventListener("change", function () {
      var file = picked.files && picked.files[0];
      /* One photo per entry: the latest choice replaces the other input's. */
      if (file) { inputs.forEach(function (other) { if (other !== picked) { other.value = ""; } }); }
      var problem = check(file);
      say(problem, !!problem);
      showPreview(problem ? null : file);
      if (file && uploadId) { uploadId.value = ""; }
    });
  });

  form.addEventListener("submit", function (event) {
    if (busy) { event.preventDefault(); return; }
    var file = chosenFile();
    if (!file) { busy = true; if (submit) { submit.disabled = true; } return; } /* native submit, once */
    event.preventDefault();
    var problem = check(file);
    if (problem) { say(problem, true); input.focus(); return; }
    busy = true;
    if (submit) { submit.disabled = true; submit.setAttribute("aria-disabled", "true"); }
    form.setAttribute("aria-busy", "true");
    progressBox.hidden = false;
    setProgress(0);
    say(form.getAttribute("data-message-sending"));
    downscale(file).then(function (toSend) {
      return withRetries(function () { return start(toSend); }, 20).then(function (upload) {
        if (upload.mode === "s3") { return sendParts(toSend, upload).then(function () { return upload.id; }); }
        var url = form.getAttribute("data-upload-url") + upload.id + "/";
        return sendChunks(toSend, url, upload.chunk).then(function () { return upload.id; });
      });
    }).then(function (id) {
      setProgress(1);
      say(form.getAttribute("data-message-sent"));
      uploadId.value = id;
      disableInputs(true); /* the file is on the server already: do not send it twice */
      return finish();
    }).catch(function (error) {
      release();
      var message = error && error.message && error.message !== "network" && error.message !== "refused"
        ? error.message : form.getAttribute("data-message-failed");
      say(message, true);
    });
  });

  /* Back from the receipt page (bfcache): the form is usable again. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { release(); disableInputs(false); }
  });
}());
