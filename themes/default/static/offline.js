/* Offline hall mode: registers the service worker the build writes (sw.js, at the site's
   root: one level above this file in static/) and shows the offline note while the phone
   has no connection or the page is a copy saved on it (<html data-saved>, set by sw.js;
   "missing" when the page was never saved and its language's offline page stands in).
   The worker registers once the page has loaded, so that what it saves ahead never
   competes with the page's own photos on a weak signal. */
(function () {
  var note = document.querySelector('[data-offline-note]');
  var saved = document.documentElement.getAttribute('data-saved');
  if (note && saved === 'missing') note.textContent = note.getAttribute('data-missing');
  function update() { if (note) note.hidden = navigator.onLine && saved === null; }
  addEventListener('online', function () { saved = null; update(); });
  addEventListener('offline', update);
  update();
  var script = document.currentScript;
  if (!script || !('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  var worker = new URL('../sw.js', script.src).href;
  function register() { navigator.serviceWorker.register(worker).catch(function () {}); }
  if (document.readyState === 'complete') register(); else addEventListener('load', register);
})();
