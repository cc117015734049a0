// One modal dialog at a time, on the page's <dialog>. Each says what will happen before it happens.
import { h, replace } from './dom.js';
import { t } from './i18n.js';

const element = document.getElementById('dialog');
let current = null;

/**
 * Opens the dialog. actions: [{label, kind ('primary', 'danger' or none), action: (dialog) => ...,
 * id}]; the last button is focused. A dialog closes on Esc or its close button unless it is busy.
 */
export function openDialog({ title, body, actions = [], testId, onClose }) {
  closeDialog();
  const handle = {
    busy: false,
    onClose,
    setBody(...children) {
      replace(bodyElement, ...children);
    },
    setActions(list) {
      replace(footer, ...list.map((a) => button(a, handle)));
      const last = footer.querySelector('button:last-of-type');
      if (last && !last.disabled) last.focus();
    },
    setBusy(busy) {
      handle.busy = busy;
      closeButton.disabled = busy;
      for (const b of footer.querySelectorAll('button')) b.disabled = busy || b.dataset.disabled === 'true';
    },
    close: () => closeDialog(),
    footer: null,
  };
  const closeButton = h('button.dialog-close', {
    type: 'button',
    'aria-label': t('dialog.close'),
    title: t('dialog.close'),
    onclick: () => !handle.busy && closeDialog(),
  }, '×');
  const bodyElement = h('div.dialog-body');
  const footer = h('div.dialog-actions');
  handle.footer = footer;
  replace(
    element,
    h('div.dialog-header', {}, h('h2', { id: 'dialog-title' }, title), closeButton),
    bodyElement,
    footer,
  );
  element.dataset.testid = testId || '';
  handle.setBody(...[].concat(body));
  current = handle;
  element.showModal();
  handle.setActions(actions);
  return handle;
}

function button(action, handle) {
  const b = h(
    `button.button${action.kind ? `.button-${action.kind}` : ''}`,
    {
      type: 'button',
      dataset: { action: action.id || '', disabled: String(Boolean(action.disabled)) },
      onclick: () => action.action(handle),
    },
    action.label,
  );
  b.disabled = Boolean(action.disabled);
  return b;
}

/** The Cancel button most dialogs have. */
export function cancelAction(label) {
  return { label: label || t('dialog.cancel'), id: 'cancel', action: (d) => d.close() };
}

export function closeDialog() {
  if (!current) return;
  const closing = current;
  current = null;
  if (element.open) element.close();
  replace(element);
  if (closing.onClose) closing.onClose();
}

element.addEventListener('cancel', (event) => {
  if (current?.busy) {
    event.preventDefault();
    return;
  }
  event.preventDefault();
  closeDialog();
});
