// views/timesheet-person.js — whose week the Timesheet shows: for managers, admins and auditors
// (`read_team_time`), a Person menu of the people whose time they may read (by name, from
// /people); a manager or admin may then correct that person's week. The choice is `?user=` in
// the URL. Used only by views/timesheet.js.

import { h } from '../dom.js';
import * as api from '../api.js';
import { field } from '../ui.js';
import { has } from '../capabilities.js';

/**
 * The person asked for in the URL: an id other than the caller's, or '' for their own week.
 *
 * @param {URLSearchParams} query the page's query
 * @param {Object} me the signed-in user
 * @returns {string} a user id, or ''
 */
export function personParam(query, me) {
  const user = (query.get('user') || '').trim();
  return /^[0-9a-f-]{36}$/i.test(user) && user !== me.id && has(me, 'read_team_time') ? user : '';
}

/**
 * The Person menu, or null for those who see only their own week.
 *
 * @param {{state:Object, user:string}} ctx the page
 * @param {function(string):void} onPick called with the chosen id ('' for one's own week)
 * @returns {HTMLElement|null} the field
 */
export function personPicker(ctx, onPick) {
  const { me } = ctx.state;
  if (!has(me, 'read_team_time')) return null;
  const select = h('select', {}, h('option', { value: '' }, has(me, 'track_time') ? 'You' : 'Choose a person'));
  if (ctx.user) select.append(h('option', { value: ctx.user }, 'Loading…'));
  select.value = ctx.user;
  select.addEventListener('change', () => onPick(select.value));
  api.listPeople(ctx.state.signal).then((res) => {
    const others = res.items.filter((p) => p.id !== me.id);
    const keep = select.value;
    select.replaceChildren(select.options[0],
      ...others.map((p) => h('option', { value: p.id }, p.disabled ? `${p.name} (disabled)` : p.name)));
    if (keep && !others.some((p) => p.id === keep)) select.append(h('option', { value: keep }, 'Someone you cannot see'));
    select.value = keep;
  }, () => {
    // The menu keeps "You" and the person in the URL; the week itself says if it is refused.
  });
  return h('div', { class: 'ts-person' }, field({ label: 'Person', name: 'person', control: select }));
}
