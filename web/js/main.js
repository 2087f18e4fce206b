// main.js — the router and the app shell (top bar with the running timer, navigation,
// footer); keyboard shortcuts live in shortcuts.js.
// Views know nothing about each other; they get a `state` object and a root element.

import { h, qs, qsa, clear } from './dom.js';
import * as api from './api.js';
import { has } from './api.js';
import { toast, errorMessage, setPasswordRule } from './ui.js';

/** Routes by path. `public` pages render without the shell and need no session; `cap` names
 * the capability (`capabilities` of /api/v1/me) a page needs, the one the server checks. */
const NOT_FOUND = { load: () => import('./views/notfound.js') };

const ROUTES = {
  '/setup': { load: () => import('./views/setup.js'), public: true, title: 'Set up' },
  '/login': { load: () => import('./views/login.js'), public: true, title: 'Log in' },
  '/reset': { load: () => import('./views/reset.js'), public: true, title: 'Set your password' },
  '/signin': { load: () => import('./views/signin.js'), public: true, title: 'Sign in with a link' },
  '/dashboard': { load: () => import('./views/dashboard.js'), title: 'Dashboard', cap: 'read_projects' },
  '/today': { load: () => import('./views/today.js'), title: 'Today', cap: 'track_time' },
  '/timesheet': { load: () => import('./views/timesheet.js'), title: 'Timesheet', cap: 'track_time' },
  '/entries': { load: () => import('./views/entries.js'), title: 'Entries', cap: 'read_projects' },
  '/reports': { load: () => import('./views/reports.js'), title: 'Reports', cap: 'read_projects' },
  '/approvals': { load: () => import('./views/approvals.js'), title: 'Approvals', cap: 'approve_weeks' },
  '/portal': { load: () => import('./views/portal.js'), title: 'Portal', cap: 'read_portal' },
  '/projects': { load: () => import('./views/projects.js'), title: 'Projects', cap: 'read_projects' },
  '/projects/:id/board': { load: () => import('./views/board.js'), title: 'Task board', cap: 'read_projects', nav: '/projects' },
  '/clients': { load: () => import('./views/clients.js'), title: 'Clients', cap: 'read_projects' },
  '/tags': { load: () => import('./views/tags.js'), title: 'Tags', cap: 'read_projects' },
  '/account': { load: () => import('./views/account.js'), title: 'Account' },
  '/admin/users': { load: () => import('./views/users.js'), title: 'Users', cap: 'manage_users' },
  '/admin/import': { load: () => import('./views/imports.js'), title: 'Import', cap: 'manage_users' },
  '/admin/privacy': { load: () => import('./views/privacy.js'), title: 'Privacy requests', cap: 'read_privacy' },
  '/admin/privacy/:id': { load: () => import('./views/privacy-request.js'), title: 'Privacy request', cap: 'read_privacy', nav: '/admin/privacy' },
  '/admin/incidents': { load: () => import('./views/incidents.js'), title: 'Incidents', cap: 'read_privacy' },
  '/admin/incidents/:id': { load: () => import('./views/incident.js'), title: 'Incident', cap: 'read_privacy', nav: '/admin/incidents' },
  '/admin/retention': { load: () => import('./views/retention.js'), title: 'Retention & holds', cap: 'read_audit' },
  '/admin/security': { load: () => import('./views/security.js'), title: 'Security events', cap: 'read_audit' },
  '/admin/audit': { load: () => import('./views/audit.js'), title: 'Audit log', cap: 'read_audit' },
  '/admin/jobs': { load: () => import('./views/jobs.js'), title: 'Jobs', cap: 'manage_system' },
  '/admin/system': { load: () => import('./views/system.js'), title: 'System', cap: 'manage_system' },
};

/** Navigation entries, shown only to those holding the capability they need; the
 * administration ones under a heading of their own. */
const NAV = [
  { path: '/dashboard', label: 'Dashboard', key: 'd', cap: 'read_projects' },
  { path: '/today', label: 'Today', key: 't', cap: 'track_time' },
  { path: '/timesheet', label: 'Timesheet', key: 'w', cap: 'track_time' },
  { path: '/entries', label: 'Entries', key: 'e', cap: 'read_projects' },
  { path: '/reports', label: 'Reports', key: 'r', cap: 'read_projects' },
  { path: '/approvals', label: 'Approvals', key: 'o', cap: 'approve_weeks' },
  { path: '/portal', label: 'Portal', key: 'i', cap: 'read_portal' },
  { path: '/projects', label: 'Projects', key: 'p', cap: 'read_projects' },
  { path: '/clients', label: 'Clients', key: 'l', cap: 'read_projects' },
  { path: '/tags', label: 'Tags', key: '#', cap: 'read_projects' },
  { path: '/account', label: 'Account', key: 'c' },
  { group: 'admin', path: '/admin/users', label: 'Users', key: 'u', cap: 'manage_users' },
  { group: 'admin', path: '/admin/import', label: 'Import', key: 'm', cap: 'manage_users' },
  { group: 'admin', path: '/admin/privacy', label: 'Privacy requests', key: 'v', cap: 'read_privacy' },
  { group: 'admin', path: '/admin/incidents', label: 'Incidents', key: 'b', cap: 'read_privacy' },
  { group: 'admin', path: '/admin/retention', label: 'Retention & holds', key: 'h', cap: 'read_audit' },
  { group: 'admin', path: '/admin/security', label: 'Security events', key: 's', cap: 'read_audit' },
  { group: 'admin', path: '/admin/audit', label: 'Audit log', key: 'a', cap: 'read_audit' },
  { group: 'admin', path: '/admin/jobs', label: 'Jobs', key: 'j', cap: 'manage_system' },
  { group: 'admin', path: '/admin/system', label: 'System', key: 'y', cap: 'manage_system' },
];

const app = {
  me: null,
  instance: null,
  shell: null,
  controller: null,
  firstRender: true,
  /** Shortcut keys the current page handles itself (e.g. "s" on Today), reset on every render. */
  pageKeys: {},
  /** Open the new-entry dialog once Today renders (the "n" key pressed elsewhere). */
  pendingNewEntry: false,
};

const root = document.getElementById('app');

/**
 * A route's view module: loaded when the route is first opened (each page is its own
 * module, so the login page does not download the admin screens).
 *
 * @param {{view?:Object, load?:function():Promise<Object>}} route the route
 * @returns {Promise<Object>} the module, with its `render(target, state)`
 */
function viewOf(route) {
  return route.view ? Promise.resolve(route.view) : route.load();
}

/** The signed-in shell's modules (the running timer, keyboard shortcuts, the outbox of what
 * waits to be sent), loaded once after sign-in; `shellKit.timer` and `.outbox` are set once they are. */
const shellKit = { timer: null, outbox: null, loading: null };

function loadShellKit() {
  if (!shellKit.loading) {
    shellKit.loading = Promise.all([import('./timer.js'), import('./shortcuts.js'), import('./outbox.js')]).then(([timer, shortcuts, outbox]) => {
      shortcuts.installShortcuts({
        active: () => Boolean(app.me && app.shell),
        tracks: () => tracks(app.me),
        nav: () => NAV.filter((n) => allowed(n, app.me)),
        navigate,
        pageKey: (key) => app.pageKeys[key],
        requestNewEntry: () => { app.pendingNewEntry = true; },
      });
      timer.startTicker();
      shellKit.timer = timer;
      shellKit.outbox = outbox;
    });
    shellKit.loading.catch(() => { shellKit.loading = null; });
  }
  return shellKit.loading;
}

/**
 * Where a user lands after logging in, and where `/` leads: the Dashboard for everyone who tracks
 * time or reads projects (admins and auditors too), the portal for a client's account, the audit
 * log for those who read only it, else their account.
 *
 * @param {{capabilities:string[]}} me the signed-in user
 * @returns {string} a path
 */
function homeFor(me) {
  if (tracks(me) || has(me, 'read_projects')) return '/dashboard';
  if (has(me, 'read_portal')) return '/portal';
  if (has(me, 'read_audit')) return '/admin/audit';
  return '/account';
}

function tracks(me) {
  return has(me, 'track_time');
}

function allowed(entry, me) {
  return !entry.cap || has(me, entry.cap);
}

/**
 * Go to a path inside the app (history.pushState, or replaceState with `replace`).
 *
 * @param {string} path path plus optional query, e.g. "/admin/audit?action=user.created"
 * @param {{replace?:boolean}} [opts] replace the current history entry
 * @returns {void}
 */
export function navigate(path, opts = {}) {
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

function goLogin(returnTo) {
  const next = returnTo && returnTo !== '/' && !returnTo.startsWith('/login') ? `?next=${encodeURIComponent(returnTo)}` : '';
  navigate(`/login${next}`, { replace: true });
}

/**
 * The instance info (name, version, setup_needed), cached unless `fresh`.
 *
 * @param {{fresh?:boolean}} [opts] refetch instead of using the cache
 * @returns {Promise<{name:string, version:string, setup_needed:boolean}|null>} info, or null when unreachable
 */
function getInstance(opts = {}) {
  if (!app.instance || opts.fresh) {
    app.instance = api.getInstance().catch(() => null);
    app.instance.then((info) => { if (info) setPasswordRule(info.min_password_length); });
  }
  return app.instance;
}

async function logOut() {
  // Starts, stops and quick-add lines not sent yet stay on this device for this person: ask.
  if (shellKit.outbox && !(await shellKit.outbox.confirmSignOut())) return;
  try {
    await api.logOut();
  } catch (err) {
    if (err.status !== 401) {
      toast(errorMessage(err), 'error');
      return;
    }
  }
  app.me = null;
  if (shellKit.outbox) shellKit.outbox.setUser(null);
  navigate('/login');
  toast('You are logged out');
}

function setMe(user) {
  // Other answers (login, PATCH /me, the users list) carry no capabilities: keep the last ones
  // until the next navigation asks /api/v1/me again.
  app.me = user.capabilities ? user : { ...user, capabilities: (app.me && app.me.capabilities) || [] };
  if (app.shell) {
    qs('.usermenu-name', app.shell).textContent = user.name;
    qs('.usermenu-avatar', app.shell).textContent = initials(user.name);
    qs('.usermenu-button', app.shell).title = user.name;
  }
}

/**
 * A person's initials for the avatar: the first letters of their first and last names.
 *
 * @param {string} name the account's name
 * @returns {string} one or two capital letters ("?" for an empty name)
 */
function initials(name) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (word) => (word ? Array.from(word)[0].toLocaleUpperCase() : '');
  return (words.length > 1 ? first(words[0]) + first(words[words.length - 1]) : first(words[0])) || '?';
}

function makeState(path, signal) {
  return {
    me: app.me,
    path,
    query: new URLSearchParams(location.search),
    signal,
    navigate,
    toast,
    setMe,
    logOut,
    getInstance,
    homeFor,
    /** Handle a shortcut key on this page only (until the next navigation). */
    onShortcut(key, fn) {
      app.pageKeys[key] = fn;
    },
    /** Whether the "n" key asked for a new entry before this page rendered (asked once). */
    takeNewEntryRequest() {
      const wanted = app.pendingNewEntry;
      app.pendingNewEntry = false;
      return wanted;
    },
    /** Replace the query string without rendering again (e.g. while typing a search). */
    setQuery(params) {
      const qs2 = params.toString();
      history.replaceState(null, '', qs2 ? `${path}?${qs2}` : path);
    },
  };
}

/**
 * The route for a path: an exact ROUTES key, else a key with `:name` segments (e.g.
 * `/projects/:id/board`), whose values come back decoded in `params`.
 *
 * @param {string} path location.pathname without a trailing slash
 * @returns {Object|null} the route (with `params` for a parameterised one), or null
 */
function matchRoute(path) {
  if (Object.hasOwn(ROUTES, path) && !path.includes('/:')) return ROUTES[path];
  const parts = path.split('/');
  for (const [pattern, route] of Object.entries(ROUTES)) {
    const want = pattern.split('/');
    if (!pattern.includes('/:') || want.length !== parts.length) continue;
    const params = {};
    const ok = want.every((seg, i) => {
      if (!seg.startsWith(':')) return seg === parts[i];
      try {
        params[seg.slice(1)] = decodeURIComponent(parts[i]);
      } catch {
        return false;
      }
      return parts[i] !== '';
    });
    if (ok) return { ...route, params };
  }
  return null;
}

async function render() {
  if (app.controller) app.controller.abort();
  const controller = new AbortController();
  app.controller = controller;
  app.pageKeys = {};
  closeMenus();
  const path = location.pathname.length > 1 ? location.pathname.replace(/\/+$/, '') : '/';
  const route = matchRoute(path);

  if (route && route.public) {
    await renderPublic(route, path, controller.signal);
    return;
  }
  // Ask who we are on every app navigation (one small request): a session that was
  // revoked or a role that changed shows up at the next click, not at the next reload.
  try {
    const me = await api.getMe(controller.signal);
    await loadShellKit();
    if (controller.signal.aborted) return;
    if (app.shell && app.me && String(app.me.capabilities) !== String(me.capabilities)) app.shell = null;
    setMe(me);
    // Whose outbox this is; what waits in it is sent now.
    shellKit.outbox.setUser(me);
    if (tracks(me)) shellKit.timer.refreshTimer();
  } catch (err) {
    if (api.isAbort(err) || controller.signal.aborted) return;
    app.me = null;
    app.shell = null;
    if (err.status === 401) {
      if (route || path === '/') goLogin(path + location.search);
      else renderPublic({ ...NOT_FOUND, title: 'Page not found' }, path, controller.signal);
      return;
    }
    renderPublic({ view: { render: (r) => renderFatal(r, err) }, title: 'Error' }, path, controller.signal);
    return;
  }
  if (path === '/') {
    navigate(homeFor(app.me), { replace: true });
    return;
  }
  if (!route) {
    renderApp({ ...NOT_FOUND, title: 'Page not found' }, path, controller.signal);
  } else if (!allowed(route, app.me)) {
    renderApp({ ...NOT_FOUND, title: 'No access', forbidden: true }, path, controller.signal);
  } else {
    renderApp(route, path, controller.signal);
  }
}

function renderFatal(target, err) {
  target.appendChild(h('div', { class: 'auth-card' },
    h('h1', {}, 'OphionTT could not start'),
    h('p', {}, errorMessage(err)),
    h('p', {}, h('a', { href: location.pathname }, 'Try again'))));
}

function setTitle(title) {
  document.title = `${title} · OphionTT`;
}

async function renderPublic(route, path, signal) {
  const view = await loadView(route, path, signal);
  if (!view) return;
  app.shell = null;
  clear(root);
  const main = h('main', { id: 'main', class: 'auth-main', tabindex: '-1' });
  root.appendChild(main);
  setTitle(route.title);
  view.render(main, makeState(path, signal));
  app.firstRender = false;
}

/**
 * The route's view, or null when the navigation was superseded meanwhile or the module could
 * not be loaded (then an error page says so: a new release while the page was open, or the
 * server is unreachable).
 */
async function loadView(route, path, signal) {
  try {
    const view = await viewOf(route);
    return signal.aborted ? null : view;
  } catch (err) {
    if (signal.aborted) return null;
    app.shell = null;
    clear(root);
    const main = h('main', { id: 'main', class: 'auth-main', tabindex: '-1' });
    root.appendChild(main);
    setTitle('Error');
    renderFatal(main, new Error('This page could not be loaded. Check your connection, then reload the page.'));
    return null;
  }
}

async function renderApp(route, path, signal) {
  const view = await loadView(route, path, signal);
  if (!view) return;
  if (!app.shell) buildShell();
  for (const link of qsa('nav a', app.shell)) {
    const href = link.getAttribute('href');
    if (href === path) link.setAttribute('aria-current', 'page');
    else if (href === route.nav) link.setAttribute('aria-current', 'true');
    else link.removeAttribute('aria-current');
  }
  const main = qs('#main', app.shell);
  clear(main);
  setTitle(route.title);
  const state = makeState(path, signal);
  if (route.forbidden) state.forbidden = true;
  if (route.params) state.params = route.params;
  view.render(main, state);
  if (!app.firstRender) {
    const heading = qs('h1', main);
    if (heading) heading.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  app.firstRender = false;
}

function buildShell() {
  const me = app.me;
  const menuId = 'usermenu-list';
  // On a phone the name gives way to its initials in a circle (shell.css); the name stays the
  // button's accessible name, and its title. setMe keeps them up to date after a rename.
  const nameEl = h('span', { class: 'usermenu-name' }, me.name);
  const avatar = h('span', { class: 'usermenu-avatar', 'aria-hidden': 'true' }, initials(me.name));
  const menuButton = h('button', {
    type: 'button', class: 'usermenu-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': menuId,
    title: me.name, onclick: () => toggleUserMenu(),
  }, avatar, nameEl, h('span', { class: 'caret', 'aria-hidden': 'true' }));
  const menu = h('div', { class: 'usermenu-list', id: menuId, role: 'menu', hidden: true, onkeydown: handleMenuKey },
    h('a', { role: 'menuitem', href: '/account' }, 'Account'),
    h('button', { type: 'button', role: 'menuitem', onclick: () => logOut() }, 'Log out'));
  const navToggle = h('button', {
    type: 'button', class: 'nav-toggle', 'aria-controls': 'nav', 'aria-expanded': 'false',
    onclick: () => toggleNav(),
  }, 'Menu');
  const navList = (items) => h('ul', {}, items.map((n) => h('li', {}, h('a', { href: n.path }, n.label))));
  const shown = NAV.filter((n) => allowed(n, me));
  const admin = shown.filter((n) => n.group === 'admin');
  const nav = h('nav', { id: 'nav', class: 'nav', 'aria-label': 'Main' },
    h('div', { class: 'nav-inner' },
      navList(shown.filter((n) => n.group !== 'admin')),
      admin.length ? h('h2', { class: 'nav-heading' }, 'Administration') : null,
      admin.length ? navList(admin) : null));
  const footer = h('footer', { class: 'footer' }, h('span', { class: 'footer-version' }, 'OphionTT'));
  app.shell = h('div', { class: 'shell' },
    h('a', { class: 'skip-link', href: '#main', onclick: skipToMain }, 'Skip to content'),
    h('header', { class: 'topbar' },
      navToggle,
      h('a', { class: 'brand', href: '/', 'aria-label': 'OphionTT' }, brandMark(), h('span', { class: 'brand-text' }, 'OphionTT')),
      tracks(me) ? shellKit.timer.topbarTimer() : null,
      shellKit.outbox.indicator(),
      h('div', { class: 'usermenu' }, menuButton, menu)),
    nav,
    h('main', { id: 'main', class: 'main', tabindex: '-1' }),
    footer);
  clear(root);
  root.appendChild(app.shell);
  getInstance().then((info) => {
    if (info && app.shell) qs('.footer-version', app.shell).textContent = `${info.name || 'OphionTT'} ${info.version}`;
  });
}

function brandMark() {
  // The icon's content-hashed URL, as the page names it (cached for a year).
  const icon = document.querySelector('link[rel="icon"]');
  const img = h('img', { src: (icon && icon.getAttribute('href')) || '/favicon.svg', alt: '', width: '22', height: '22', class: 'brand-mark' });
  return img;
}

function skipToMain(event) {
  event.preventDefault();
  const main = qs('#main');
  if (main) main.focus();
}

function toggleUserMenu(force) {
  if (!app.shell) return;
  const button = qs('.usermenu-button', app.shell);
  const menu = qs('.usermenu-list', app.shell);
  const open = force === undefined ? menu.hidden : force;
  menu.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (open) qs('[role="menuitem"]', menu).focus();
}

function handleMenuKey(event) {
  const items = qsa('[role="menuitem"]', event.currentTarget);
  const index = items.indexOf(document.activeElement);
  if (event.key === 'Escape') {
    toggleUserMenu(false);
    qs('.usermenu-button', app.shell).focus();
  } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    const step = event.key === 'ArrowDown' ? 1 : -1;
    items[(index + step + items.length) % items.length].focus();
  }
}

function toggleNav(force) {
  if (!app.shell) return;
  const button = qs('.nav-toggle', app.shell);
  const open = force === undefined ? button.getAttribute('aria-expanded') !== 'true' : force;
  button.setAttribute('aria-expanded', String(open));
  app.shell.classList.toggle('nav-open', open);
}

function closeMenus() {
  if (!app.shell) return;
  toggleNav(false);
  const menu = qs('.usermenu-list', app.shell);
  if (menu && !menu.hidden) toggleUserMenu(false);
}

function handleDocumentClick(event) {
  if (app.shell && !event.target.closest('.usermenu')) {
    const menu = qs('.usermenu-list', app.shell);
    if (!menu.hidden) toggleUserMenu(false);
  }
  const link = event.target.closest('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  // data-document: a page the server renders itself (the privacy notice), loaded in full.
  if (link.target || link.hasAttribute('download') || link.hasAttribute('data-document')) return;
  const href = link.getAttribute('href');
  if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) return;
  event.preventDefault();
  navigate(href);
}

api.setUnauthorizedHandler(() => {
  // The session ended underneath us (expired, logged out elsewhere, disabled by an admin).
  if (!app.me) return;
  app.me = null;
  app.shell = null;
  goLogin(location.pathname + location.search);
});

document.addEventListener('click', handleDocumentClick);
window.addEventListener('popstate', () => render());
render();
// Installable, and opens without a network (web/sw.js caches the web UI only, never data).
// The files this page loaded before the worker ran are handed to it for its cache (they come
// from the browser's own cache: no download).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then((reg) => {
    const loaded = performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.startsWith(`${location.origin}/static/`));
    if (reg.active) reg.active.postMessage({ cache: loaded });
  }).catch(() => {});
}
