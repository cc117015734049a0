// The history: every event, newest first, filterable by configuration and by kind; new events
// appear as they are recorded.
import { get } from '../api.js';
import { badge, h, replace } from '../dom.js';
import { errorBox } from '../errors.js';
import { ago, dateTime } from '../format.js';
import { has, t } from '../i18n.js';
import { on } from '../live.js';
import { EVENT_KINDS } from '../vocabulary.js';

const LIMIT = 200;
const RESULT_KINDS = { OK: 'good', FAILED: 'bad', INFO: 'neutral' };

export function kindText(kind) {
  const key = `eventKind.${kind}`;
  return has(key) ? t(key) : kind;
}

export function mount(root, ctx) {
  let stopped = false;
  let refreshTimer = null;
  const configuration = h('select', { id: 'events-configuration', dataset: { filter: 'configuration' } }, h('option', { value: '' }, t('events.allConfigurations')));
  const kind = h(
    'select',
    { id: 'events-kind', dataset: { filter: 'kind' } },
    h('option', { value: '' }, t('events.allKinds')),
    EVENT_KINDS.map((k) => ({ k, label: kindText(k) }))
      .sort((a, b) => a.label.localeCompare(b.label))
      .map(({ k, label }) => h('option', { value: k }, label)),
  );
  const rows = h('tbody');
  const problem = h('div');
  replace(
    root,
    h('div.page-head', {}, h('div', {}, h('h1', {}, t('events.title')), h('p.page-sub.muted', {}, t('events.subtitle')))),
    h(
      'div.filters.card',
      {},
      h('div.field', {}, h('label', { for: 'events-configuration' }, t('events.configuration')), configuration),
      h('div.field', {}, h('label', { for: 'events-kind' }, t('events.kind')), kind),
    ),
    problem,
    h(
      'div.card.table-card',
      {},
      h(
        'div.table-wrap',
        {},
        h(
          'table.events',
          {},
          h('thead', {}, h('tr', {}, [t('events.time'), t('events.kind'), t('events.subject'), t('events.result'), t('events.actor'), t('events.message')].map((c) => h('th', { scope: 'col' }, c)))),
          rows,
        ),
      ),
    ),
  );

  function row(e) {
    return h(
      'tr',
      { dataset: { eventId: String(e.id), kind: e.kind } },
      h('td.nowrap', { title: dateTime(e.at) }, ago(e.at)),
      h('td.nowrap', {}, kindText(e.kind)),
      h('td.mono', {}, e.subject),
      h('td', {}, badge(t(`result.${e.result}`), RESULT_KINDS[e.result] || 'neutral')),
      h('td', {}, e.actor),
      h('td.wrap', {}, e.message),
    );
  }

  async function load() {
    const query = new URLSearchParams({ limit: String(LIMIT) });
    if (configuration.value) query.set('configuration', configuration.value);
    if (kind.value) query.set('kind', kind.value);
    try {
      const events = await get(`events?${query}`);
      if (stopped) return;
      replace(problem);
      if (events.length === 0) {
        replace(rows, h('tr', {}, h('td.empty', { colSpan: 6 }, t('events.none'))));
      } else {
        replace(rows, events.map(row));
      }
    } catch (error) {
      if (!ctx.handled(error)) replace(problem, errorBox(error));
    }
  }

  async function loadConfigurations() {
    try {
      const list = await get('configurations');
      for (const c of list) configuration.append(h('option', { value: c.name }, c.name));
    } catch (error) {
      ctx.handled(error);
    }
  }

  configuration.addEventListener('change', load);
  kind.addEventListener('change', load);
  // Without filters a new event goes on top at once; with filters, the list is asked for again
  // (the Control Center knows which events belong to a configuration).
  const stopLive = on('event', (e) => {
    if (!configuration.value && !kind.value) {
      rows.querySelector('td.empty')?.parentElement.remove();
      rows.prepend(row(e));
      while (rows.children.length > LIMIT) rows.lastElementChild.remove();
    } else {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(load, 300);
    }
  });
  loadConfigurations();
  load();
  return {
    unmount() {
      stopped = true;
      clearTimeout(refreshTimer);
      stopLive();
    },
  };
}
