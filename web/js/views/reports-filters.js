// views/reports-filters.js — the filters of the Reports page: read from and written to the URL
// query (so a copied link, a reload and the back button show the same report), the range presets,
// the two groupings, and the form with its menus (a "Filters" disclosure on phones).

import { h } from '../dom.js';
import { field, setFieldError } from '../ui.js';
import { has } from '../capabilities.js';

/** Query keys of the filters, in the order they are written to the URL. */
export const KEYS = ['range', 'from', 'to', 'group', 'user_id', 'project_id', 'client_id', 'tag', 'billable', 'q', 'ticket'];

/** What a report can be grouped by: API name → what the page calls it. */
export const GROUPS = {
  project: 'Project', client: 'Client', task: 'Task', user: 'Person', tag: 'Tag', ticket: 'Ticket', day: 'Day', week: 'Week', month: 'Month',
};

/** The views of a report (`view=` in the URL): the same filters, shown three ways. */
export const VIEWS = { summary: 'Summary', detailed: 'Detailed', weekly: 'Weekly' };

/** The range presets; `custom` takes `from` and `to` from the URL. */
export const PRESETS = {
  'this-week': 'This week', 'last-week': 'Last week', 'this-month': 'This month', 'last-month': 'Last month', custom: 'Custom dates',
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** The API's longest range, in days. */
const MAX_DAYS = 366;

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

/** Days from `from` to `to`, both counted (0 when `to` is before `from`). */
function dayCount(from, to) {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1);
}

/**
 * The first and last day of a preset range around `today` (weeks start on Monday).
 *
 * @param {string} preset a key of PRESETS other than `custom`
 * @param {string} today YYYY-MM-DD in the user's zone
 * @returns {{from:string, to:string}} the days, both included
 */
export function presetDates(preset, today) {
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = addDays(today, -weekday);
  const [y, m] = today.split('-').map(Number);
  const month = (k) => {
    const first = new Date(Date.UTC(y, m - 1 + k, 1)).toISOString().slice(0, 10);
    const last = new Date(Date.UTC(y, m + k, 0)).toISOString().slice(0, 10);
    return { from: first, to: last };
  };
  switch (preset) {
    case 'last-week': return { from: addDays(monday, -7), to: addDays(monday, -1) };
    case 'this-month': return month(0);
    case 'last-month': return month(-1);
    default: return { from: monday, to: addDays(monday, 6) };
  }
}

/**
 * The groupings named by a `group` query value: known names, no repeats, at most two;
 * `project` when none is left.
 *
 * @param {string|null} value e.g. "project,user"
 * @returns {string[]} one or two names
 */
export function readGroups(value) {
  const out = [];
  for (const g of String(value || '').split(',').map((s) => s.trim())) {
    if (Object.hasOwn(GROUPS, g) && !out.includes(g) && out.length < 2) out.push(g);
  }
  return out.length ? out : ['project'];
}

/**
 * The filters named in a URL query. `from` and `to` make a custom range; otherwise `range`
 * names a preset (this week when it names none).
 *
 * @param {URLSearchParams} query the page's query
 * @param {string} today YYYY-MM-DD in the user's zone
 * @returns {Object} `view`, `range`, `from`, `to`, `group` (array), and every other key of KEYS
 *   ("" when unset)
 */
export function readFilters(query, today) {
  const f = {};
  for (const key of KEYS) f[key] = (query.get(key) || '').trim();
  const custom = DATE_RE.test(f.from) && DATE_RE.test(f.to) && (f.range === '' || f.range === 'custom');
  if (custom) {
    f.range = 'custom';
  } else {
    if (!Object.hasOwn(PRESETS, f.range) || f.range === 'custom') f.range = 'this-week';
    Object.assign(f, presetDates(f.range, today));
  }
  f.group = readGroups(f.group);
  const view = query.get('view');
  f.view = Object.hasOwn(VIEWS, view) ? view : 'summary';
  if (f.billable !== 'true' && f.billable !== 'false') f.billable = '';
  return f;
}

/**
 * The page's URL for some filters: a preset range by its name (so "this week" stays relative),
 * a custom one by its days; defaults are left out.
 *
 * @param {Object} f filters as readFilters returns them
 * @returns {string} e.g. "/reports?range=last-week&group=project,user"
 */
export function filterUrl(f) {
  const params = new URLSearchParams();
  if (f.view && f.view !== 'summary') params.set('view', f.view);
  if (f.range === 'custom') {
    params.set('from', f.from);
    params.set('to', f.to);
  } else if (f.range !== 'this-week') {
    params.set('range', f.range);
  }
  const group = f.group.join(',');
  if (group !== 'project') params.set('group', group);
  for (const key of KEYS.slice(4)) if (f[key]) params.set(key, f[key]);
  // Commas read better than %2C in a link, and mean the same to the server.
  const query = params.toString().replaceAll('%2C', ',');
  return query ? `/reports?${query}` : '/reports';
}

/**
 * The API query for some filters.
 *
 * @param {Object} f filters
 * @returns {Object<string, string>} from, to, group and the narrowing filters that are set
 */
export function apiQuery(f) {
  const q = { from: f.from, to: f.to, group: f.group.join(',') };
  for (const key of KEYS.slice(4)) if (f[key]) q[key] = f[key];
  return q;
}

/**
 * How many narrowing filters are set (the range and the grouping do not count).
 *
 * @param {Object} f filters
 * @returns {number} the count
 */
export function activeCount(f) {
  return KEYS.slice(4).filter((key) => f[key]).length;
}

/**
 * Problems the server would answer with a 422, found before asking.
 *
 * @param {Object} f filters
 * @returns {{from?:string, to?:string}} a message per field
 */
export function filterProblems(f) {
  const out = {};
  if (!DATE_RE.test(f.from)) out.from = 'Enter the first day';
  if (!DATE_RE.test(f.to)) out.to = 'Enter the last day';
  if (out.from || out.to) return out;
  if (f.to < f.from) out.to = 'The last day must be on or after the first';
  else if (dayCount(f.from, f.to) > MAX_DAYS) out.to = `A report covers at most ${MAX_DAYS} days`;
  return out;
}

/** A select of the groupings; `none` adds a first option meaning "no second grouping". */
function groupSelect(chosen, except, none) {
  const options = Object.entries(GROUPS).filter(([g]) => g !== except)
    .map(([g, label]) => h('option', { value: g, selected: g === chosen }, label));
  return none ? [h('option', { value: '' }, 'Nothing'), ...options] : options;
}

/**
 * The filter form. Every change is written to the URL (a new history entry; typed text replaces
 * the current one) and calls `ctx.refilter()`; typing waits for a pause of 250 ms.
 *
 * @param {{state:Object, filters:Object, today:string, refilter:function():void, wantPeople:function():void}} ctx
 *   the page (`wantPeople` fills the Person menu)
 * @returns {{el:HTMLElement, fill:function(Object[], Object[], string[]):void,
 *            fillPeople:function(Array<{id:string, label:string}>):void, focusSearch:function():void,
 *            form:HTMLFormElement}} the form and how to fill its menus
 */
export function filterForm(ctx) {
  const { state, filters: f } = ctx;
  const select = (first, value) => {
    const el = h('select', {}, h('option', { value: '' }, first));
    // Until the lists arrive, a chosen value is kept as a placeholder option.
    if (value) el.append(h('option', { value, selected: true }, value.includes(',') ? 'Several (from the link)' : '…'));
    return el;
  };
  const range = h('select', {}, Object.entries(PRESETS).map(([k, label]) => h('option', { value: k, selected: k === f.range }, label)));
  const group = h('select', {}, groupSelect(f.group[0], null, false));
  const group2 = h('select', {}, groupSelect(f.group[1] || '', f.group[0], true));
  const person = has(state.me, 'read_team_time') ? select('Everyone', f.user_id) : null;
  if (person) {
    // Its options are asked for when it is about to be used.
    for (const type of ['pointerenter', 'focus']) person.addEventListener(type, () => ctx.wantPeople());
  }
  const project = select('Any project', f.project_id);
  const client = select('Any client', f.client_id);
  const tag = select('Any tag', f.tag);
  if (f.tag) tag.options[1].textContent = f.tag;
  const billable = h('select', {},
    h('option', { value: '' }, 'Billable or not'),
    h('option', { value: 'true', selected: f.billable === 'true' }, 'Billable'),
    h('option', { value: 'false', selected: f.billable === 'false' }, 'Not billable'));
  const search = h('input', { type: 'search', value: f.q, autocomplete: 'off', placeholder: 'Words in the note', maxlength: '200' });
  const ticket = h('input', { type: 'search', value: f.ticket, autocomplete: 'off', placeholder: 'e.g. OPS-12', maxlength: '200' });
  const panelId = 'report-filters-panel';
  const toggle = h('button', {
    type: 'button', class: 'btn filters-toggle', 'aria-expanded': 'false', 'aria-controls': panelId,
    onclick: () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      form.classList.toggle('is-open', open);
    },
  }, 'Filters');
  const clearBox = h('div', { class: 'filter-actions' },
    h('button', { type: 'button', class: 'btn btn-link', onclick: () => clearFilters(ctx) }, 'Clear filters'));
  const form = h('form', { class: 'report-filters', id: panelId, novalidate: true, 'aria-label': 'Report filters' },
    field({ label: 'Period', name: 'range', control: range }),
    field({ label: 'From', name: 'from', type: 'date', value: f.from, required: true }),
    field({ label: 'To', name: 'to', type: 'date', value: f.to, required: true }),
    field({ label: 'Group by', name: 'group', control: group }),
    field({ label: 'Then by', name: 'group2', control: group2 }),
    person ? field({ label: 'Person', name: 'user_id', control: person }) : null,
    field({ label: 'Client', name: 'client_id', control: client }),
    field({ label: 'Project', name: 'project_id', control: project }),
    field({ label: 'Tag', name: 'tag', control: tag }),
    field({ label: 'Billable', name: 'billable', control: billable }),
    field({ label: 'Search notes', name: 'q', control: search }),
    field({ label: 'Ticket', name: 'ticket', control: ticket }),
    clearBox);
  const showState = () => {
    const n = activeCount(ctx.filters);
    toggle.textContent = n ? `Filters (${n} active)` : 'Filters';
    clearBox.hidden = n === 0;
  };

  let typing = 0;
  const apply = (how) => {
    clearTimeout(typing);
    const next = { ...ctx.filters };
    for (const key of ['range', 'from', 'to', ...KEYS.slice(4)]) {
      const control = form.elements.namedItem(key);
      if (control) next[key] = String(control.value || '').trim();
    }
    next.group = [group.value, group2.value].filter(Boolean);
    const problems = filterProblems(next);
    for (const name of ['from', 'to']) setFieldError(form, name, problems[name] || '');
    setFieldError(form, 'group', '');
    if (problems.from || problems.to) return;
    ctx.filters = next;
    const url = filterUrl(next);
    if (url !== location.pathname + location.search) {
      if (how === 'replace') history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    }
    showState();
    ctx.refilter();
  };
  form.addEventListener('change', (event) => {
    const target = event.target;
    if (target === search || target === ticket) return;
    if (target === range && range.value !== 'custom') {
      const dates = presetDates(range.value, ctx.today);
      form.elements.namedItem('from').value = dates.from;
      form.elements.namedItem('to').value = dates.to;
    } else if (target.name === 'from' || target.name === 'to') {
      range.value = 'custom';
    } else if (target === group) {
      const second = group2.value === group.value ? '' : group2.value;
      group2.replaceChildren(...groupSelect(second, group.value, true));
      group2.value = second;
    }
    apply('push');
  });
  for (const input of [search, ticket]) {
    input.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => apply('replace'), 250);
    });
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply('push');
  });
  showState();

  const keep = (sel, options, first) => {
    const chosen = sel.value;
    sel.replaceChildren(h('option', { value: '' }, first), ...options);
    if (chosen && !options.some((o) => o.value === chosen)) {
      // An id from a link that names nothing the caller may see, or several ids: keep it, say so.
      sel.append(h('option', { value: chosen }, chosen.includes(',') ? 'Several (from the link)' : 'Not in your list'));
    }
    sel.value = chosen;
  };
  return {
    el: h('div', { class: 'report-filters-box' }, toggle, form),
    form,
    fill(projects, clients, tags) {
      keep(project, projects.map((p) => h('option', { value: p.id },
        `${p.name}${p.client_name ? ` · ${p.client_name}` : ''}${p.archived ? ' (archived)' : ''}`)), 'Any project');
      keep(client, clients.map((c) => h('option', { value: c.id }, c.archived ? `${c.name} (archived)` : c.name)), 'Any client');
      keep(tag, tags.map((t) => h('option', { value: t }, t)), 'Any tag');
    },
    fillPeople(people) {
      if (person) keep(person, people.map((p) => h('option', { value: p.id }, p.label)), 'Everyone');
    },
    focusSearch() {
      toggle.setAttribute('aria-expanded', 'true');
      form.classList.add('is-open');
      search.focus();
      search.select();
    },
  };
}

/**
 * Back to the default report (this week, by project, nothing narrowed), in the same view.
 *
 * @param {{state:Object, filters:Object}} ctx the page
 * @returns {void}
 */
export function clearFilters(ctx) {
  const view = ctx.filters && ctx.filters.view;
  ctx.state.navigate(view && view !== 'summary' ? `/reports?view=${view}` : '/reports');
}

/**
 * The filters in words, for the printed page ("Billable only · Tag: ops · Notes with “x”").
 *
 * @param {Object} f filters
 * @param {function(string, string):string} nameOf the shown name of a chosen id (key, value)
 * @returns {string} the narrowing filters, or "" when none is set
 */
export function describeFilters(f, nameOf) {
  const parts = [];
  if (f.user_id) parts.push(`Person: ${nameOf('user_id', f.user_id)}`);
  if (f.client_id) parts.push(`Client: ${nameOf('client_id', f.client_id)}`);
  if (f.project_id) parts.push(`Project: ${nameOf('project_id', f.project_id)}`);
  if (f.tag) parts.push(`Tag: ${f.tag}`);
  if (f.billable) parts.push(f.billable === 'true' ? 'Billable only' : 'Not billable only');
  if (f.q) parts.push(`Notes with “${f.q}”`);
  if (f.ticket) parts.push(`Ticket: ${f.ticket}`);
  return parts.join(' · ');
}
