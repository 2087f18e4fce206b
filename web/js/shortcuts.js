// shortcuts.js — the app's keyboard shortcuts: `?` lists them, `g <key>` goes to a
// page, `s` starts/stops the timer and `n` opens a new entry. Keys typed into a field
// or while a dialog is open are left alone.

import { h } from './dom.js';
import { toast, openDialog, errorMessage } from './ui.js';
import { getRunning, stopRunning, stoppedMessage } from './timer.js';

let pendingG = 0;

/**
 * Listen for shortcuts on the document.
 *
 * @param {{active:function():boolean, tracks:function():boolean,
 *          nav:function():Array<{path:string, label:string, key:string}>, navigate:function(string):void,
 *          pageKey:function(string):(function():void|undefined), requestNewEntry:function():void}} app
 *   what the shell knows: whether someone is signed in with the shell shown, whether they track
 *   time, the navigation entries they may use, the router, the current page's own key handlers,
 *   and how to ask Today for the new-entry dialog
 * @returns {void}
 */
export function installShortcuts(app) {
  document.addEventListener('keydown', (event) => handleShortcut(app, event));
}

function handleShortcut(app, event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest && target.closest('input, textarea, select, [contenteditable="true"]')) return;
  if (document.querySelector('dialog[open]')) return;
  if (!app.active()) return;
  if (event.key === '?') {
    event.preventDefault();
    showShortcuts(app);
    return;
  }
  if (event.key === 'g') {
    pendingG = Date.now();
    return;
  }
  if (pendingG && Date.now() - pendingG < 1500) {
    pendingG = 0;
    const entry = app.nav().find((n) => n.key === event.key);
    if (entry) {
      event.preventDefault();
      app.navigate(entry.path);
    }
    return;
  }
  pendingG = 0;
  // Keys the current page handles itself (e.g. `q` on Today), other than the tracking keys below.
  const own = event.key !== 's' && event.key !== 'n' && app.pageKey(event.key);
  if (own && !event.repeat) {
    event.preventDefault();
    own();
    return;
  }
  if ((event.key === 's' || event.key === 'n') && !event.repeat && app.tracks()) {
    event.preventDefault();
    handleTrackingKey(app, event.key);
  }
}

/** `s` starts/stops the timer (elsewhere than Today: stops only); `n` opens New entry on Today. */
function handleTrackingKey(app, key) {
  const own = app.pageKey(key);
  if (own) {
    own();
  } else if (key === 'n') {
    app.requestNewEntry();
    app.navigate('/today');
  } else if (getRunning()) {
    stopRunning().then((stopped) => {
      if (stopped) toast(stoppedMessage(stopped));
    }, (err) => toast(errorMessage(err), 'error'));
  } else {
    toast('No timer is running. Start one on Today (g t).');
  }
}

function showShortcuts(app) {
  const rows = [['?', 'Show this list']];
  if (app.tracks()) rows.push(['s', 'Start or stop the timer (elsewhere than Today: stop it)'], ['n', 'New entry (on Today)'], ['q', 'Quick add (on Today)']);
  for (const n of app.nav()) rows.push([`g ${n.key}`, `Go to ${n.label}`]);
  rows.push(['Esc', 'Close a dialog or menu']);
  openDialog({
    title: 'Keyboard shortcuts',
    content: h('table', { class: 'shortcuts' },
      h('tbody', {}, rows.map(([keys, what]) => h('tr', {},
        h('th', { scope: 'row' }, keys.split(' ').map((k) => h('kbd', {}, k))),
        h('td', {}, what))))),
  });
}
