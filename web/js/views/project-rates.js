// views/project-rates.js — a project's rate changes: from a day on, for the whole project, one
// member or one task; the most specific in force prices an entry (task, then member, then
// project), and before any change the project's hourly rate does. Opened from views/projects.js
// for those who may edit the project.

import { h, qs } from '../dom.js';
import * as api from '../api.js';
import { busy, openDialog, showApiError, showFormError, clearErrors, formError, toast } from '../ui.js';
import { formatMoney, parseMoney } from '../track.js';
import { dateIn } from '../time.js';

/**
 * Open the rates dialog of `project`.
 *
 * @param {{state:Object, replaceProject:function(Object):void}} ctx the projects page
 * @param {Object} project the ProjectDto (with `rates`)
 * @returns {void}
 */
export function openRates(ctx, project) {
  const zone = ctx.state.me.time_zone;
  const rows = h('tbody', {});
  const choices = { people: [], tasks: [] };
  const base = project.rate_cents === null || project.rate_cents === undefined
    ? 'no rate' : formatMoney(project.rate_cents, project.currency);
  const form = h('form', { class: 'form rates-form', novalidate: true },
    h('p', { class: 'muted' },
      `Before any change below, time on ${project.name} is billed at its hourly rate (${base}). `,
      'A change applies to time that starts on or after its day. A task’s rate beats a member’s, which beats the project’s.'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table rates-table' },
      h('caption', { class: 'visually-hidden' }, 'Rate changes'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'For'),
        h('th', { scope: 'col' }, 'From'),
        h('th', { scope: 'col', class: 'num' }, `Hourly rate (${project.currency})`),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')))),
      rows)),
    h('p', { class: 'rates-empty muted', hidden: true }, 'No rate changes: the hourly rate applies to all of the time.'),
    h('button', { type: 'button', class: 'btn', onclick: () => addRow({ scope: 'project', from: dateIn(zone), rate_cents: project.rate_cents ?? null }, true) }, 'Add a rate change'),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save rates')));
  const dlg = openDialog({ title: `Rates of ${project.name}`, content: form, wide: true });
  const empty = qs('.rates-empty', form);
  const refreshEmpty = () => { empty.hidden = rows.children.length > 0; };

  function forSelect(rate) {
    const select = h('select', { 'aria-label': 'For', name: 'for' },
      h('option', { value: 'project' }, 'The whole project'),
      choices.people.length ? h('optgroup', { label: 'A member' },
        ...choices.people.map((p) => h('option', { value: `member:${p.id}` }, p.name))) : null,
      choices.tasks.length ? h('optgroup', { label: 'A task' },
        ...choices.tasks.map((t) => h('option', { value: `task:${t.id}` }, t.title))) : null);
    const want = rate.scope === 'member' ? `member:${rate.user_id}` : rate.scope === 'task' ? `task:${rate.task_id}` : 'project';
    if (![...select.options].some((o) => o.value === want)) {
      // Someone no longer listed (or a task since archived): kept under its name.
      select.append(h('option', { value: want }, rate.label || 'Someone no longer on the project'));
    }
    select.value = want;
    return select;
  }

  function addRow(rate, focus) {
    const money = rate.rate_cents === null || rate.rate_cents === undefined ? '' : (rate.rate_cents / 100).toFixed(2);
    const from = h('input', { type: 'date', value: rate.from, required: true, 'aria-label': 'From' });
    const amount = h('input', { type: 'text', value: money, inputmode: 'decimal', autocomplete: 'off', placeholder: 'no rate', 'aria-label': 'Hourly rate' });
    const tr = h('tr', {},
      h('td', {}, forSelect(rate)),
      h('td', {}, from),
      h('td', { class: 'num' }, amount),
      h('td', { class: 'cell-actions' }, h('button', {
        type: 'button', class: 'btn-icon', 'aria-label': 'Remove this rate change', title: 'Remove',
        onclick: () => { tr.remove(); refreshEmpty(); },
      }, '×')));
    rows.append(tr);
    refreshEmpty();
    if (focus) qs('select', tr).focus();
  }

  (async () => {
    const [people, tasks] = await Promise.all([
      api.listPeople(ctx.state.signal).catch(() => ({ items: [] })),
      api.listTasks(project.id, {}, ctx.state.signal).catch(() => ({ items: [] })),
    ]);
    const on = new Set([...(project.member_ids || []), ...(project.manager_ids || [])]);
    choices.people = people.items.filter((p) => on.has(p.id)).sort((a, b) => a.name.localeCompare(b.name));
    choices.tasks = tasks.items;
    for (const rate of project.rates || []) addRow(rate, false);
    refreshEmpty();
  })();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const items = [];
    for (const tr of rows.children) {
      const [forValue, from, amount] = [qs('select', tr).value, qs('input[type="date"]', tr), qs('input[type="text"]', tr)];
      const cents = parseMoney(amount.value);
      amount.removeAttribute('aria-invalid');
      from.removeAttribute('aria-invalid');
      if (cents === undefined || !from.value) {
        (cents === undefined ? amount : from).setAttribute('aria-invalid', 'true');
        showFormError(form, cents === undefined ? 'Enter rates like 95 or 95.50, or leave one empty for no rate' : 'Every change needs its day');
        return;
      }
      const [scope, id] = forValue.split(':');
      items.push({ scope, from: from.value, rate_cents: cents, ...(scope === 'member' ? { user_id: id } : {}), ...(scope === 'task' ? { task_id: id } : {}) });
    }
    try {
      const updated = await busy(qs('button[type="submit"]', form), () => api.setProjectRates(project.id, items));
      dlg.close();
      toast(`Saved the rates of ${updated.name}`);
      ctx.replaceProject(updated);
    } catch (err) {
      const why = err.fields && (err.fields.rates || err.fields.user_id || err.fields.task_id || err.fields.from);
      if (why) showFormError(form, why.message);
      else showApiError(form, err);
    }
  });
}
