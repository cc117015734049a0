// The dashboard: one card per configuration, its databases' states, replication and lag, and
// its actions. It refetches whenever the event stream says something changed.
import { get, segment } from '../api.js';
import { openAction } from '../actions.js';
import { lagChart } from '../chart.js';
import { badge, h, replace } from '../dom.js';
import { errorBox } from '../errors.js';
import { bytes, seconds } from '../format.js';
import { t } from '../i18n.js';
import { on } from '../live.js';
import { fraction, kindLabel } from '../operation.js';

const LAG_EVERY_MS = 15_000;

/** The badge colour of each DatabaseState. */
export const STATE_KINDS = {
  ONLINE: 'primary',
  HOT_STANDBY: 'good',
  WARM_STANDBY: 'info',
  DOWN: 'bad',
  NOT_PRESENT: 'neutral',
  FENCED: 'warn',
};

export function stateBadge(state) {
  return badge(t(`state.${state}`), STATE_KINDS[state] || 'neutral', { dataset: { state } });
}

export function mount(root, ctx) {
  let data = null;
  let lag = {};
  let lagFetchedAt = 0;
  let error = null;
  let inFlight = false;
  let again = false;
  let stopped = false;

  const cards = h('div.cards');
  const problem = h('div');
  const summary = h('p.page-sub.muted');
  replace(
    root,
    h(
      'div.page-head',
      {},
      h('div', {}, h('h1', {}, t('dashboard.title')), summary),
      ctx.isAdmin
        ? h('a.button.button-primary', { href: '#/setup', dataset: { action: 'open-setup' } }, t('dashboard.setUp'))
        : null,
    ),
    problem,
    cards,
  );

  async function refresh() {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const [status, databases, configurations, agents] = await Promise.all([
        get('status'),
        get('databases'),
        get('configurations'),
        get('agents'),
      ]);
      if (stopped) return;
      data = { status, databases, configurations, agents };
      error = null;
      if (Date.now() - lagFetchedAt > LAG_EVERY_MS || status.some((c) => !(c.name in lag))) {
        lagFetchedAt = Date.now();
        const histories = await Promise.all(
          status.map((c) => get(`configurations/${segment(c.name)}/lag`).catch(() => [])),
        );
        lag = Object.fromEntries(status.map((c, i) => [c.name, histories[i]]));
      }
    } catch (e) {
      if (ctx.handled(e)) return;
      error = e;
    } finally {
      inFlight = false;
    }
    if (stopped) return;
    render();
    if (again) {
      again = false;
      refresh();
    }
  }

  function render() {
    replace(problem, error ? errorBox(error) : null);
    if (!data) return;
    const { status } = data;
    summary.textContent = t('dashboard.summary', { n: status.length });
    if (status.length === 0) {
      replace(
        cards,
        h(
          'div.card.empty-state',
          {},
          h('h2', {}, t('dashboard.empty.title')),
          h('p', {}, t(ctx.isAdmin ? 'dashboard.empty.admin' : 'dashboard.empty.viewer')),
          ctx.isAdmin ? h('a.button.button-primary', { href: '#/setup' }, t('dashboard.setUp')) : null,
        ),
      );
      return;
    }
    replace(cards, status.map((configuration) => card(configuration)));
  }

  function card(status) {
    const configuration = data.configurations.find((c) => c.name === status.name);
    const standby = status.standbys[0];
    const operation = status.operation;
    const created = configuration ? configuration.standbyCreated : true;
    return h(
      'article.card.config-card',
      { dataset: { configuration: status.name } },
      h(
        'header.config-head',
        {},
        h('div.config-title', {}, h('h2', {}, status.name), tags(status)),
        actions(status, configuration),
      ),
      operation ? operationStrip(status, operation) : null,
      h(
        'div.config-body',
        {},
        h(
          'div.config-main',
          {},
          h(
            'div.members',
            {},
            member(status.primary, 'primary', null),
            h('div.members-arrow', { 'aria-hidden': 'true' }, '→'),
            standby ? member(standby, 'standby', configuration) : null,
          ),
          standby && created ? replication(standby) : notCreated(status, configuration),
        ),
        h('div.chart-wrap', {}, h('h3.section-title', {}, t('dashboard.lagChart')), lagChart(lag[status.name] || [])),
      ),
    );
  }

  function tags(status) {
    const observer = status.observer;
    let failover;
    if (observer && observer.enabled && observer.action === 'FAILOVER') {
      failover = badge(t('dashboard.autoFailover.on'), 'good', { dataset: { autoFailover: 'on' } });
    } else if (observer && observer.enabled) {
      failover = badge(t('dashboard.autoFailover.notify'), 'info', { dataset: { autoFailover: 'notify' } });
    } else {
      failover = badge(t('dashboard.autoFailover.off'), 'neutral', { dataset: { autoFailover: 'off' } });
    }
    return h(
      'div.tags',
      {},
      h('span.tag', {}, t(`method.${status.method}`)),
      h('span.tag', {}, t(`mode.${status.mode}`)),
      h('span.tag', { dataset: { epoch: String(status.epoch) } }, t('dashboard.epoch', { n: status.epoch })),
      failover,
      status.failedOver ? badge(t('dashboard.failedOver'), 'warn', { dataset: { failedOver: 'true' } }) : null,
    );
  }

  function actions(status, configuration) {
    const running = Boolean(status.operation);
    const created = configuration ? configuration.standbyCreated : true;
    const fenced = [status.primary, ...status.standbys].some((m) => m.state === 'FENCED');
    const list = [
      ['switchover', created && !running],
      ['failover', created && !running],
      ['reinstate', !running && (status.failedOver === true || fenced)],
      ['observer', true],
      ['delete', !running],
    ];
    return h(
      'div.config-actions',
      {},
      list.map(([action, possible]) => {
        const allowed = ctx.isAdmin && possible;
        const b = h(
          `button.button.button-small${action === 'delete' || action === 'failover' ? '.button-danger-quiet' : ''}`,
          {
            type: 'button',
            dataset: { action },
            title: ctx.isAdmin ? t(`action.${action}.hint`) : t('role.viewerCannot'),
            onclick: () => openAction(action, ctx, { status, configuration, databases: data.databases, agents: data.agents }),
          },
          t(`action.${action}.button`),
        );
        b.disabled = !allowed;
        return b;
      }),
    );
  }

  function operationStrip(status, operation) {
    const percent = Math.round(fraction(operation) * 100);
    const step = operation.steps.find((s) => s.state === 'RUNNING');
    return h(
      'div.config-operation',
      { dataset: { operation: operation.id } },
      h('span.spinner', { 'aria-hidden': 'true' }),
      h('strong', {}, kindLabel(operation.kind)),
      h('span.muted', {}, step ? step.name : ''),
      h('div.progress.progress-inline', {}, h('div.progress-bar.progress-running', { style: `width: ${percent}%` })),
      h(
        'button.button.button-small.button-quiet',
        {
          type: 'button',
          dataset: { view: 'operation' },
          onclick: () => openAction('operation', ctx, { status, operationId: operation.id }),
        },
        t('dashboard.showSteps'),
      ),
    );
  }

  function member(m, role, configuration) {
    const database = data.databases.find((d) => d.id === m.database);
    const agent = data.agents.find((a) => a.name === m.agent);
    const port = database ? database.port : role === 'standby' && configuration ? configuration.standby.port : m.database.split(':').pop();
    return h(
      `section.member.member-${role}`,
      { dataset: { role, database: m.database } },
      h('div.member-head', {}, h('span.member-role', {}, t(`role.member.${role}`)), stateBadge(m.state)),
      h('div.member-id.mono', {}, m.database),
      h(
        'dl.facts',
        {},
        fact(t('dashboard.host'), database?.host || agent?.host || '—'),
        fact(t('dashboard.port'), String(port)),
        fact(t('dashboard.version'), database ? `PostgreSQL ${database.version}` : '—'),
        fact(t('dashboard.agent'), m.agent),
      ),
      database && !database.up && database.reason ? h('p.reason', {}, database.reason) : null,
    );
  }

  function replication(standby) {
    return h(
      'div.replication',
      {},
      metric(t('dashboard.streaming'), yesNo(standby.streaming, 'streaming')),
      metric(t('dashboard.inSync'), yesNo(standby.inSync, 'in-sync')),
      metric(t('dashboard.lagBytes'), h('span.metric-value', { dataset: { metric: 'lag-bytes' } }, bytes(standby.lagBytes))),
      metric(t('dashboard.timeGap'), h('span.metric-value', { dataset: { metric: 'time-gap' } }, seconds(standby.replayLagSeconds))),
    );
  }

  function notCreated(status, configuration) {
    return h(
      'div.not-created',
      {},
      h('p', {}, t('dashboard.noStandby')),
      ctx.isAdmin
        ? h(
            'a.button.button-primary.button-small',
            { href: `#/setup/${encodeURIComponent(status.name)}`, dataset: { action: 'create-standby' } },
            t('wizard.createStandby'),
          )
        : null,
      configuration ? h('p.muted', {}, t('dashboard.target', { target: `${configuration.standby.agent}:${configuration.standby.dataDirectory}:${configuration.standby.port}` })) : null,
    );
  }

  function yesNo(value, metricName) {
    return badge(t(value ? 'common.yes' : 'common.no'), value ? 'good' : 'bad', { dataset: { metric: metricName, value: String(value) } });
  }

  const stopLive = on('status', () => refresh());
  refresh();
  return {
    unmount() {
      stopped = true;
      stopLive();
    },
  };
}

function fact(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}

function metric(label, value) {
  return h('div.metric', {}, h('span.metric-label', {}, label), value);
}
