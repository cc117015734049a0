// Understudy Control Center: the first page. A login form, then the agents and databases,
// refreshed every 2 seconds. It talks only to the public REST API (/api/v1); the session is the
// HttpOnly cookie the login sets. The login reply also carries the token (for the CLI); this
// script ignores it and never stores it. Everything shown comes from the API and is inserted
// with textContent, never as HTML.

const REFRESH_MS = 2000;

const ui = {
  loginView: document.getElementById('login-view'),
  loginForm: document.getElementById('login-form'),
  loginUser: document.getElementById('login-user'),
  loginPassword: document.getElementById('login-password'),
  loginError: document.getElementById('login-error'),
  loginButton: document.getElementById('login-button'),
  appView: document.getElementById('app-view'),
  userName: document.getElementById('user-name'),
  userRole: document.getElementById('user-role'),
  logoutButton: document.getElementById('logout-button'),
  status: document.getElementById('status'),
  agentsBody: document.getElementById('agents-body'),
  databasesBody: document.getElementById('databases-body'),
};

/** A failed API call: its HTTP status (0 when the Control Center did not answer) and a sentence. */
class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls the API; resolves to the JSON body (null for 204), rejects with an ApiError. */
async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(new URL(`api/v1/${path}`, document.baseURI), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the Control Center. Check that it is running.');
  }
  if (response.status === 204) {
    return null;
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, errorMessage(response.status, data));
  }
  return data;
}

/** The API's own sentence for an error when it sent one; a plain one for the status otherwise. */
function errorMessage(status, data) {
  if (data && typeof data.message === 'string' && data.message.trim() !== '') {
    return data.message;
  }
  if (status === 401) return 'Your session has ended. Please log in again.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return `The Control Center had a problem (HTTP ${status}).`;
  return `The request failed (HTTP ${status}).`;
}

// --- views ----------------------------------------------------------------------------------

let generation = 0; // bumped whenever the refresh loop must stop (logout, expired session)
let timer = null;

function showLogin(message) {
  stopRefresh();
  ui.appView.hidden = true;
  ui.agentsBody.replaceChildren();
  ui.databasesBody.replaceChildren();
  ui.userName.textContent = '';
  ui.userRole.textContent = '';
  setLoginError(message);
  ui.loginView.hidden = false;
  ui.loginUser.focus();
}

function setLoginError(message) {
  ui.loginError.textContent = message || '';
  ui.loginError.hidden = !message;
}

function showApp(session) {
  ui.loginView.hidden = true;
  setLoginError(null);
  ui.userName.textContent = session.user ?? '';
  ui.userRole.textContent = session.role ?? '';
  ui.userRole.hidden = !session.role;
  setStatus('Loading…', false);
  ui.appView.hidden = false;
  startRefresh();
}

function setStatus(text, isError) {
  ui.status.textContent = text;
  ui.status.classList.toggle('status-error', isError);
}

// --- refresh --------------------------------------------------------------------------------

function startRefresh() {
  stopRefresh();
  const mine = generation;
  const tick = async () => {
    try {
      const [agents, databases] = await Promise.all([api('agents'), api('databases')]);
      if (mine !== generation) return;
      renderAgents(agents ?? []);
      renderDatabases(databases ?? []);
      setStatus(`Updated ${new Date().toLocaleTimeString()}`, false);
    } catch (error) {
      if (mine !== generation) return;
      if (error instanceof ApiError && error.status === 401) {
        showLogin('Your session has ended. Please log in again.');
        return;
      }
      const why = error instanceof ApiError ? error.message : 'Something went wrong.';
      setStatus(`${why} Retrying every ${REFRESH_MS / 1000} s…`, true);
    }
    if (mine === generation) {
      timer = setTimeout(tick, REFRESH_MS);
    }
  };
  tick();
}

function stopRefresh() {
  generation += 1;
  if (timer !== null) {
    clearTimeout(timer);
    timer = null;
  }
}

// --- tables ---------------------------------------------------------------------------------

function renderAgents(agents) {
  renderRows(ui.agentsBody, agents, 6, 'No agents have enrolled yet.', (agent) => [
    text(agent.name, 'strong'),
    text(agent.host),
    text(agent.address, 'mono'),
    text(agent.pid, 'num'),
    agent.online ? badge('online', 'good') : badge('offline', 'bad'),
    time(agent.lastReportAt),
  ]);
}

const ROLE_KINDS = { PRIMARY: 'primary', STANDBY: 'standby', FENCED: 'bad' };

function renderDatabases(databases) {
  renderRows(ui.databasesBody, databases, 7, 'No databases reported yet.', (database) => [
    text(database.id, 'mono strong'),
    text(database.agent),
    text(database.port, 'num'),
    text(database.version),
    badge(database.role ?? 'UNKNOWN', ROLE_KINDS[database.role] ?? 'neutral'),
    state(database),
    text(database.dataDirectory, 'mono'),
  ]);
}

/** up / down; a down database shows its reason under the badge and as the badge's tooltip. */
function state(database) {
  if (database.up) {
    return badge('up', 'good');
  }
  const reason = database.reason || 'reason unknown';
  const wrap = document.createElement('div');
  const down = badge('down', 'bad');
  down.title = reason;
  const why = document.createElement('div');
  why.className = 'reason';
  why.textContent = reason;
  wrap.append(down, why);
  return wrap;
}

function renderRows(tbody, items, columns, emptyText, cellsOf) {
  if (items.length === 0) {
    const row = document.createElement('tr');
    const cell = document.createElement('td');
    cell.colSpan = columns;
    cell.className = 'empty';
    cell.textContent = emptyText;
    row.append(cell);
    tbody.replaceChildren(row);
    return;
  }
  tbody.replaceChildren(
    ...items.map((item) => {
      const row = document.createElement('tr');
      for (const content of cellsOf(item)) {
        const cell = document.createElement('td');
        if (content.classList.contains('num')) {
          cell.classList.add('num');
        }
        cell.append(content);
        row.append(cell);
      }
      return row;
    }),
  );
}

function text(value, classes) {
  const span = document.createElement('span');
  if (classes) span.className = classes;
  span.textContent = value === null || value === undefined ? '' : String(value);
  return span;
}

function badge(label, kind) {
  const span = document.createElement('span');
  span.className = `badge badge-${kind}`;
  span.textContent = label;
  return span;
}

/** "0.4 s ago" when recent, else the local date and time; the exact time as a tooltip. */
function time(iso) {
  if (!iso) {
    return text('never', 'muted');
  }
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) {
    return text('unknown', 'muted');
  }
  const span = text(relative(then, new Date()));
  span.title = then.toLocaleString();
  return span;
}

function relative(then, now) {
  const millis = Math.max(0, now.getTime() - then.getTime());
  if (millis < 10_000) return `${(Math.floor(millis / 100) / 10).toFixed(1)} s ago`;
  if (millis < 60_000) return `${Math.floor(millis / 1000)} s ago`;
  if (millis < 3_600_000) return `${Math.floor(millis / 60_000)} min ago`;
  return then.toLocaleString();
}

// --- events ---------------------------------------------------------------------------------

ui.loginForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = ui.loginUser.value.trim();
  const password = ui.loginPassword.value;
  if (user === '' || password === '') {
    setLoginError('Enter your user name and password.');
    (user === '' ? ui.loginUser : ui.loginPassword).focus();
    return;
  }
  ui.loginButton.disabled = true;
  setLoginError(null);
  try {
    const reply = await api('login', { method: 'POST', body: { user, password } });
    ui.loginPassword.value = '';
    showApp({ user: reply?.user ?? user, role: reply?.role });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setLoginError('Wrong user or password.');
      ui.loginPassword.select();
    } else {
      setLoginError(error instanceof ApiError ? error.message : 'Something went wrong. Try again.');
    }
  } finally {
    ui.loginButton.disabled = false;
  }
});

ui.logoutButton.addEventListener('click', async () => {
  stopRefresh();
  ui.logoutButton.disabled = true;
  try {
    await api('logout', { method: 'POST' });
  } catch {
    // The session ends on its own; the page leaves it either way.
  } finally {
    ui.logoutButton.disabled = false;
  }
  showLogin(null);
});

async function start() {
  try {
    showApp(await api('session'));
  } catch (error) {
    showLogin(error instanceof ApiError && error.status !== 401 ? error.message : null);
  }
}

start();
