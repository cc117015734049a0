// An operation as it happens (GET /api/v1/operations/{id}): a progress bar and its steps.
import { get, segment } from './api.js';
import { badge, h, replace } from './dom.js';
import { bytes, elapsed, number } from './format.js';
import { has, t } from './i18n.js';
import { on } from './live.js';

const POLL_MS = 500;

/** How far an operation has got, from 0 to 1: its done steps, and the running step's bytes. */
export function fraction(operation) {
  if (operation.state === 'SUCCEEDED') return 1;
  const steps = operation.steps || [];
  if (steps.length === 0) return 0;
  const done = steps.filter((s) => s.state === 'DONE').length;
  const p = operation.progress;
  const running = p && p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
  return Math.min(1, (done + running) / steps.length);
}

/** The operation's kind in words. */
export function kindLabel(kind) {
  const key = `operation.kind.${kind}`;
  return has(key) ? t(key) : kind;
}

/** The view of one operation: title line, progress bar, phase, steps, and how it ended. */
export function operationView(operation) {
  const percent = Math.round(fraction(operation) * 100);
  const stateKind = { RUNNING: 'info', SUCCEEDED: 'good', FAILED: 'bad' }[operation.state] || 'neutral';
  const p = operation.progress;
  const running = operation.steps.findIndex((s) => s.state === 'RUNNING');
  return h(
    'div.operation',
    { dataset: { operation: operation.id, state: operation.state } },
    h(
      'div.operation-head',
      {},
      h('strong', {}, kindLabel(operation.kind)),
      badge(t(`operation.state.${operation.state}`), stateKind, { dataset: { operationState: operation.state } }),
      h('span.muted', {}, t('operation.elapsed', { time: elapsed(operation.startedAt, operation.endedAt) })),
    ),
    h(
      'div.progress',
      {
        role: 'progressbar',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': String(percent),
        'aria-label': t('operation.progress'),
      },
      h(`div.progress-bar.progress-${operation.state.toLowerCase()}`, { style: `width: ${percent}%` }),
    ),
    h(
      'p.operation-phase.muted',
      {},
      running >= 0 ? t('operation.step', { n: running + 1, total: operation.steps.length }) : '',
      p && p.phase ? ` · ${p.phase}` : '',
      p && p.bytesTotal > 0 ? ` · ${bytes(p.bytesDone)} / ${bytes(p.bytesTotal)} (${number((100 * p.bytesDone) / p.bytesTotal)} %)` : '',
    ),
    h(
      'ol.steps',
      {},
      operation.steps.map((step) =>
        h(
          `li.step.step-${step.state.toLowerCase()}`,
          { dataset: { stepState: step.state } },
          h('span.step-icon', { 'aria-hidden': 'true' }),
          h(
            'div.step-text',
            {},
            h('span.step-name', {}, step.name),
            h('span.step-state', {}, t(`step.state.${step.state}`)),
            step.message ? h('span.step-message', {}, step.message) : null,
          ),
        ),
      ),
    ),
    operation.state !== 'RUNNING' && operation.message
      ? h(`p.message.${operation.state === 'FAILED' ? 'message-error' : 'message-good'}`, {}, operation.message)
      : null,
  );
}

/**
 * Shows operation {@code id} in {@code element} until it ends: asks every half second, and at
 * once when the Control Center says something changed. Calls {@code onEnd(operation)} once when it
 * ends; returns how to stop following.
 */
export function follow(id, element, { onUpdate, onEnd, onError } = {}) {
  let stopped = false;
  let timer = null;
  let inFlight = false;
  const tick = async () => {
    if (stopped || inFlight) return;
    inFlight = true;
    clearTimeout(timer);
    try {
      const operation = await get(`operations/${segment(id)}`);
      if (stopped) return;
      replace(element, operationView(operation));
      if (onUpdate) onUpdate(operation);
      if (operation.state !== 'RUNNING') {
        stop();
        if (onEnd) onEnd(operation);
        return;
      }
    } catch (error) {
      if (onError) onError(error);
    } finally {
      inFlight = false;
    }
    if (!stopped) timer = setTimeout(tick, POLL_MS);
  };
  const unsubscribe = on('status', tick);
  function stop() {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
  }
  tick();
  return stop;
}
