// sw.js — the service worker that makes OphionTT installable and lets it open without a
// network. It caches only the web UI itself, never an API answer (no personal data is kept in
// the browser's caches):
//   - files under /static/ (content-hashed, never changing): from the cache once fetched;
//   - pages (navigations): from the network, and the last shell seen when the network fails,
//     so the app opens and says that the server cannot be reached;
//   - everything else, /api/ included: the network only.
// A new release changes the shell and the hashes; old files leave the cache when the new
// worker takes over.

const CACHE = 'ophiontt-ui-v1';
const SHELL = '/__shell';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const shell = await fetch('/', { cache: 'no-cache' });
    if (shell.ok) await cache.put(SHELL, shell);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith('/static/') && /\.[0-9a-f]{10}\.[a-z]+$/.test(url.pathname)) {
    event.respondWith(immutable(request));
  }
});

// The page hands over the /static/ files it loaded before this worker controlled it.
self.addEventListener('message', (event) => {
  const urls = (event.data && Array.isArray(event.data.cache) ? event.data.cache : [])
    .filter((u) => typeof u === 'string' && new URL(u).origin === self.location.origin && new URL(u).pathname.startsWith('/static/'));
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map(async (u) => {
    if (!(await cache.match(u))) await cache.add(u).catch(() => {});
  }))));
});

async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const type = response.headers.get('content-type') || '';
    if (response.ok && type.startsWith('text/html')) await cache.put(SHELL, response.clone());
    return response;
  } catch (err) {
    const shell = await cache.match(SHELL);
    if (shell) return shell;
    throw err;
  }
}

async function immutable(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
