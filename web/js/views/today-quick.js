// views/today-quick.js — the quick-add box of Today: one typed line such as
// "1h30 acme/backups #ops yesterday rotated RAID keys" becomes one entry. The server parses the
// line; when it cannot, its message (naming the wrong token) is shown under the box and the
// line stays for correcting. When the server cannot be reached, the line is kept in the outbox
// (outbox.js) with the time it was typed, and sent when the server is back. Used only by
// views/today.js.

import { h } from '../dom.js';
import { busy, errorMessage, toast } from '../ui.js';
import * as outbox from '../outbox.js';
import { formatDuration, formatLongDate, dateIn } from '../time.js';

const EXAMPLES = [
  '1h30 acme/backups #ops yesterday rotated RAID keys',
  '9:15-10:00 infra/vpn call with vendor',
  '45m /website relaunch fixed the header',
  'last friday 2h "Acme Corp"/"Website relaunch" review',
];

/**
 * Build the quick-add box.
 *
 * @param {{state:Object, zone:string, reload:function():void}} ctx the Today page
 * @returns {{el:HTMLElement, focus:function():void, setDisabled:function(boolean):void}} the box
 */
export function quickAdd(ctx) {
  const input = h('input', {
    type: 'text', id: 'quick-add', name: 'text', autocomplete: 'off', spellcheck: 'false',
    placeholder: `Quick add, e.g. ${EXAMPLES[0]}`,
    'aria-describedby': 'quick-add-error quick-add-help',
  });
  const button = h('button', { type: 'submit', class: 'btn' }, 'Add');
  const error = h('p', { class: 'field-error quick-error', id: 'quick-add-error', role: 'alert', hidden: true });
  const help = h('details', { class: 'quick-help', id: 'quick-add-help' },
    h('summary', {}, 'How to write a line'),
    h('ul', {},
      h('li', {}, h('strong', {}, 'When'), ' comes first (after the day, if you like): a duration (', h('code', {}, '1h30'), ', ',
        h('code', {}, '45m'), ', ', h('code', {}, '1.5h'), ', ', h('code', {}, '1:30'), ') or a range (', h('code', {}, '9:15-10:00'), ').'),
      h('li', {}, h('strong', {}, 'Project'), ': ', h('code', {}, 'client/project'), ', or ', h('code', {}, '/project'),
        ' when the name is unique among your projects. Names may have spaces (', h('code', {}, 'acme corp/website relaunch'),
        ', the longest name the words make) or be quoted (', h('code', {}, '"Acme Corp"/"Website relaunch"'), '); the start of a client’s name will do (',
        h('code', {}, 'acme/backups'), ').'),
      h('li', {}, h('strong', {}, 'Day'), ' (optional): ', h('code', {}, 'yesterday'), ', ', h('code', {}, 'friday'),
        ' (the latest, today included), ', h('code', {}, 'last friday'), ' (the one before today) or ', h('code', {}, '2026-11-20'),
        '; today by default.'),
      h('li', {}, h('strong', {}, 'Tags'), ': ', h('code', {}, '#ops'), '; ', h('code', {}, '#billable'), ' or ',
        h('code', {}, '#nonbillable'), ' overrides the project’s default.'),
      h('li', {}, 'Every other word is the note.')),
    h('p', { class: 'muted small' }, 'Examples: ', ...EXAMPLES.flatMap((e, i) => [i ? ' · ' : '', h('code', {}, e)])));
  const form = h('form', { class: 'quickadd', novalidate: true, 'aria-label': 'Quick add' },
    h('label', { for: 'quick-add', class: 'visually-hidden' }, 'Quick add: one line such as 1h30 acme/backups #ops note'),
    h('div', { class: 'quickadd-row' }, input, button),
    error,
    help);

  const showError = (message) => {
    error.textContent = message;
    error.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  // A day over a year ago or after tomorrow: the server asks (entry.needs_confirmation); the
  // same line submitted again keeps it.
  let confirmedLine = null;
  input.addEventListener('input', () => { if (!error.hidden) showError(''); });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      showError('Type a line first, e.g. 45m /standup');
      input.focus();
      return;
    }
    showError('');
    try {
      const body = text === confirmedLine ? { text, confirm: true } : { text };
      const res = await busy(button, () => outbox.submit('quick', body, { label: text }));
      confirmedLine = null;
      input.value = '';
      if (res.queued) {
        toast(res.message, 'info');
        return;
      }
      const entry = res.result;
      const day = dateIn(ctx.zone, Date.parse(entry.start));
      const when = day === dateIn(ctx.zone) ? 'today' : formatLongDate(day);
      toast(`Added ${formatDuration(entry.duration_seconds)} on ${entry.project_name}, ${when}`);
      ctx.reload();
    } catch (err) {
      const item = err.fields && err.fields.text;
      if (err.code === 'entry.needs_confirmation') {
        confirmedLine = text;
        showError(`${item && item.message ? item.message : 'this day is unusual'}. Press Add again to keep it.`);
      } else {
        showError(item && item.message ? item.message : errorMessage(err));
      }
      input.focus();
    }
  });

  // Lines (and timers) kept on this device were sent: the day's list shows them.
  outbox.onSent(() => ctx.reload(), ctx.state.signal);

  return {
    el: form,
    focus: () => input.focus(),
    setDisabled(disabled) {
      input.disabled = disabled;
      button.disabled = disabled;
    },
  };
}
