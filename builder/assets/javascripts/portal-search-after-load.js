/* Start Material's search once the page has loaded, when the site is opened from file://.
 *
 * From file:// Material reads its search index as a script (search/search_index.js, several
 * MB) and runs its search worker in a hidden iframe (iframe-worker-shim.js). Both start while
 * the page is still being parsed, and a page's load event waits for every script and iframe:
 * so every page, and every map on it, was "loaded" only once the whole index had been read.
 * Here both wait until the page has loaded and drawn its first frame; search is ready a moment
 * later, and nothing else changes. Listed after the shim in mkdocs.yml (extra.polyfills), so it runs before Material.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:" || typeof window.IFrameWorker !== "function") return;

  /* After the load event, the next frame (a map on the page is drawn in it) and then the
   * first idle moment. */
  function afterLoad(callback) {
    function idle() {
      requestAnimationFrame(function () {
        if (window.requestIdleCallback) requestIdleCallback(callback, { timeout: 1000 });
        else setTimeout(callback, 0);
      });
    }
    if (document.readyState === "complete") idle();
    else window.addEventListener("load", idle, { once: true });
  }

  /* The index script: Material appends it to <head> and waits for its load event. */
  var head = document.head;
  var append = head.appendChild;
  head.appendChild = function (node) {
    if (node instanceof HTMLScriptElement && /\/search\/search_index\.js$/.test(node.src)) {
      afterLoad(function () { append.call(head, node); });
      return node;
    }
    return append.call(this, node);
  };

  /* The worker: the same interface as IFrameWorker, with the iframe made after the load
   * event; messages posted before then are queued, in order. */
  var Frame = window.IFrameWorker;
  function LaterWorker(url) {
    var self = this;
    var target = new EventTarget();
    var queue = [];
    var real = null;
    self.onmessage = null;
    self.onerror = null;
    self.addEventListener = target.addEventListener.bind(target);
    self.removeEventListener = target.removeEventListener.bind(target);
    self.dispatchEvent = target.dispatchEvent.bind(target);
    self.postMessage = function (message) {
      if (real) real.postMessage(message);
      else if (queue) queue.push(message);
    };
    self.terminate = function () {
      queue = null;
      if (real) real.terminate();
    };
    afterLoad(function () {
      if (!queue) return; // terminated before it started
      real = new Frame(url);
      real.addEventListener("message", function (event) {
        var copy = new MessageEvent("message", { data: event.data });
        target.dispatchEvent(copy);
        if (self.onmessage) self.onmessage(copy);
      });
      real.addEventListener("error", function (event) {
        target.dispatchEvent(new ErrorEvent("error", event));
        if (self.onerror) self.onerror(event);
      });
      queue.forEach(function (message) { real.postMessage(message); });
      queue = [];
    });
  }
  window.Worker = LaterWorker;
})();
