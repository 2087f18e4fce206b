// views/project-billing.js — the billing part of the project dialog: how billed time is
// rounded (the instance's rounding, none, or up/nearest/down to a step per entry or per day)
// and the budget (hours or an amount, warning at a share). Used by views/project-dialog.js.

import { h, uid } from '../dom.js';
import { field, setFieldError } from '../ui.js';
import { parseMoney } from '../track.js';

const STEPS = [1, 5, 6, 10, 15, 30];
const DIRECTIONS = [['up', 'Up'], ['nearest', 'To the nearest'], ['down', 'Down']];

/**
 * The rounding and budget fields for `project` (null when creating).
 *
 * @param {Object|null} project the ProjectDto being edited
 * @returns {{element:HTMLElement, read:function(HTMLFormElement):(Object|undefined)}} the fieldset,
 *   and a reader that returns `{rounding, budget}` as the API takes them, or undefined (with the
 *   field errors shown) when something typed is not valid
 */
export function billingFields(project) {
  const [dir, minutes, per] = project && project.rounding && project.rounding !== 'none'
    ? project.rounding.split(' ').filter((w) => w !== 'per') : [];
  const mode = !project || project.rounding === null || project.rounding === undefined
    ? 'default' : project.rounding === 'none' ? 'none' : dir;
  const inherited = project ? project.rounding_in_force : null;
  const roundSelect = h('select', {},
    h('option', { value: 'default' }, inherited && mode === 'default' ? `The instance’s (${describe(inherited)})` : 'The instance’s'),
    h('option', { value: 'none' }, 'Don’t round'),
    ...DIRECTIONS.map(([v, label]) => h('option', { value: v }, label)));
  roundSelect.value = mode;
  const stepSelect = h('select', {}, ...STEPS.map((m) => h('option', { value: String(m) }, `${m} min`)));
  stepSelect.value = minutes || '15';
  const perSelect = h('select', {}, h('option', { value: 'entry' }, 'each entry'), h('option', { value: 'day' }, 'each day'));
  perSelect.value = per || 'entry';
  const stepFields = h('div', { class: 'form-row form-row-2' },
    field({ label: 'To', name: 'rounding_step', control: stepSelect }),
    field({ label: 'Per', name: 'rounding_per', control: perSelect }));
  const showSteps = () => { stepFields.hidden = !DIRECTIONS.some(([v]) => v === roundSelect.value); };
  roundSelect.addEventListener('change', showSteps);
  showSteps();

  const budget = project && project.budget;
  const kind = budget ? (budget.seconds ? 'hours' : 'amount') : 'none';
  const kindSelect = h('select', {},
    h('option', { value: 'none' }, 'No budget'),
    h('option', { value: 'hours' }, 'Hours'),
    h('option', { value: 'amount' }, 'Amount'));
  kindSelect.value = kind;
  const amount = budget ? (budget.seconds ? String(budget.seconds / 3600) : (budget.cents / 100).toFixed(2)) : '';
  const budgetFields = h('div', { class: 'form-row form-row-2' },
    field({ label: 'Budget', name: 'budget_value', value: amount, attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
    field({ label: 'Warn at (%)', name: 'budget_alert_percent', value: budget ? String(budget.alert_percent) : '', attrs: { inputmode: 'numeric', autocomplete: 'off', placeholder: '80' } }));
  const showBudget = () => { budgetFields.hidden = kindSelect.value === 'none'; };
  kindSelect.addEventListener('change', showBudget);
  showBudget();

  const hintId = uid('billing-hint');
  const element = h('fieldset', { class: 'field billing', 'aria-describedby': hintId },
    h('legend', {}, 'Billing'),
    h('p', { class: 'field-hint', id: hintId }, 'Rounding changes billed time in reports, never the time tracked. A budget counts all of the project’s time.'),
    h('div', { class: 'form-row form-row-2' },
      field({ label: 'Round billed time', name: 'rounding', control: roundSelect }),
      field({ label: 'Budget in', name: 'budget_kind', control: kindSelect })),
    stepFields,
    budgetFields);

  function read(form) {
    const r = roundSelect.value;
    const rounding = r === 'default' ? null : r === 'none' ? 'none' : `${r} ${stepSelect.value} per ${perSelect.value}`;
    let out = { rounding, budget: null };
    if (kindSelect.value === 'none') return out;
    const text = String(form.elements.budget_value.value || '').trim();
    const percentText = String(form.elements.budget_alert_percent.value || '').trim();
    const percent = percentText ? Number(percentText) : undefined;
    let bad = false;
    if (percentText && !(Number.isInteger(percent) && percent >= 1 && percent <= 100)) {
      bad = setFieldError(form, 'budget_alert_percent', 'Enter a whole percent from 1 to 100');
    }
    const b = percent === undefined ? {} : { alert_percent: percent };
    if (kindSelect.value === 'hours') {
      const hours = Number(text.replace(',', '.'));
      if (!text || !(hours > 0) || hours > 100000) bad = setFieldError(form, 'budget_value', 'Enter the hours, like 40 or 12.5');
      else b.seconds = Math.round(hours * 3600);
    } else {
      const cents = parseMoney(text);
      if (!cents) bad = setFieldError(form, 'budget_value', 'Enter an amount like 5000 or 5000.50');
      else b.cents = cents;
    }
    if (bad) return undefined;
    out = { rounding, budget: b };
    return out;
  }
  return { element, read };
}

/**
 * A rounding in words.
 *
 * @param {string} rounding the API's form: `none` or `up 15 per entry`
 * @returns {string} e.g. "up to 15 min per entry"
 */
export function describe(rounding) {
  if (!rounding || rounding === 'none') return 'no rounding';
  const [dir, minutes, , per] = rounding.split(' ');
  const how = dir === 'nearest' ? 'to the nearest' : `${dir} to`;
  return `${how} ${minutes} min per ${per}`;
}
