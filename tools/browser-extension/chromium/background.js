// tamga bridge, background (MV3 service worker in Chromium, event page in Firefox): the only
// place connectNative exists. One native port per request: the host process lives for one
// request and one prompt, and dies with the port.
const api = globalThis.chrome || globalThis.browser;
const HOST = 'kz.tamga.bridge';

function viaHost(message, onEvent) {
  return new Promise((resolve) => {
    let port;
    try {
      port = api.runtime.connectNative(HOST);
    } catch (e) {
      resolve({ ok: false, error: { code: 'browser.no_host', message: String(e) } });
      return;
    }
    const chunks = [];
    let done = false;
    const finish = (r) => { if (!done) { done = true; resolve(r); try { port.disconnect(); } catch (e) {} } };
    port.onMessage.addListener((m) => {
      // Replies over the browsers' 1 MiB limit arrive in pieces of their JSON text.
      if (m && m.chunk) {
        chunks[m.chunk.index] = m.chunk.data;
        if (chunks.filter((c) => c !== undefined).length === m.chunk.count) {
          try { m = JSON.parse(chunks.join('')); } catch (e) {
            finish({ ok: false, error: { code: 'browser.bad_chunks', message: String(e) } });
            return;
          }
        } else {
          return;
        }
      }
      if (m && m.event) { onEvent(m); return; }
      finish(m);
    });
    port.onDisconnect.addListener(() => {
      const err = (api.runtime.lastError && api.runtime.lastError.message) || 'the host exited';
      finish({ ok: false, error: { code: 'browser.host_exited', message: err } });
    });
    port.postMessage(message);
  });
}

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  // sender.origin is the page's origin as the browser knows it (Firefox: from sender.url).
  let origin = sender.origin;
  if (!origin && sender.url) { try { origin = new URL(sender.url).origin; } catch (e) {} }
  if (!sender.tab || !origin) {
    sendResponse({ ok: false, error: { code: 'browser.no_origin', message: 'not from a page' } });
    return false;
  }
  const message = { id: msg.id, origin, method: String(msg.method || ''), params: msg.params || {} };
  // Progress events (a registration's steps) go back to the tab and frame that asked.
  const toPage = (ev) => {
    try {
      const sent = api.tabs.sendMessage(sender.tab.id, { type: 'tamga-event', id: msg.id, event: ev },
        { frameId: sender.frameId || 0 });
      if (sent && sent.catch) sent.catch(() => {});
    } catch (e) {}
  };
  viaHost(message, toPage).then(sendResponse);
  return true; // the answer comes later
});
