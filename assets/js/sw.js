/* Zuwei 组委 — service worker for field capture without signal.
   It keeps a copy of the visit form (/visits/new) and of the assets it uses, so the form still
   opens when the phone has no signal; visit.js queues what is entered and uploads it later.
   Only same-origin GET requests for the form and /assets/ are touched; everything else goes to
   the network as usual. */
'use strict';
var CACHE = 'zuwei-field-v1';
var FORM = '/visits/new';

self.addEventListener('install', function () { self.skipWaiting(); });

self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

/* The page asks for its own address and assets to be kept: {type: 'cache', urls: [...]}. */
self.addEventListener('message', function (e) {
  var d = e.data || {};
  if (d.type !== 'cache' || !Array.isArray(d.urls)) return;
  var src = e.source;
  e.waitUntil(caches.open(CACHE).then(function (c) {
    return Promise.all(d.urls.map(function (u) {
      var url = new URL(u, self.location.origin);
      if (url.origin !== self.location.origin) return null;
      var key = url.pathname === FORM ? FORM : url.pathname + url.search;
      return fetch(url.href, { credentials: 'same-origin' }).then(function (r) {
        if (r.ok && !r.redirected) return c.put(key, r);
        return null;
      }).catch(function () { return null; });
    }));
  }).then(function () { if (src) src.postMessage({ type: 'cached' }); }));
});

self.addEventListener('fetch', function (e) {
  var req = e.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf('/assets/') === 0) {
    e.respondWith(caches.match(url.pathname + url.search).then(function (hit) {
      return hit || fetch(req).then(function (r) {
        if (r.ok) {
          var copy = r.clone();
          caches.open(CACHE).then(function (c) { c.put(url.pathname + url.search, copy); });
        }
        return r;
      });
    }));
    return;
  }
  if (url.pathname === FORM) {
    e.respondWith(fetch(req).then(function (r) {
      if (r.ok && !r.redirected) {
        var copy = r.clone();
        caches.open(CACHE).then(function (c) { c.put(FORM, copy); });
      }
      return r;
    }).catch(function () {
      return caches.match(FORM).then(function (hit) { return hit || Response.error(); });
    }));
  }
});
