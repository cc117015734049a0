// "Start with PostgreSQL": the set-up wizard. 1. the primary among the registered databases and
// where its standby goes; 2. "Set it up now?": the replication method and HOT or WARM; 3. the
// standby's creation, its steps as they happen.
import { ApiError, get, post, segment } from '../api.js';
import { cancelAction, openDialog } from '../dialog.js';
import { field, h, replace } from '../dom.js';
import { errorBox, fieldLabel } from '../errors.js';
import { t } from '../i18n.js';
import { follow } from '../operation.js';

const INSPECTION_WAIT_MS = 15_000;

export function mount(root, ctx, existing) {
  let stopFollowing = null;
  let stopped = false;
  const choice = {
    name: '',
    primary: '',
    agent: '',
    dataDirectory: '',
    port: '',
    method: 'WAL_STREAMING',
    mode: 'HOT',
    fixed: false,
  };
  const steps = h('ol.wizard-steps');
  const body = h('div.card.wizard-card');
  replace(
    root,
    h('div.page-head', {}, h('div', {}, h('h1', {}, t('wizard.title')), h('p.page-sub.muted', {}, t('wizard.subtitle')))),
    steps,
    body,
  );

  function showSteps(active) {
    replace(
      steps,
      [1, 2, 3].map((n) =>
        h(`li${n === active ? '.active' : n < active ? '.done' : ''}`, { 'aria-current': n === active ? 'step' : null }, h('span.wizard-number', {}, String(n)), t(`wizard.step${n}`)),
      ),
    );
  }

  if (!ctx.isAdmin) {
    showSteps(1);
    replace(body, h('p.message.message-info', {}, t('role.viewerCannot')));
    return {};
  }

  // --- step 1 -------------------------------------------------------------------------------

  async function stepOne(problem) {
    showSteps(1);
    replace(body, h('p.muted', {}, t('common.loading')));
    let databases;
    let agents;
    let configurations;
    try {
      [databases, agents, configurations] = await Promise.all([get('databases'), get('agents'), get('configurations')]);
    } catch (error) {
      if (!ctx.handled(error)) replace(body, errorBox(error));
      return;
    }
    if (stopped) return;
    const used = new Set();
    for (const c of configurations) {
      used.add(c.primary);
      used.add(`${c.standby.agent}:${c.standby.port}`);
    }
    const primaries = databases.filter((d) => d.role === 'PRIMARY' && d.up && !used.has(d.id));
    const online = agents.filter((a) => a.online);

    const name = h('input', { type: 'text', value: choice.name, autocomplete: 'off', spellcheck: 'false', placeholder: 'sales', dataset: { field: 'name' } });
    const primary = h(
      'select',
      { dataset: { field: 'primary' } },
      h('option', { value: '' }, t('wizard.choosePrimary')),
      primaries.map((d) => h('option', { value: d.id, selected: d.id === choice.primary }, `${d.id} — PostgreSQL ${d.version} (${d.host})`)),
    );
    const agent = h(
      'select',
      { dataset: { field: 'standby.agent' } },
      h('option', { value: '' }, t('wizard.chooseAgent')),
      online.map((a) => h('option', { value: a.name, selected: a.name === choice.agent }, `${a.name} — ${a.host} (${a.address})`)),
    );
    const directory = h('input', { type: 'text', value: choice.dataDirectory, spellcheck: 'false', placeholder: '/var/lib/postgresql/16/standby', dataset: { field: 'standby.dataDirectory' } });
    const port = h('input', { type: 'number', min: '1', max: '65535', value: choice.port, placeholder: '5433', dataset: { field: 'standby.port' } });
    const fields = {
      name: field(t('field.name'), name, t('wizard.nameHint')),
      primary: field(t('field.primary'), primary, primaries.length === 0 ? t('wizard.noPrimary') : t('wizard.primaryHint')),
      'standby.agent': field(t('field.standby.agent'), agent, online.length === 0 ? t('wizard.noAgent') : t('wizard.agentHint')),
      'standby.dataDirectory': field(t('field.standby.dataDirectory'), directory, t('wizard.directoryHint')),
      'standby.port': field(t('field.standby.port'), port),
    };
    const existingNote = h('p.message.message-info', { hidden: true });
    // An agent with a database of its own that no configuration uses: offer its place (the test
    // drive's psql2), saying that what is there would be moved aside, never deleted.
    agent.addEventListener('change', () => {
      const candidates = databases.filter((d) => d.agent === agent.value && !used.has(d.id) && d.id !== primary.value);
      existingNote.hidden = true;
      if (candidates.length === 1 && directory.value === '' && port.value === '') {
        directory.value = candidates[0].dataDirectory;
        port.value = String(candidates[0].port);
        existingNote.textContent = t('wizard.existingCluster', { id: candidates[0].id });
        existingNote.hidden = false;
      }
    });
    const next = h('button.button.button-primary', { type: 'submit', dataset: { action: 'next' } }, t('wizard.next'));
    const form = h(
      'form.form',
      { novalidate: true },
      h('h2', {}, t('wizard.step1.title')),
      h('p.muted', {}, t('wizard.step1.body')),
      problem ? errorBox(problem) : null,
      fields.name,
      h('div.form-columns', {}, h('div', {}, h('h3.section-title', {}, t('wizard.primary')), fields.primary), h('div', {}, h('h3.section-title', {}, t('wizard.standby')), fields['standby.agent'], fields['standby.dataDirectory'], fields['standby.port'], existingNote)),
      h('div.form-actions', {}, next),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      Object.values(fields).forEach((f) => f.showError(null));
      const missing = [
        ['standby.port', port.value === ''],
        ['standby.dataDirectory', directory.value.trim() === ''],
        ['standby.agent', agent.value === ''],
        ['primary', primary.value === ''],
        ['name', name.value.trim() === ''],
      ].filter(([, empty]) => empty);
      for (const [key] of missing) fields[key].showError(t('wizard.required', { field: fieldLabel(key) }));
      if (missing.length > 0) return;
      Object.assign(choice, {
        name: name.value.trim(),
        primary: primary.value,
        agent: agent.value,
        dataDirectory: directory.value.trim(),
        port: port.value,
      });
      stepTwo();
    });
    replace(body, form);
    form.fieldsByName = fields;
    if (problem instanceof ApiError && problem.details?.field && fields[problem.details.field]) {
      fields[problem.details.field].showError(problem.message);
    } else {
      name.focus();
    }
  }

  // --- step 2 -------------------------------------------------------------------------------

  function stepTwo(problem) {
    showSteps(2);
    const radio = (group, value, label, hint) => {
      const input = h('input', { type: 'radio', name: group, value, id: `${group}-${value}`, checked: choice[group] === value, disabled: choice.fixed });
      input.addEventListener('change', () => {
        choice[group] = value;
      });
      return h('label.check.option', { for: input.id }, input, h('span', {}, h('strong', {}, label), h('span.hint', {}, hint)));
    };
    const create = h('button.button.button-primary', { type: 'button', dataset: { action: 'create-standby' }, onclick: () => createEverything(true) }, t('wizard.createStandby'));
    const later = choice.fixed
      ? null
      : h('button.button', { type: 'button', dataset: { action: 'create-only' }, onclick: () => createEverything(false) }, t('wizard.createOnly'));
    const back = choice.fixed ? null : h('button.button.button-quiet', { type: 'button', onclick: () => stepOne() }, t('wizard.back'));
    replace(
      body,
      h(
        'div.form',
        {},
        h('h2', {}, t('wizard.step2.title')),
        h('p.muted', {}, t('wizard.step2.body', { name: choice.name, primary: choice.primary, target: `${choice.agent}:${choice.dataDirectory}:${choice.port}` })),
        problem ? errorBox(problem) : null,
        h('fieldset.choice', {}, h('legend', {}, t('field.method')), radio('method', 'WAL_STREAMING', t('method.WAL_STREAMING'), t('wizard.streamingHint')), radio('method', 'WAL_SHIPPING', t('method.WAL_SHIPPING'), t('wizard.shippingHint'))),
        h('fieldset.choice', {}, h('legend', {}, t('field.mode')), radio('mode', 'HOT', t('mode.HOT'), t('wizard.hotHint')), radio('mode', 'WARM', t('mode.WARM'), t('wizard.warmHint'))),
        h('p.hint', {}, t('wizard.replaceNote')),
        h('div.form-actions', {}, back, later, create),
      ),
    );
  }

  async function createEverything(withStandby) {
    for (const b of body.querySelectorAll('button')) b.disabled = true;
    if (!choice.fixed) {
      try {
        await post('configurations', {
          name: choice.name,
          primary: choice.primary,
          standby: { agent: choice.agent, dataDirectory: choice.dataDirectory, port: Number(choice.port) },
          method: choice.method,
          mode: choice.mode,
        });
      } catch (error) {
        if (ctx.handled(error)) return;
        const at = error instanceof ApiError ? error.details?.field : null;
        if (at === 'method' || at === 'mode') {
          stepTwo(error);
        } else {
          stepOne(error);
        }
        return;
      }
      choice.fixed = true;
      history.replaceState(null, '', `#/setup/${encodeURIComponent(choice.name)}`);
    }
    if (!withStandby) {
      ctx.notify(t('wizard.created', { name: choice.name }));
      ctx.navigate('#/dashboard');
      return;
    }
    createStandby(false);
  }

  async function createStandby(replaceExisting) {
    showSteps(3);
    const view = h('div.operation-wrap', {}, h('p.muted', {}, t('wizard.waitingForTarget')));
    replace(body, h('div', {}, h('h2', {}, t('wizard.step3.title', { name: choice.name })), view));
    const deadline = Date.now() + INSPECTION_WAIT_MS;
    let accepted;
    for (;;) {
      try {
        accepted = await post(`configurations/${segment(choice.name)}/standby`, { replaceExisting });
        break;
      } catch (error) {
        if (ctx.handled(error) || stopped) return;
        if (error instanceof ApiError && error.code === 'target_not_inspected' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          continue;
        }
        if (error instanceof ApiError && error.code === 'confirmation_required') {
          confirmReplace(error);
          return;
        }
        stepTwo(error);
        return;
      }
    }
    const finish = h('div.form-actions');
    replace(body, h('div', {}, h('h2', {}, t('wizard.step3.title', { name: choice.name })), view, finish));
    stopFollowing = follow(accepted.operationId, view, {
      onEnd: (operation) => {
        const ok = operation.state === 'SUCCEEDED';
        replace(
          finish,
          h(`p.message.${ok ? 'message-good' : 'message-error'}`, { dataset: { result: operation.state } }, t(ok ? 'wizard.done' : 'wizard.failed', { name: choice.name })),
          ok ? null : h('button.button', { type: 'button', dataset: { action: 'retry' }, onclick: () => createStandby(replaceExisting) }, t('wizard.retry')),
          h('a.button.button-primary', { href: '#/dashboard', dataset: { action: 'to-dashboard' } }, t('wizard.toDashboard')),
        );
      },
      onError: (error) => ctx.handled(error),
    });
  }

  function confirmReplace(error) {
    const details = error.details || {};
    const what = details.holdsCluster
      ? t('wizard.replace.cluster', { version: details.majorVersion || '?' })
      : t('wizard.replace.files');
    openDialog({
      title: t('wizard.replace.title'),
      testId: 'replace',
      body: [
        h('p', {}, t('wizard.replace.body', { target: details.target || `${choice.agent}:${choice.dataDirectory}`, what })),
        details.running ? h('p.message.message-warn', {}, t('wizard.replace.running')) : null,
        h('p', {}, t('wizard.replace.safe')),
      ],
      actions: [
        { ...cancelAction(), action: (d) => { d.close(); stepTwo(); } },
        { label: t('wizard.replace.confirm'), kind: 'danger', id: 'confirm', action: (d) => { d.close(); createStandby(true); } },
      ],
    });
  }

  // --- start --------------------------------------------------------------------------------

  async function resume(name) {
    try {
      const configuration = await get(`configurations/${segment(name)}`);
      Object.assign(choice, {
        name: configuration.name,
        primary: configuration.primary,
        agent: configuration.standby.agent,
        dataDirectory: configuration.standby.dataDirectory,
        port: String(configuration.standby.port),
        method: configuration.method,
        mode: configuration.mode,
        fixed: true,
      });
      if (configuration.activeOperationId) {
        showSteps(3);
        const view = h('div.operation-wrap');
        replace(body, h('div', {}, h('h2', {}, t('wizard.step3.title', { name })), view));
        stopFollowing = follow(configuration.activeOperationId, view, { onError: (e) => ctx.handled(e) });
      } else {
        stepTwo();
      }
    } catch (error) {
      if (!ctx.handled(error)) replace(body, errorBox(error));
    }
  }

  if (existing) {
    resume(existing);
  } else {
    stepOne();
  }
  return {
    unmount() {
      stopped = true;
      if (stopFollowing) stopFollowing();
    },
  };
}
