// views/entries-filters.js — the filters of the Entries page: read from and written to the URL
// query (so a link, a reload and the back button show the same list), the form with its menus
// (tasks follow the chosen project, projects the chosen client), and the checks made before asking.

import { h } from '../dom.js';
import { field, setFieldError } from '../ui.js';
import { projectTasks } from '../task-picker.js';
import { has } from '../capabilities.js';

/** Query keys of the filters, in the order they are written to the URL. */
export const FILTERS = ['user_id', 'from', 'to', 'project_id', 'client_id', 'task_id', 'tag', 'billable', 'q'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS_NOTE = { in_progress: ' (in progress)', done: ' (done)' };

/**
 * The filters named in a URL query; dates that do not parse fall back to the defaults.
 *
 * @param {URLSearchParams} query the page's query
 * @param {string} from default first day
 * @param {string} to default last day
 * @returns {Object<string, string>} every key of FILTERS, "" when unset
 */
export function readFilters(query, from, to) {
  const filters = {};
  for (const key of FILTERS) filters[key] = (query.get(key) || '').trim();
  if (!DATE_RE.test(filters.from)) filters.from = from;
  if (!DATE_RE.test(filters.to)) filters.to = to;
  if (filters.billable !== 'true' && filters.billable !== 'false') filters.billable = '';
  filters.user_id = filters.user_id.replace(/^user:/, '');
  return filters;
}

/**
 * A YYYY-MM-DD date moved by `days` calendar days.
 *
 * @param {string} date YYYY-MM-DD
 * @param {number} days how many days (negative: back)
 * @returns {string} YYYY-MM-DD
 */
export function addDays(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * How many filters differ from the defaults (the dates count once).
 *
 * @param {{filters:Object, defaults:{from:string, to:string}}} ctx the page
 * @returns {number} the count
 */
export function activeCount(ctx) {
  const f = ctx.filters;
  let n = f.from !== ctx.defaults.from || f.to !== ctx.defaults.to ? 1 : 0;
  for (const key of ['project_id', 'client_id', 'task_id', 'tag', 'billable', 'q']) if (f[key]) n += 1;
  return n;
}

/** The page's URL for the current filters; default dates are left out, so "last 7 days" stays relative. */
function filterUrl(ctx) {
  const params = new URLSearchParams();
  for (const key of FILTERS) {
    const value = ctx.filters[key];
    if (!value || (key === 'from' && value === ctx.defaults.from) || (key === 'to' && value === ctx.defaults.to)) continue;
    params.set(key, value);
  }
  const query = params.toString();
  return query ? `/entries?${query}` : '/entries';
}

/**
 * The filter form (a "Filters" disclosure on phones). Every change is written to the URL and
 * calls `ctx.refilter()`; typing in the search box waits for a pause of 250 ms.
 *
 * @param {Object} ctx the Entries page (state, filters, defaults, refilter, …)
 * @returns {{el:HTMLElement, controls:Object<string, HTMLElement>, fill:function():void,
 *            focusSearch:function():void}} the form and its controls
 */
export function filterForm(ctx) {
  const { state, filters } = ctx;
  const select = (first) => h('select', {}, h('option', { value: '' }, first));
  const project = select('Any project');
  const client = select('Any client');
  const task = select('Any task');
  const tag = select('Any tag');
  const billable = h('select', {},
    h('option', { value: '' }, 'Billable or not'),
    h('option', { value: 'true', selected: filters.billable === 'true' }, 'Billable'),
    h('option', { value: 'false', selected: filters.billable === 'false' }, 'Not billable'));
  // Until the lists arrive, the chosen values are kept as placeholder options.
  for (const [sel, value] of [[project, filters.project_id], [client, filters.client_id], [task, filters.task_id], [tag, filters.tag]]) {
    if (value) sel.append(h('option', { value, selected: true }, value === filters.tag ? value : '…'));
  }
  task.disabled = !filters.project_id && !filters.task_id;
  const search = h('input', { type: 'search', value: filters.q, autocomplete: 'off', placeholder: 'Words in the note', maxlength: '200' });
  const searchField = field({ label: 'Search notes', name: 'q', control: search });
  searchField.classList.add('field-search');
  const clearBox = h('div', { class: 'filter-actions' },
    h('button', { type: 'button', class: 'btn btn-link', onclick: () => clearFilters(ctx) }, 'Clear filters'));
  // Someone else's entries, picked by name: admins and auditors anyone's, managers those of
  // the people on their projects (GET /people). Until the names arrive, a chosen person is kept.
  const personSelect = has(state.me, 'read_team_time')
    ? h('select', {}, h('option', { value: '' }, 'You'),
      filters.user_id && filters.user_id !== state.me.id ? h('option', { value: filters.user_id, selected: true }, '…') : null)
    : null;
  const person = personSelect ? field({ label: 'Person', name: 'user_id', control: personSelect }) : null;
  const panelId = 'entry-filters-panel';
  const toggle = h('button', {
    type: 'button', class: 'btn filters-toggle', 'aria-expanded': 'false', 'aria-controls': panelId,
    onclick: () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      form.classList.toggle('is-open', open);
    },
  }, 'Filters');
  const form = h('form', { class: 'entry-filters', id: panelId, novalidate: true, 'aria-label': 'Filter entries' },
    field({ label: 'From', name: 'from', type: 'date', value: filters.from, required: true }),
    field({ label: 'To', name: 'to', type: 'date', value: filters.to, required: true }),
    field({ label: 'Client', name: 'client_id', control: client }),
    field({ label: 'Project', name: 'project_id', control: project }),
    field({ label: 'Task', name: 'task_id', control: task }),
    field({ label: 'Tag', name: 'tag', control: tag }),
    field({ label: 'Billable', name: 'billable', control: billable }),
    searchField,
    person,
    clearBox);
  const el = h('div', { class: 'entry-filters-box' }, toggle, form);

  const controls = { project, client, task, tag, billable, search, person: personSelect };
  const showState = () => {
    const n = activeCount(ctx);
    toggle.textContent = n ? `Filters (${n} active)` : 'Filters';
    clearBox.hidden = n === 0;
  };
  let typing = 0;
  const apply = (how) => {
    clearTimeout(typing);
    const personBefore = ctx.filters.user_id;
    for (const key of FILTERS) {
      const control = form.elements.namedItem(key);
      if (control) ctx.filters[key] = String(control.value || '').trim();
    }
    ctx.filters.user_id = ctx.filters.user_id.replace(/^user:/, '');
    if (!checkFilters(ctx, form)) return;
    const url = filterUrl(ctx);
    if (ctx.filters.user_id !== personBefore) {
      // Whose list it is changes the page around it (its intro, New entry): draw it anew.
      state.navigate(url);
      return;
    }
    if (url !== location.pathname + location.search) {
      if (how === 'replace') state.setQuery(new URL(url, location.origin).searchParams);
      else history.pushState(null, '', url);
    }
    showState();
    ctx.refilter();
  };
  form.addEventListener('change', (event) => {
    if (event.target === search) return;
    const projectBefore = project.value;
    if (event.target === client) fillProjects(ctx, controls);
    if (event.target === project || project.value !== projectBefore) {
      task.value = '';
      fillTasks(ctx, controls, project.value);
    }
    apply('push');
  });
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => apply('replace'), 250);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply('push');
  });
  showState();
  return {
    el,
    controls,
    fill: () => {
      fillProjects(ctx, controls);
      fillTasks(ctx, controls, project.value);
    },
    focusSearch: () => {
      toggle.setAttribute('aria-expanded', 'true');
      form.classList.add('is-open');
      search.focus();
      search.select();
    },
  };
}

/** Field-level checks that the server would otherwise answer with an empty list or a 422. */
function checkFilters(ctx, form) {
  const f = ctx.filters;
  let ok = true;
  setFieldError(form, 'from', DATE_RE.test(f.from) ? '' : 'Enter the first day');
  setFieldError(form, 'to', DATE_RE.test(f.to) ? '' : 'Enter the last day');
  if (!DATE_RE.test(f.from) || !DATE_RE.test(f.to)) ok = false;
  else if (f.from > f.to) {
    setFieldError(form, 'to', 'The last day must be on or after the first');
    ok = false;
  }
  if (f.user_id && !ID_RE.test(f.user_id)) {
    setFieldError(form, 'user_id', 'Pick a person from the list');
    ok = false;
  } else {
    setFieldError(form, 'user_id', '');
  }
  return ok;
}

/**
 * Back to the default filters (the person shown stays).
 *
 * @param {{filters:Object, state:Object}} ctx the page
 * @returns {void}
 */
export function clearFilters(ctx) {
  const keep = ctx.filters.user_id ? `?user_id=${encodeURIComponent(ctx.filters.user_id)}` : '';
  ctx.state.navigate(`/entries${keep}`);
}

/** Projects (archived ones included: old time sits on them), the chosen client's only. */
function fillProjects(ctx, controls) {
  const { project, client } = controls;
  const chosen = project.value;
  const clientId = client.value;
  const known = ctx.allProjects.find((p) => p.id === chosen);
  const shown = ctx.allProjects.filter((p) => !clientId || p.client_id === clientId);
  project.replaceChildren(h('option', { value: '' }, 'Any project'),
    ...shown.map((p) => h('option', { value: p.id },
      `${p.name}${p.client_name ? ` · ${p.client_name}` : ''}${p.archived ? ' (archived)' : ''}`)));
  if (chosen && !known) {
    // An id from a link that names no project the caller can see: keep it, say so.
    project.append(h('option', { value: chosen }, 'Unknown project'));
    project.value = chosen;
  } else {
    project.value = shown.includes(known) ? chosen : '';
  }
}

async function fillTasks(ctx, controls, projectId) {
  const { task } = controls;
  const chosen = task.value;
  if (!projectId) {
    task.replaceChildren(h('option', { value: '' }, 'Any task'));
    task.title = 'Choose a project to filter by one of its tasks';
    if (chosen) {
      task.append(h('option', { value: chosen }, 'The task from the link'));
      task.value = chosen;
    }
    task.disabled = !chosen;
    return;
  }
  ctx.taskSeq = (ctx.taskSeq || 0) + 1;
  const mine = ctx.taskSeq;
  const tasks = await projectTasks(ctx, projectId);
  if (mine !== ctx.taskSeq) return;
  task.replaceChildren(h('option', { value: '' }, tasks.length ? 'Any task' : 'This project has no tasks'),
    ...tasks.map((t) => h('option', { value: t.id }, `${t.title}${STATUS_NOTE[t.status] || ''}${t.archived ? ' (archived)' : ''}`)));
  task.value = tasks.some((t) => t.id === chosen) ? chosen : '';
  task.title = '';
  task.disabled = tasks.length === 0;
}

/**
 * Fill the filter menus once the lists arrive (the chosen values stay chosen).
 *
 * @param {Object} ctx the page, with `allProjects` set
 * @param {Object[]} clients ClientDto list
 * @param {Array<{name:string}>} tags tags in use
 * @returns {void}
 */
/**
 * Fill the Person menu with the people whose time the caller may read (the caller first, as
 * "You"); a person named by a link but not in the list stays, said to be unknown.
 *
 * @param {Object} ctx the page's context
 * @param {Array<{id:string, name:string, disabled:boolean}>} people from GET /people
 * @returns {void}
 */
export function fillPeople(ctx, people) {
  const select = ctx.form.controls.person;
  if (!select) return;
  const chosen = select.value;
  const me = ctx.state.me.id;
  const others = people.filter((p) => p.id !== me);
  select.replaceChildren(h('option', { value: '' }, 'You'),
    ...others.map((p) => h('option', { value: p.id }, p.disabled ? `${p.name} (disabled)` : p.name)));
  if (chosen && !others.some((p) => p.id === chosen)) {
    select.append(h('option', { value: chosen }, 'Unknown person'));
  }
  select.value = chosen === me ? '' : chosen;
}

export function fillChoices(ctx, clients, tags) {
  const { controls } = ctx.form;
  const chosenClient = controls.client.value;
  controls.client.replaceChildren(h('option', { value: '' }, 'Any client'),
    ...clients.map((c) => h('option', { value: c.id }, c.archived ? `${c.name} (archived)` : c.name)));
  controls.client.value = clients.some((c) => c.id === chosenClient) ? chosenClient : '';
  const chosenTag = controls.tag.value;
  const tagNames = tags.map((t) => t.name);
  if (chosenTag && !tagNames.some((t) => t.toLowerCase() === chosenTag.toLowerCase())) tagNames.unshift(chosenTag);
  controls.tag.replaceChildren(h('option', { value: '' }, 'Any tag'), ...tagNames.map((t) => h('option', { value: t }, t)));
  controls.tag.value = tagNames.find((t) => t.toLowerCase() === chosenTag.toLowerCase()) || '';
  ctx.tagNames = tagNames;
  ctx.form.fill();
}
