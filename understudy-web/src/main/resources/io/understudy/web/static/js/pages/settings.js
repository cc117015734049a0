// Settings: the user's language (applied at once), their password, and, for an admin, the users.
import { ApiError, del, get, post, put, segment } from '../api.js';
import { cancelAction, openDialog } from '../dialog.js';
import { badge, field, h, replace } from '../dom.js';
import { errorBox, fieldLabel } from '../errors.js';
import { dateTime } from '../format.js';
import { LANGUAGES, t } from '../i18n.js';

/** Shows an API error at the field it names, else in {@code problem}. */
function showError(error, fields, problem) {
  const at = error instanceof ApiError ? fields[error.details?.field] : null;
  if (at) {
    at.showError(`${t('error.code.invalid_input', { field: fieldLabel(error.details.field) })} ${error.message || ''}`.trim());
  } else {
    replace(problem, errorBox(error));
  }
}

function passwordInput(autocomplete, name) {
  return h('input', { type: 'password', autocomplete, dataset: { field: name } });
}

export function mount(root, ctx) {
  const me = ctx.session.user;
  let stopped = false;

  // --- language -----------------------------------------------------------------------------
  const language = h(
    'select',
    { id: 'settings-language', dataset: { field: 'language' } },
    LANGUAGES.map((l) => h('option', { value: l, selected: l === (ctx.session.language || document.documentElement.lang) }, t(`language.${l}`))),
  );
  const languageProblem = h('div');
  language.addEventListener('change', async () => {
    language.disabled = true;
    try {
      await put(`users/${segment(me)}/language`, { language: language.value });
      await ctx.changeLanguage(language.value);
    } catch (error) {
      language.disabled = false;
      if (!ctx.handled(error)) replace(languageProblem, errorBox(error));
    }
  });

  // --- own password -------------------------------------------------------------------------
  const current = passwordInput('current-password', 'currentPassword');
  const fresh = passwordInput('new-password', 'password');
  const repeat = passwordInput('new-password', 'repeat');
  const passwordFields = {
    currentPassword: field(t('field.currentPassword'), current),
    password: field(t('field.password'), fresh, t('settings.passwordHint')),
    repeat: field(t('settings.repeat'), repeat),
  };
  const passwordProblem = h('div');
  const passwordForm = h(
    'form.form',
    { novalidate: true, dataset: { form: 'own-password' } },
    passwordFields.currentPassword,
    passwordFields.password,
    passwordFields.repeat,
    passwordProblem,
    h('div.form-actions', {}, h('button.button.button-primary', { type: 'submit' }, t('settings.changePassword'))),
  );
  passwordForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    Object.values(passwordFields).forEach((f) => f.showError(null));
    replace(passwordProblem);
    if (fresh.value !== repeat.value) {
      passwordFields.repeat.showError(t('settings.mismatch'));
      return;
    }
    try {
      await put(`users/${segment(me)}/password`, { currentPassword: current.value, password: fresh.value });
      passwordForm.reset();
      ctx.notify(t('settings.passwordChanged'));
    } catch (error) {
      if (!ctx.handled(error)) showError(error, passwordFields, passwordProblem);
    }
  });

  const sections = [
    h(
      'section.card.settings-section',
      {},
      h('h2', {}, t('settings.language')),
      h('p.muted', {}, t('settings.languageHint')),
      h('div.field', {}, h('label', { for: 'settings-language' }, t('settings.language')), language),
      languageProblem,
    ),
    h('section.card.settings-section', {}, h('h2', {}, t('settings.yourPassword')), passwordForm),
  ];

  // --- users (admin) ------------------------------------------------------------------------
  const userRows = h('tbody');
  const usersProblem = h('div');
  async function loadUsers() {
    try {
      const users = await get('users');
      if (stopped) return;
      replace(usersProblem);
      replace(
        userRows,
        users.map((u) =>
          h(
            'tr',
            { dataset: { user: u.name } },
            h('td.strong', {}, u.name, u.name === me ? h('span.muted', {}, ` (${t('settings.you')})`) : null),
            h('td', {}, badge(t(`role.${u.role}`), u.role === 'admin' ? 'primary' : 'neutral')),
            h('td', {}, u.language ? t(`language.${u.language}`) : t('settings.browserLanguage')),
            h('td', {}, dateTime(u.createdAt)),
            h(
              'td.row-actions',
              {},
              h('button.button.button-small', { type: 'button', dataset: { action: 'set-password' }, onclick: () => setPassword(u.name) }, t('settings.setPassword')),
              u.name === me ? null : h('button.button.button-small.button-danger-quiet', { type: 'button', dataset: { action: 'remove-user' }, onclick: () => removeUser(u.name) }, t('settings.remove')),
            ),
          ),
        ),
      );
    } catch (error) {
      if (!ctx.handled(error)) replace(usersProblem, errorBox(error));
    }
  }

  function addUserForm() {
    const name = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', dataset: { field: 'name' } });
    const role = h('select', { dataset: { field: 'role' } }, h('option', { value: 'viewer' }, t('role.viewer')), h('option', { value: 'admin' }, t('role.admin')));
    const password = passwordInput('new-password', 'password');
    const fields = {
      name: field(t('field.name'), name),
      role: field(t('field.role'), role, t('settings.roleHint')),
      password: field(t('field.password'), password, t('settings.passwordHint')),
    };
    const problem = h('div');
    const form = h(
      'form.form.form-inline',
      { novalidate: true, dataset: { form: 'add-user' } },
      fields.name,
      fields.role,
      fields.password,
      h('div.form-actions', {}, h('button.button.button-primary', { type: 'submit' }, t('settings.addUser'))),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      Object.values(fields).forEach((f) => f.showError(null));
      replace(problem);
      try {
        await post('users', { name: name.value.trim(), password: password.value, role: role.value });
        ctx.notify(t('settings.userAdded', { name: name.value.trim() }));
        form.reset();
        loadUsers();
      } catch (error) {
        if (!ctx.handled(error)) showError(error, fields, problem);
      }
    });
    return [form, problem];
  }

  function setPassword(name) {
    const yours = passwordInput('current-password', 'currentPassword');
    const fresh2 = passwordInput('new-password', 'password');
    const fields = { currentPassword: field(t('settings.yourCurrentPassword'), yours), password: field(t('field.password'), fresh2, t('settings.passwordHint')) };
    const problem = h('div');
    openDialog({
      title: t('settings.setPasswordTitle', { name }),
      testId: 'set-password',
      body: [h('p', {}, t(name === me ? 'settings.setOwnPasswordBody' : 'settings.setPasswordBody', { name })), fields.currentPassword, fields.password, problem],
      actions: [
        cancelAction(),
        {
          label: t('settings.setPassword'),
          kind: 'primary',
          id: 'confirm',
          action: async (d) => {
            Object.values(fields).forEach((f) => f.showError(null));
            replace(problem);
            d.setBusy(true);
            try {
              await put(`users/${segment(name)}/password`, { currentPassword: yours.value, password: fresh2.value });
              d.close();
              ctx.notify(t('settings.passwordSet', { name }));
            } catch (error) {
              d.setBusy(false);
              if (!ctx.handled(error)) showError(error, fields, problem);
            }
          },
        },
      ],
    });
    yours.focus();
  }

  function removeUser(name) {
    openDialog({
      title: t('settings.removeTitle', { name }),
      testId: 'remove-user',
      body: [h('p', {}, t('settings.removeBody', { name }))],
      actions: [
        cancelAction(),
        {
          label: t('settings.remove'),
          kind: 'danger',
          id: 'confirm',
          action: async (d) => {
            d.setBusy(true);
            try {
              await del(`users/${segment(name)}`);
              d.close();
              ctx.notify(t('settings.userRemoved', { name }));
              loadUsers();
            } catch (error) {
              d.setBusy(false);
              if (!ctx.handled(error)) d.setBody(errorBox(error));
            }
          },
        },
      ],
    });
  }

  if (ctx.isAdmin) {
    sections.push(
      h(
        'section.card.settings-section',
        { dataset: { section: 'users' } },
        h('h2', {}, t('settings.users')),
        h('p.muted', {}, t('settings.usersHint')),
        usersProblem,
        h(
          'div.table-wrap',
          {},
          h('table', {}, h('thead', {}, h('tr', {}, [t('field.name'), t('field.role'), t('settings.languageColumn'), t('settings.created'), ''].map((c) => h('th', { scope: 'col' }, c)))), userRows),
        ),
        h('h3.section-title', {}, t('settings.addUser')),
        ...addUserForm(),
      ),
    );
    loadUsers();
  } else {
    sections.push(h('section.card.settings-section', {}, h('h2', {}, t('settings.users')), h('p.muted', {}, t('settings.viewerUsers'))));
  }

  replace(root, h('div.page-head', {}, h('div', {}, h('h1', {}, t('settings.title')), h('p.page-sub.muted', {}, t('settings.subtitle', { user: me, role: t(`role.${ctx.session.role}`) })))), h('div.settings', {}, sections));
  return {
    unmount() {
      stopped = true;
    },
  };
}
