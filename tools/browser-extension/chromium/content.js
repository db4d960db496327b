// tamga bridge, content script: runs only on the origins of the manifest's "matches" (the
// bank's). Content scripts cannot reach the native host (no connectNative here), so requests go
// page -> window.postMessage -> this script -> runtime.sendMessage -> background -> host.
// The page's own origin is never taken from the page: the background reads sender.origin.
(() => {
  const api = globalThis.chrome || globalThis.browser;
  window.addEventListener('message', (ev) => {
    if (ev.source !== window || !ev.data || ev.data.type !== 'tamga-request') return;
    const { id, method, params } = ev.data;
    const reply = (body) =>
      window.postMessage({ ...body, type: 'tamga-response', id }, window.location.origin);
    try {
      api.runtime.sendMessage({ id, method, params }, (resp) => {
        const err = api.runtime.lastError && api.runtime.lastError.message;
        reply(err ? { ok: false, error: { code: 'browser.extension', message: err } } : resp);
      });
    } catch (e) {
      reply({ ok: false, error: { code: 'browser.extension', message: String(e) } });
    }
  });
  // Progress of a running request, from the background, tagged with the page's request id.
  api.runtime.onMessage.addListener((m) => {
    if (!m || m.type !== 'tamga-event') return;
    window.postMessage({ type: 'tamga-event', id: m.id, event: m.event }, window.location.origin);
  });
  // Lets the page see that the bridge is there.
  document.documentElement.dataset.tamgaBridge = '1';
})();
