{% load static %}// The youth survey's service worker, scoped to the pupil's pages: a reload without network still shows the
// questionnaire. Network first, so a fresh page always wins online; from the cache only when the network fails. It
// keeps two things: the stylesheets, scripts and icon the pupil's pages use, and the questionnaire page's offline copy
// (no code, no submission ID, no answers: answer.js fills it from the device), which it forgets once the answers are
// acknowledged. It never answers a POST from the cache and never keeps a POST's answer.
"use strict";
var STATIC = "trygg-ung-static";
var PAGE = "trygg-ung-page";
var STATIC_URL = "{% get_static_prefix %}";
var ANSWER = new URL("{% url 'youth:answer' %}", self.location).href;
var generation = 0;  // a copy fetched before the answers were forgotten is not kept after

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function isStatic(url) { return url.origin === self.location.origin && url.pathname.indexOf(STATIC_URL) === 0; }

// The page asks for its offline copy and its own stylesheets and scripts to be kept, or for the copy to be forgotten.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.forget) {
    generation += 1;
    event.waitUntil(caches.delete(PAGE));
    return;
  }
  if (!data.keep) { return; }
  var started = generation;
  var assets = (data.assets || []).filter(function (url) { return isStatic(new URL(url, self.location)); });
  var copy = new URL(data.keep, self.location);
  if (copy.origin !== self.location.origin) { return; }
  event.waitUntil(Promise.all([
    caches.open(STATIC).then(function (cache) { return cache.addAll(assets); }),
    fetch(copy.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || generation !== started) { return undefined; }
      return caches.open(PAGE).then(function (cache) { return cache.put(ANSWER, response); });
    })
  ]).catch(function () { return undefined; }));
});

function fromCache(request, cacheName) {
  return caches.match(request, { cacheName: cacheName }).then(function (response) { return response || Response.error(); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (request.mode === "navigate" && url.href.split("?")[0] === ANSWER) {
    // A reload of the questionnaire: the server's page online, the offline copy without network.
    event.respondWith(fetch(request).catch(function () { return fromCache(ANSWER, PAGE); }));
  } else if (isStatic(url)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var kept = response.clone();
        event.waitUntil(caches.open(STATIC).then(function (cache) { return cache.put(request, kept); }));
      }
      return response;
    }).catch(function () { return fromCache(request, STATIC); }));
  }
});
