// The agents: each with its host, address, last report, online or not, and its databases.
import { get } from '../api.js';
import { badge, h, replace } from '../dom.js';
import { errorBox } from '../errors.js';
import { ago, dateTime } from '../format.js';
import { t } from '../i18n.js';
import { on } from '../live.js';

export function mount(root, ctx) {
  let stopped = false;
  let data = null;
  const list = h('div.agent-list');
  const problem = h('div');
  replace(root, h('div.page-head', {}, h('div', {}, h('h1', {}, t('agents.title')), h('p.page-sub.muted', {}, t('agents.subtitle')))), problem, list);

  async function refresh() {
    try {
      const [agents, databases] = await Promise.all([get('agents'), get('databases')]);
      if (stopped) return;
      data = { agents, databases };
      replace(problem);
      render();
    } catch (error) {
      if (!ctx.handled(error)) replace(problem, errorBox(error));
    }
  }

  function render() {
    if (!data) return;
    if (data.agents.length === 0) {
      replace(list, h('div.card.empty-state', {}, h('h2', {}, t('agents.none')), h('p', {}, t('agents.noneHint'))));
      return;
    }
    replace(list, data.agents.map((agent) => card(agent, data.databases.filter((d) => d.agent === agent.name))));
  }

  function card(agent, databases) {
    return h(
      'article.card.agent-card',
      { dataset: { agent: agent.name } },
      h(
        'header.agent-head',
        {},
        h('h2', {}, agent.name),
        agent.online ? badge(t('agents.online'), 'good', { dataset: { online: 'true' } }) : badge(t('agents.offline'), 'bad', { dataset: { online: 'false' } }),
      ),
      h(
        'dl.facts.facts-row',
        {},
        h('dt', {}, t('agents.host')),
        h('dd', {}, agent.host),
        h('dt', {}, t('agents.address')),
        h('dd.mono', {}, agent.address),
        h('dt', {}, t('agents.lastReport')),
        h('dd', { title: dateTime(agent.lastReportAt), dataset: { ago: agent.lastReportAt || '' } }, ago(agent.lastReportAt)),
        h('dt', {}, t('agents.version')),
        h('dd', {}, agent.version),
        h('dt', {}, t('agents.pid')),
        h('dd.mono', {}, String(agent.pid)),
      ),
      databases.length === 0
        ? h('p.muted', {}, t('agents.noDatabases'))
        : h(
            'div.table-wrap',
            {},
            h(
              'table',
              {},
              h('thead', {}, h('tr', {}, [t('agents.database'), t('dashboard.port'), t('dashboard.version'), t('agents.role'), t('agents.state'), t('agents.dataDirectory')].map((c) => h('th', { scope: 'col' }, c)))),
              h(
                'tbody',
                {},
                databases.map((d) =>
                  h(
                    'tr',
                    { dataset: { database: d.id } },
                    h('td.mono.strong', {}, d.id),
                    h('td.num', {}, String(d.port)),
                    h('td', {}, d.version),
                    h('td', {}, t(`databaseRole.${d.role}`)),
                    h('td', {}, d.up ? badge(t('agents.up'), 'good') : [badge(t('agents.down'), 'bad', { title: d.reason || '' }), d.reason ? h('div.reason', {}, d.reason) : null]),
                    h('td.mono', {}, d.dataDirectory),
                  ),
                ),
              ),
            ),
          ),
    );
  }

  // "0.4 s ago" keeps counting between updates.
  const ticker = setInterval(() => {
    for (const element of list.querySelectorAll('[data-ago]')) {
      if (element.dataset.ago) element.textContent = ago(element.dataset.ago);
    }
  }, 1000);
  const stopLive = on('status', refresh);
  refresh();
  return {
    unmount() {
      stopped = true;
      clearInterval(ticker);
      stopLive();
    },
  };
}
