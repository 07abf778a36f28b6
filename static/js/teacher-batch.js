/* A teacher's batch page: every photo and scan picked is sent on its own in
 * small parts (the portal's resumable uploads, contest/chunked.py), with its
 * own progress bar, and goes on from the offset the server holds after a
 * dropped connection, one after the other. Once all are whole, their upload ids go into the
 * form's `upload_ids` field and the file inputs are emptied, so the post
 * carries only the rows. Without JavaScript the files go with the post.
 * With S3 (the form's data-direct-s3; the portal answers `"mode": "s3"`)
 * each photo's parts go straight to the bucket, each to its presigned URL,
 * then the portal is asked to assemble and check it, the parent's protocol
 * (contest/direct_uploads.py, static/js/s3-parts.js); the scans then stay in
 * their input and go with the post. */
(function () {
  "use strict";
  var form = document.getElementById("teacher-batch");
  if (!form || !window.XMLHttpRequest || !window.Promise) { return; }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var list = document.getElementById("batch-progress");
  var idsField = form.querySelector("input[name=upload_ids]");
  var pending = 0;
  var ids = [];
  // One file at a time: the uploads a session holds are listed in the
  // session, which two simultaneous starts would overwrite; and a slow
  // link is better used by one upload than shared by many.
  var queue = Promise.resolve();

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

  /* The parts straight to S3 (static/js/s3-parts.js, shared with the
   * parent's form). */
  function sendParts(file, upload, url, row) {
    return window.contestS3Parts(file, upload, url, {
      request: request,
      progress: function (fraction) { row.bar.value = fraction; },
      retrying: function () { row.note.textContent = " …"; },
      resumed: function () { row.note.textContent = ""; }
    });
  }

  function line(file) {
    var item = document.createElement("li");
    var label = document.createElement("span");
    var bar = document.createElement("progress");
    var note = document.createElement("span");
    label.textContent = file.name + " ";
    bar.max = 1;
    bar.value = 0;
    item.appendChild(label);
    item.appendChild(bar);
    item.appendChild(note);
    list.appendChild(item);
    return { bar: bar, note: note };
  }

  function enqueue(file) {
    var row = line(file);
    pending += 1;
    queue = queue.then(function () { return send(file, row); });
  }

  function send(file, row) {
    var failures = 0;
    var body = new FormData();
    body.append("size", String(file.size));
    body.append("name", file.name);
    body.append("type", file.type);
    return request("POST", form.getAttribute("data-upload-url"), body).then(function (r) {
      if (r.status !== 201) { throw new Error(r.data.message || r.data.error || "refused"); }
      var url = form.getAttribute("data-chunk-url").replace("UPLOAD_ID", r.data.id);
      if (r.data.mode === "s3") { return sendParts(file, r.data, url, row).then(function () { return r.data.id; }); }
      function step(offset) {
        row.bar.value = offset / file.size;
        if (offset >= file.size) { return r.data.id; }
        var end = Math.min(file.size, offset + r.data.chunk);
        return request("PATCH", url, file.slice(offset, end),
          { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
          function (loaded) { row.bar.value = (offset + loaded) / file.size; }
        ).then(function (answer) {
          if (answer.status === 200 || answer.status === 409) { failures = 0; return step(answer.data.offset); }
          throw new Error(answer.data.message || "refused");
        }, retry);
      }
      function retry() {
        failures += 1;
        if (failures > 40) { throw new Error("network"); }
        row.note.textContent = " …";
        return wait(Math.min(15000, 1000 * Math.pow(2, failures - 1)))
          .then(function () { return request("GET", url); })
          .then(function (answer) { row.note.textContent = ""; return step(answer.data.offset); }, retry);
      }
      return step(0);
    }).then(function (id) {
      ids.push(id);
      idsField.value = ids.join(",");
      row.note.textContent = " ✓";
    }, function (error) {
      row.note.textContent = " " + error.message;
    }).then(function () { pending -= 1; });
  }

  (form.hasAttribute("data-direct-s3") ? ["images"] : ["images", "scans"]).forEach(function (name) {
    var input = form.querySelector("input[name=" + name + "]");
    if (!input) { return; }
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, enqueue);
      input.value = "";
    });
  });

  form.addEventListener("submit", function (event) {
    if (pending > 0) { event.preventDefault(); }
  });
}());
