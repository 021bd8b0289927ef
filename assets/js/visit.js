/* Zuwei 组委 — the visit form's enhancements: household type-ahead, and capture without signal.
   Without this file the form is a plain POST. With it:
   - a service worker (/sw.js) keeps the form and its assets for use offline;
   - every form gets a client id (a random UUID) so a retried upload never makes a duplicate;
   - a visit saved while offline goes into an IndexedDB queue and is sent to
     POST /api/v1/visits/batch when the phone is online again; the server answers each id
     created / duplicate / error, and only errors stay in the queue, shown to the user;
   - its photo waits in the same queue entry and follows to POST /api/v1/visits/ID/photo once the
     visit is stored (the entry then keeps only the photo and the visit's id). */
(function () {
  'use strict';
  var form = document.querySelector('form[data-offline="visit"]');
  var en = /^en/i.test(document.documentElement.lang || '');
  var DB = 'zuwei-offline', STORE = 'visits';
  var PHOTO_MAX = 5 * 1024 * 1024;   /* the server's limit (CONTACT_PHOTO_MAX) */

  function t(zh, english) { return en ? english : zh; }

  /* A version-4 UUID from the platform's CSPRNG. */
  function uuid() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var rq = indexedDB.open(DB, 1);
      rq.onupgradeneeded = function () { rq.result.createObjectStore(STORE, { keyPath: 'client_id' }); };
      rq.onsuccess = function () { resolve(rq.result); };
      rq.onerror = function () { reject(rq.error); };
    });
  }

  /* Runs fn(store) in a transaction and resolves with the request's result. */
  function withStore(mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), rq = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(rq && rq.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function queued() { return withStore('readonly', function (s) { return s.getAll(); }); }

  function status(text) {
    var el = document.getElementById('offline-status');
    if (!el) return;
    el.textContent = text;
    el.hidden = !text;
  }

  /* Shows what is still waiting (and why, for items the server refused). */
  function showQueue() {
    var box = document.getElementById('offline-queue');
    if (!box) return Promise.resolve();
    return queued().then(function (items) {
      var ul = box.querySelector('ul');
      ul.textContent = '';
      items.forEach(function (v) {
        var li = document.createElement('li');
        li.textContent = v.visited_on + ' ' + (v.household_label || v.household_q || '') + ' — ' + v.purpose +
          (v.visit_id ? ' · ' + t('照片待上传', 'photo waiting') : v.photo ? ' · ' + t('含照片', 'with photo') : '') +
          (v.error ? ' ⚠ ' + v.error : '');
        ul.appendChild(li);
      });
      box.hidden = items.length === 0;
      form.setAttribute('data-queued', String(items.length));
    });
  }

  function csrf() {
    var el = form.querySelector('input[name="csrf"]');
    return el ? el.value : '';
  }

  /* The visit as the batch endpoint takes it. */
  function collect() {
    var f = form.elements, v = { client_id: f.client_id.value || uuid(), duties: [] };
    ['visited_on', 'household_q', 'purpose', 'requests', 'problems', 'help', 'follow_up'].forEach(function (k) {
      if (f[k]) v[k] = f[k].value.trim();
    });
    if (f.member && f.member.value) v.member = Number(f.member.value);
    var hh = form.querySelector('input[name="household"]:checked') || form.querySelector('input[type="hidden"][name="household"]');
    if (hh && hh.value) {
      v.household = Number(hh.value);
      var label = hh.closest('label');
      if (label) {
        var copy = label.cloneNode(true), hint = copy.querySelector('.hint');
        if (hint) hint.remove();
        v.household_label = copy.textContent.trim();
      }
    }
    form.querySelectorAll('input[name="duty"]:checked').forEach(function (c) { v.duties.push(c.value); });
    return v;
  }

  var sending = false;

  /* Sends the visits of the queue that the server has not stored yet; a stored visit whose photo
     still has to follow stays, marked with its id. */
  function sendVisits(items) {
    var fresh = items.filter(function (v) { return !v.visit_id; });
    if (!fresh.length) return Promise.resolve(0);
    var body = fresh.map(function (v) {
      var o = Object.assign({}, v);
      delete o.household_label;
      delete o.error;
      delete o.photo;
      return o;
    });
    return fetch('/api/v1/visits/batch', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf() },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (res) {
      var done = 0;
      return withStore('readwrite', function (s) {
        (res.results || []).forEach(function (x, i) {
          var v = fresh[i];
          if (!v) return;
          if (x.status === 'created' || x.status === 'duplicate') {
            done++;
            if (v.photo) { v.visit_id = x.id; delete v.error; s.put(v); }
            else s.delete(x.client_id);
          } else {
            v.error = x.message || x.code || 'error';
            s.put(v);
          }
        });
        return null;
      }).then(function () { return done; });
    });
  }

  /* Uploads the photos of stored visits one by one. A photo the server refuses (too big, not an
     image, the visit no longer editable) is dropped with a message: the visit itself is kept. */
  function sendPhotos() {
    return queued().then(function (items) {
      var waiting = items.filter(function (v) { return v.visit_id && v.photo; }), refused = [];
      return waiting.reduce(function (p, v) {
        return p.then(function () {
          var data = new FormData();
          data.append('photo', v.photo, v.photo.name || 'photo.jpg');
          return fetch('/api/v1/visits/' + v.visit_id + '/photo', {
            method: 'POST', credentials: 'same-origin',
            headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrf() }, body: data
          }).then(function (r) {
            if (r.ok) return withStore('readwrite', function (s) { return s.delete(v.client_id); });
            if (r.status >= 500) throw new Error(String(r.status));
            return r.json().catch(function () { return {}; }).then(function (e) {
              refused.push((e.error && e.error.message) || String(r.status));
              return withStore('readwrite', function (s) { return s.delete(v.client_id); });
            });
          });
        });
      }, Promise.resolve()).then(function () { return refused; });
    });
  }

  /* Sends the queue: visits first, then the photos that follow them. */
  function sync() {
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    var sent = 0;
    return queued().then(function (items) {
      if (!items.length) return null;
      return sendVisits(items).then(function (done) {
        sent = done;
        return sendPhotos();
      }).then(function (refused) {
        var msg = sent ? t('已上传 ' + sent + ' 条离线走访。', sent + ' offline visits uploaded.') : '';
        if (refused.length) msg += ' ' + t('照片未能上传：', 'Photo not uploaded: ') + refused.join('；');
        status(msg.trim());
      });
    }).catch(function () {
      status(t('上传失败，稍后会自动重试。', 'Upload failed; it will be retried.'));
    }).then(function () {
      sending = false;
      return showQueue();
    });
  }

  /* Saves the form into the queue instead of posting it (no signal). */
  function queueForm(e) {
    e.preventDefault();
    var v = collect();
    if (!v.purpose || !v.visited_on || !v.duties.length || (!v.household && !v.household_q)) {
      status(t('请填写走访日期、农户、目的，并至少选择一项履职类别。', 'Fill in date, household and purpose, and choose a duty.'));
      return;
    }
    var file = form.elements.photo && form.elements.photo.files && form.elements.photo.files[0];
    if (file && file.size > PHOTO_MAX) {
      status(t('照片不能超过 5 MB。', 'The photo must not exceed 5 MB.'));
      return;
    }
    if (file) v.photo = file;
    withStore('readwrite', function (s) { return s.put(v); }).then(function () {
      status(t('已保存在手机上，有信号时自动上传', 'Saved on this phone; it will upload when there is signal'));
      ['household_q', 'purpose', 'requests', 'problems', 'help', 'follow_up'].forEach(function (k) {
        if (form.elements[k]) form.elements[k].value = '';
      });
      form.querySelectorAll('input[name="duty"]:checked, input[name="household"]:checked').forEach(function (c) { c.checked = false; });
      if (form.elements.photo) form.elements.photo.value = '';
      var hidden = form.querySelector('input[type="hidden"][name="household"]');
      if (hidden) hidden.remove();
      form.elements.client_id.value = uuid();
      return showQueue();
    });
  }

  /* Type-ahead for "another household": suggestions from the server while online. */
  function typeahead() {
    var input = form.elements.household_q, list = document.getElementById('hh-suggest'), timer = 0;
    if (!input || !list) return;
    input.setAttribute('autocomplete', 'off');
    input.addEventListener('input', function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q || !navigator.onLine) { list.hidden = true; return; }
      timer = setTimeout(function () {
        var m = form.elements.member && form.elements.member.value ? '&member=' + encodeURIComponent(form.elements.member.value) : '';
        fetch('/api/v1/contact/households?q=' + encodeURIComponent(q) + m, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (d) {
            list.textContent = '';
            (d.items || []).forEach(function (h) {
              var li = document.createElement('li'), b = document.createElement('button');
              b.type = 'button';
              b.className = 'link';
              b.textContent = h.label + ' · ' + h.unit;
              b.addEventListener('click', function () {
                var hidden = form.querySelector('input[type="hidden"][name="household"]');
                if (!hidden) {
                  hidden = document.createElement('input');
                  hidden.type = 'hidden';
                  hidden.name = 'household';
                  form.appendChild(hidden);
                }
                form.querySelectorAll('input[name="household"]:checked').forEach(function (c) { c.checked = false; });
                hidden.value = String(h.id);
                input.value = h.label;
                list.hidden = true;
              });
              li.appendChild(b);
              list.appendChild(li);
            });
            list.hidden = !list.children.length;
          }).catch(function () { list.hidden = true; });
      }, 250);
    });
  }

  /* Registers the service worker and asks it to keep this page and its assets. */
  function offlineReady() {
    if (!('serviceWorker' in navigator)) return;
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      var urls = [location.pathname];
      document.querySelectorAll('link[rel="stylesheet"], link[rel="icon"], script[src]').forEach(function (el) {
        urls.push(el.getAttribute('href') || el.getAttribute('src'));
      });
      navigator.serviceWorker.addEventListener('message', function (e) {
        if (e.data && e.data.type === 'cached') form.setAttribute('data-offline-ready', '1');
      });
      reg.active.postMessage({ type: 'cache', urls: urls });
    }).catch(function () { /* no offline copy; the form still works online */ });
  }

  if (!form || !window.indexedDB) return;
  if (!form.elements.client_id.value) form.elements.client_id.value = uuid();
  form.addEventListener('submit', function (e) { if (!navigator.onLine) queueForm(e); });
  window.addEventListener('online', sync);
  typeahead();
  offlineReady();
  showQueue().then(sync);
})();
