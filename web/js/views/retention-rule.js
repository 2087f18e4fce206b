// views/retention-rule.js — admin: change one category's retention rule (kept over the
// configuration's `[retention]` key), or give it back to the configuration.

import { h } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import { field, formError, clearErrors, setFieldError, showFormError, errorMessage, busy, openDialog, toast } from '../ui.js';

/**
 * Open the dialog that changes a category's rule.
 *
 * @param {{category:string, label:string, rule:string, source:string, description:string}} c the category's row
 * @param {function(Object):void} onSaved called with the new RetentionDto
 * @returns {void}
 */
export function openRuleEditor(c, onSaved) {
  const input = h('input', { type: 'text', value: c.rule, spellcheck: 'false', autocomplete: 'off', inputmode: 'text' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save rule');
  const reset = c.source === 'admin'
    ? h('button', { type: 'button', class: 'btn', onclick: () => submit(null, reset) }, 'Use the configuration’s rule')
    : null;
  const form = h('form', { class: 'form', novalidate: true },
    h('p', { class: 'muted' }, `${c.label}: ${c.description}.`),
    field({
      label: 'Keep for',
      name: 'rule',
      control: input,
      hint: '“forever”, or a whole number and a unit: h (hours), d (days), w (weeks), mo (months), y (years) — e.g. 90d, 18mo, 7y.',
    }),
    h('p', { class: 'muted small' }, c.source === 'admin'
      ? 'This rule was set here and overrides the configuration file.'
      : 'This rule comes from the configuration file; saving one here overrides it.'),
    formError(),
    h('div', { class: 'form-actions' }, save, reset));
  const dlg = openDialog({ title: `Retention of ${c.label.toLowerCase()}`, content: form });

  async function submit(rule, button) {
    clearErrors(form);
    try {
      const report = await busy(button, () => compliance.setRetentionRule(c.category, rule));
      dlg.close();
      toast(rule === null ? `${c.label}: back to the configuration’s rule` : `${c.label}: kept for ${rule}`);
      onSaved(report);
    } catch (err) {
      if (api.isAbort(err)) return;
      const fe = err.fields && err.fields.rule;
      if (fe) {
        setFieldError(form, 'rule', fe.message ? fe.message.replace(/^./, (ch) => ch.toUpperCase()) : 'Not a rule');
        input.focus();
      } else {
        showFormError(form, errorMessage(err));
      }
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(input.value.trim(), save);
  });
  input.select();
}
