// The actions on a configuration, each behind a dialog that says what will happen: switchover,
// failover, reinstate, the observer's settings and delete. An operation's steps show live in the
// dialog until it ends; the dashboard then shows the new roles by itself.
import { ApiError, del, post, put, segment } from './api.js';
import { cancelAction, openDialog } from './dialog.js';
import { field, h, replace } from './dom.js';
import { errorBox, fieldLabel } from './errors.js';
import { number } from './format.js';
import { t } from './i18n.js';
import { follow, kindLabel } from './operation.js';

const MIB = 1024 * 1024;

/** Opens the dialog of {@code action} for the configuration in {@code subject}. */
export function openAction(action, ctx, subject) {
  const open = {
    switchover: switchover,
    failover: failover,
    reinstate: reinstate,
    observer: observer,
    delete: remove,
    operation: showOperation,
  }[action];
  if (open) open(ctx, subject);
}

function names(status) {
  return { name: status.name, primary: status.primary.database, standby: status.standbys[0]?.database ?? '—' };
}

/** Starts an operation with {@code request}, then follows it in the dialog. */
async function start(dialog, ctx, request, title) {
  dialog.setBusy(true);
  try {
    const accepted = await request();
    showProgress(dialog, ctx, accepted.operationId, title);
  } catch (error) {
    dialog.setBusy(false);
    if (ctx.handled(error)) return;
    dialog.setBody(errorBox(error));
    dialog.setActions([{ label: t('dialog.close'), id: 'close', action: (d) => d.close() }]);
  }
}

function showProgress(dialog, ctx, operationId, title) {
  const view = h('div.operation-wrap', {}, h('p.muted', {}, t('operation.starting')));
  const note = h('p.hint', {}, t('operation.goesOn'));
  dialog.setBody(view, note);
  dialog.setBusy(false);
  dialog.setActions([{ label: t('dialog.close'), id: 'close', action: (d) => d.close() }]);
  const stop = follow(operationId, view, {
    onEnd: (operation) => {
      note.textContent = t(operation.state === 'SUCCEEDED' ? 'operation.done' : 'operation.failed', {
        kind: title || kindLabel(operation.kind),
      });
      note.className = `message ${operation.state === 'SUCCEEDED' ? 'message-good' : 'message-error'}`;
      note.dataset.result = operation.state;
    },
    onError: (error) => ctx.handled(error),
  });
  const onClose = dialog.onClose;
  dialog.onClose = () => {
    stop();
    if (onClose) onClose();
  };
}

function switchover(ctx, { status }) {
  const n = names(status);
  openDialog({
    title: t('action.switchover.title', n),
    testId: 'switchover',
    body: [
      h('p', {}, t('action.switchover.body', n)),
      h('ul.consequences', {}, [t('action.switchover.point1', n), t('action.switchover.point2', n), t('action.switchover.point3', n)].map((p) => h('li', {}, p))),
    ],
    actions: [
      cancelAction(),
      {
        label: t('action.switchover.confirm'),
        kind: 'primary',
        id: 'confirm',
        action: (d) => start(d, ctx, () => post(`configurations/${segment(n.name)}/switchover`, {}), t('operation.kind.SWITCHOVER')),
      },
    ],
  });
}

function failover(ctx, { status }) {
  const n = names(status);
  const understood = h('input', { type: 'checkbox', id: 'failover-understood' });
  const dialog = openDialog({
    title: t('action.failover.title', n),
    testId: 'failover',
    body: [
      h('p.message.message-warn', {}, t('action.failover.warning', n)),
      h('ul.consequences', {}, [t('action.failover.point1', n), t('action.failover.point2', n), t('action.failover.point3', n)].map((p) => h('li', {}, p))),
      h('label.check', { for: 'failover-understood' }, understood, h('span', {}, t('action.failover.understood', n))),
    ],
    actions: [
      cancelAction(),
      {
        label: t('action.failover.confirm'),
        kind: 'danger',
        id: 'confirm',
        disabled: true,
        action: (d) => start(d, ctx, () => post(`configurations/${segment(n.name)}/failover`, { confirm: true }), t('operation.kind.FAILOVER')),
      },
    ],
  });
  understood.addEventListener('change', () => {
    const confirm = dialog.footer.querySelector('[data-action="confirm"]');
    confirm.dataset.disabled = String(!understood.checked);
    confirm.disabled = !understood.checked;
  });
}

function reinstate(ctx, { status }) {
  const fenced = [status.primary, ...status.standbys].find((m) => m.state === 'FENCED');
  const n = { ...names(status), old: fenced ? fenced.database : status.standbys[0]?.database ?? '—' };
  openDialog({
    title: t('action.reinstate.title', n),
    testId: 'reinstate',
    body: [
      h('p', {}, t('action.reinstate.body', n)),
      h('ul.consequences', {}, [t('action.reinstate.point1', n), t('action.reinstate.point2', n)].map((p) => h('li', {}, p))),
    ],
    actions: [
      cancelAction(),
      {
        label: t('action.reinstate.confirm'),
        kind: 'primary',
        id: 'confirm',
        action: (d) => start(d, ctx, () => post(`configurations/${segment(n.name)}/reinstate`, {}), t('operation.kind.REINSTATE')),
      },
    ],
  });
}

function showOperation(ctx, { status, operationId }) {
  const dialog = openDialog({ title: t('operation.title', { name: status.name }), testId: 'operation', body: [] });
  showProgress(dialog, ctx, operationId, null);
}

function remove(ctx, { status }) {
  const n = names(status);
  const typed = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', dataset: { field: 'confirm-name' } });
  const dialog = openDialog({
    title: t('action.delete.title', n),
    testId: 'delete',
    body: [
      h('p', {}, t('action.delete.body', n)),
      h('ul.consequences', {}, [t('action.delete.point1', n), t('action.delete.point2', n)].map((p) => h('li', {}, p))),
      field(t('action.delete.type', n), typed),
    ],
    actions: [
      cancelAction(),
      {
        label: t('action.delete.confirm'),
        kind: 'danger',
        id: 'confirm',
        disabled: true,
        action: async (d) => {
          d.setBusy(true);
          try {
            await del(`configurations/${segment(n.name)}`);
            d.close();
            ctx.notify(t('action.delete.done', n));
          } catch (error) {
            d.setBusy(false);
            if (!ctx.handled(error)) d.setBody(errorBox(error));
          }
        },
      },
    ],
  });
  typed.addEventListener('input', () => {
    const confirm = dialog.footer.querySelector('[data-action="confirm"]');
    const ok = typed.value.trim() === n.name;
    confirm.dataset.disabled = String(!ok);
    confirm.disabled = !ok;
  });
  typed.focus();
}

function observer(ctx, { status }) {
  const n = names(status);
  const current = status.observer;
  const enabled = h('input', { type: 'checkbox', id: 'observer-enabled', checked: current.enabled });
  const notify = h('input', { type: 'radio', name: 'observer-action', value: 'NOTIFY', id: 'observer-notify', checked: current.action === 'NOTIFY' });
  const failover = h('input', { type: 'radio', name: 'observer-action', value: 'FAILOVER', id: 'observer-failover', checked: current.action === 'FAILOVER' });
  const interval = h('input', { type: 'number', min: '100', step: '100', value: String(current.intervalMillis), dataset: { field: 'intervalMillis' } });
  const checks = h('input', { type: 'number', min: '1', step: '1', value: String(current.checks), dataset: { field: 'checks' } });
  const maxLag = h('input', { type: 'number', min: '0', step: '1', value: String(Math.round((current.maxLagBytes / MIB) * 100) / 100), dataset: { field: 'maxLagBytes' } });
  const autoReinstate = h('input', { type: 'checkbox', id: 'observer-auto-reinstate', checked: current.autoReinstate });
  const fields = {
    intervalMillis: field(t('observer.interval'), interval, t('observer.intervalHint')),
    checks: field(t('observer.checks'), checks, t('observer.checksHint')),
    maxLagBytes: field(t('observer.maxLag'), maxLag, t('observer.maxLagHint')),
  };
  const detection = h('p.hint', {});
  const updateDetection = () => {
    const ms = Number(interval.value) * Number(checks.value);
    detection.textContent = Number.isFinite(ms) && ms > 0 ? t('observer.detection', { seconds: number(ms / 1000, 1) }) : '';
  };
  interval.addEventListener('input', updateDetection);
  checks.addEventListener('input', updateDetection);
  updateDetection();
  const problem = h('div');
  const readOnly = !ctx.isAdmin;
  const dialog = openDialog({
    title: t('observer.title', n),
    testId: 'observer',
    body: [
      h('p', {}, t('observer.body', n)),
      h('label.check', { for: 'observer-enabled' }, enabled, h('span', {}, t('observer.enabled'))),
      h(
        'fieldset.choice',
        {},
        h('legend', {}, t('observer.action')),
        h('label.check', { for: 'observer-notify' }, notify, h('span', {}, h('strong', {}, t('observer.notify')), h('span.hint', {}, t('observer.notifyHint')))),
        h('label.check', { for: 'observer-failover' }, failover, h('span', {}, h('strong', {}, t('observer.failover')), h('span.hint', {}, t('observer.failoverHint')))),
      ),
      h('div.form-row', {}, fields.intervalMillis, fields.checks, fields.maxLagBytes),
      detection,
      h('label.check', { for: 'observer-auto-reinstate' }, autoReinstate, h('span', {}, t('observer.autoReinstate'))),
      problem,
    ],
    actions: [
      cancelAction(),
      {
        label: t('observer.save'),
        kind: 'primary',
        id: 'confirm',
        disabled: readOnly,
        action: async (d) => {
          Object.values(fields).forEach((f) => f.showError(null));
          replace(problem);
          const settings = {
            enabled: enabled.checked,
            action: failover.checked ? 'FAILOVER' : 'NOTIFY',
            intervalMillis: Math.round(Number(interval.value)),
            checks: Math.round(Number(checks.value)),
            maxLagBytes: Math.round(Number(maxLag.value) * MIB),
            autoReinstate: autoReinstate.checked,
          };
          d.setBusy(true);
          try {
            await put(`configurations/${segment(n.name)}/observer`, settings);
            d.close();
            ctx.notify(t('observer.saved', n));
          } catch (error) {
            d.setBusy(false);
            if (ctx.handled(error)) return;
            const at = error instanceof ApiError ? fields[error.details?.field] : null;
            if (at) {
              at.showError(t('error.code.invalid_input', { field: fieldLabel(error.details.field) }) + ' ' + (error.message || ''));
            } else {
              replace(problem, errorBox(error));
            }
          }
        },
      },
    ],
  });
  if (readOnly) {
    for (const input of dialog.footer.parentElement.querySelectorAll('input')) input.disabled = true;
  }
}
