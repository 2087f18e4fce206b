// views/security-format.js — how a security event reads: its kind as a label with a badge
// colour, a browser's user agent in a few words, who acted, and its small details as chips.

import { h } from '../dom.js';
import { formatInstant } from '../ui.js';

/** Kind → [label, badge class]. Failures are red, refusals and lockouts amber, the rest plain. */
const KINDS = {
  login_succeeded: ['Signed in', ''],
  login_failed: ['Sign-in failed', 'badge-off'],
  login_locked_out: ['Locked out', 'badge-warn'],
  login_refused: ['Sign-in refused', 'badge-warn'],
  logout: ['Signed out', ''],
  password_changed: ['Password changed', ''],
  link_issued: ['Link issued', ''],
  link_used: ['Link used', ''],
  role_changed: ['Role changed', ''],
  account_disabled: ['Account disabled', 'badge-warn'],
  account_enabled: ['Account enabled', ''],
  admin_command: ['Admin command', ''],
  token_used: ['Metrics token used', ''],
};

/**
 * A kind for people: "login_failed" → "Sign-in failed".
 *
 * @param {string} kind the kind in the API
 * @returns {string} a label
 */
export function kindLabel(kind) {
  if (KINDS[kind]) return KINDS[kind][0];
  const text = String(kind).replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The kind as a badge; failed sign-ins and refused tokens are coloured as failures,
 * lockouts and refusals as warnings.
 *
 * @param {{kind:string, detail:Object}} event a SecurityEventDto
 * @returns {HTMLElement} the badge
 */
export function kindBadge(event) {
  let cls = KINDS[event.kind] ? KINDS[event.kind][1] : '';
  if (event.kind === 'token_used' && event.detail && event.detail.accepted === false) cls = 'badge-off';
  return h('span', { class: `badge sec-kind ${cls || 'badge-plain'}`, dataset: { kind: event.kind } }, kindLabel(event.kind));
}

const BROWSERS = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/OPR\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/HeadlessChrome\/(\d+)/, 'Headless Chrome'],
  [/Chrom(?:e|ium)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];
const SYSTEMS = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/**
 * A user agent in a few words: "Firefox 128 on Linux", or a tool's own token ("curl/8.5.0").
 *
 * @param {string|null} ua the User-Agent header
 * @returns {string} short text ("" for none)
 */
export function shortAgent(ua) {
  if (!ua) return '';
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua);
    if (!m) continue;
    const os = SYSTEMS.find(([osRe]) => osRe.test(ua));
    return `${name} ${m[1]}${os ? ` on ${os[1]}` : ''}`;
  }
  const first = ua.split(/\s+/)[0];
  return first.length > 32 ? `${first.slice(0, 31)}…` : first;
}

/**
 * Who acted, for the "By" column: a name for a known user, "you" for the viewer.
 *
 * @param {string|null} by "user:<id>", "cli:<os user>", "system", "anonymous" or null (the person themself)
 * @param {Map<string,string>} names user id → name
 * @param {string} meId the viewer's id
 * @returns {HTMLElement|string} what to show
 */
export function byLabel(by, names, meId) {
  if (!by) return h('span', { class: 'muted', title: 'The person themself' }, '—');
  const user = /^user:(.+)$/.exec(by);
  if (user) {
    if (user[1] === meId) return h('span', { title: by }, 'you');
    const name = names.get(user[1]);
    return h('span', { title: by }, name || `user …${user[1].slice(-8)}`);
  }
  const cli = /^cli:(.+)$/.exec(by);
  if (cli) return h('span', { title: 'A command on the admin socket' }, `${cli[1]} (CLI)`);
  if (by === 'anonymous') return h('span', { class: 'muted', title: 'Nobody was signed in' }, '—');
  return by;
}

const REASONS = {
  wrong_password: 'wrong password',
  unknown_email: 'no account with this email',
  account_disabled: 'account disabled',
};
const HOW = { setup: 'first-run setup', account: 'on the account page', reset_link: 'with a reset link' };

/**
 * The event's details as chips ("reason wrong password", "role member → manager").
 *
 * @param {Object} detail the event's detail object
 * @param {string} zone IANA zone for instants
 * @returns {HTMLElement|null} a list of chips, or null when there is nothing to say
 */
export function detailChips(detail, zone) {
  if (!detail || typeof detail !== 'object') return null;
  const chips = [];
  const entries = Object.entries(detail);
  const chip = (key, value) => chips.push(h('li', { class: 'chip', dataset: { key } },
    h('span', { class: 'chip-key' }, key), h('span', { class: 'chip-value' }, value)));
  if ('from' in detail && 'to' in detail) chip('role', `${detail.from} → ${detail.to}`);
  for (const [key, value] of entries) {
    if ((key === 'from' || key === 'to') && 'from' in detail && 'to' in detail) continue;
    if (value === null || value === undefined || value === '') continue;
    if (key === 'reason') chip('reason', REASONS[value] || String(value).replaceAll('_', ' '));
    else if (key === 'how') chip('how', HOW[value] || String(value).replaceAll('_', ' '));
    else if (key === 'link') chip('link', `${String(value).replaceAll('_', ' ')} link`);
    else if (key === 'accepted') chip('token', value ? 'accepted' : 'refused');
    else if (key === 'retry_after_secs') chip('retry after', `${value} s`);
    else if (key === 'expires_at') chip('expires', formatInstant(String(value), zone, 'short'));
    else if (typeof value === 'object') chip(key.replaceAll('_', ' '), JSON.stringify(value));
    else chip(key.replaceAll('_', ' '), String(value));
  }
  return chips.length ? h('ul', { class: 'chips' }, chips) : null;
}
