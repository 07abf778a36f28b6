/* One photo's parts straight to S3, shared by the parent's form
 * (entry-upload.js) and a teacher's batch page (teacher-batch.js); the
 * portal's side is contest/direct_uploads.py.
 *
 * `upload` is the portal's answer ({"part_size", "done", "parts": [{"number",
 * "url"}]}), `url` the portal's URL of this upload (GET: the parts S3 holds
 * and fresh URLs for the others; POST: assemble and check). Sends the parts
 * S3 lacks, then asks the portal to complete; on a network failure (an
 * expired URL too) waits (1, 2, 4 … 15 s) and asks which parts arrived.
 * Hooks: `request(method, url)` → Promise of {status, data} (the page's own,
 * with its CSRF token), `progress(fraction)`, `retrying()`, `resumed()`.
 * Resolves once the photo is complete; rejects with Error("network") after
 * 40 failures in a row, or with the portal's message for a refusal. */
window.contestS3Parts = function (file, upload, url, hooks) {
  "use strict";
  var size = upload.part_size;
  var failures = 0;

  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  /* One part: no CSRF token (it is the portal's, not the bucket's). */
  function put(partUrl, blob, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("PUT", partUrl);
      xhr.timeout = 120000;
      if (xhr.upload) { xhr.upload.onprogress = function (e) { onProgress(e.loaded); }; }
      xhr.onload = function () { resolve(xhr.status); };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { reject(new Error("network")); };
      xhr.send(blob);
    });
  }

  function held(done) {
    return done.reduce(function (sum, n) { return sum + Math.min(size, file.size - (n - 1) * size); }, 0);
  }

  function refused(r) { return new Error((r.data && r.data.message) || "refused"); }

  function state() {
    return hooks.request("GET", url).then(function (r) {
      if (r.status !== 200) { throw refused(r); }
      return r.data;
    });
  }

  function complete() {
    return hooks.request("POST", url).then(function (r) {
      if (r.status === 200) { return null; }
      if (r.status === 409) { return state().then(sendAll); }
      if (r.status >= 500) { throw new Error("network"); }
      throw refused(r);
    });
  }

  function sendAll(now) {
    var done = now.done.slice();
    var parts = now.parts.slice();
    function next() {
      var base = held(done);
      hooks.progress(base / file.size);
      if (!parts.length) { return complete(); }
      var part = parts.shift();
      var from = (part.number - 1) * size;
      return put(part.url, file.slice(from, Math.min(file.size, from + size)), function (loaded) {
        hooks.progress((base + loaded) / file.size);
      }).then(function (status) {
        if (status < 200 || status >= 300) { throw new Error("network"); }
        failures = 0;
        done.push(part.number);
        return next();
      });
    }
    return next();
  }

  function attempt(now) {
    return sendAll(now).catch(function (error) {
      if (error.message !== "network") { throw error; }
      return retry();
    });
  }

  function retry() {
    failures += 1;
    if (failures > 40) { throw new Error("network"); }
    hooks.retrying();
    return wait(Math.min(15000, 1000 * Math.pow(2, failures - 1)))
      .then(state)
      .then(function (now) { hooks.resumed(); return attempt(now); }, retry);
  }

  return attempt(upload);
};
