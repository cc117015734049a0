// Understudy Control Center in the browser: log in, then the pages (dashboard, set-up wizard,
// events, agents, settings), kept live by the event stream. It uses only the public REST API.
import { ApiError, get, post, useSession } from './api.js';
import { closeDialog } from './dialog.js';
import { replace } from './dom.js';
import { describe } from './errors.js';
import { browserLanguage, setLanguage, t, translateStatic } from './i18n.js';
import * as live from './live.js';
import * as agents from './pages/agents.js';
import * as dashboard from './pages/dashboard.js';
import * as events from './pages/events.js';
import * as settings from './pages/settings.js';
import * as setup from './pages/setup.js';

const PAGES = { dashboard, setup, events, agents, settings };

const ui = {
  boot: document.getElementById('boot'),
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
  live: document.getElementById('live'),
  liveText: document.getElementById('live-text'),
  banner: document.getElementById('banner'),
  page: document.getElementById('page'),
};

let session = null;
let mounted = null;
let bannerTimer = null;
let liveState = 'off';

/** What every page gets: who is logged in, and how to reach the rest of the app. */
const ctx = {
  get session() {
    return session;
  },
  get isAdmin() {
    return session?.role === 'admin';
  },
  navigate(hash) {
    if (location.hash === hash) {
      route();
    } else {
      location.hash = hash;
    }
  },
  /** Shows a short message at the top of the page. */
  notify(text) {
    ui.banner.textContent = text;
    ui.banner.hidden = false;
    clearTimeout(bannerTimer);
    bannerTimer = setTimeout(() => {
      ui.banner.hidden = true;
    }, 6000);
  },
  /** Deals with a failure every page may meet: an ended session. Returns true when it did. */
  handled(error) {
    if (error instanceof ApiError && error.status === 401 && session) {
      sessionEnded();
      return true;
    }
    return false;
  },
  /** Applies {@code language} at once: the texts, and the page anew. */
  async changeLanguage(language) {
    session = { ...session, language };
    await setLanguage(language);
    showUser();
    route();
  },
};

// --- log in and out -------------------------------------------------------------------------

function showLogin(message) {
  live.disconnect();
  closeDialog();
  unmountPage();
  session = null;
  useSession(null);
  ui.appView.hidden = true;
  ui.boot.hidden = true;
  setLoginError(message);
  ui.loginView.hidden = false;
  ui.loginUser.focus();
}

function setLoginError(message) {
  ui.loginError.textContent = message || '';
  ui.loginError.hidden = !message;
}

async function enter(newSession) {
  session = newSession;
  useSession(newSession);
  await setLanguage(newSession.language || browserLanguage());
  ui.loginView.hidden = true;
  ui.boot.hidden = true;
  setLoginError(null);
  showUser();
  ui.appView.hidden = false;
  live.connect(sessionEnded);
  if (!location.hash || location.hash === '#' || location.hash === '#/') {
    history.replaceState(null, '', '#/dashboard');
  }
  route();
}

function showUser() {
  ui.userName.textContent = session.user;
  ui.userRole.textContent = t(`role.${session.role}`);
  ui.userRole.dataset.role = session.role;
  for (const link of document.querySelectorAll('[data-admin-only]')) {
    link.hidden = !ctx.isAdmin;
  }
  showLive();
}

async function sessionEnded() {
  await setLanguage(browserLanguage());
  showLogin(t('login.sessionEnded'));
}

ui.loginForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = ui.loginUser.value.trim();
  const password = ui.loginPassword.value;
  if (user === '' || password === '') {
    setLoginError(t('login.missing'));
    (user === '' ? ui.loginUser : ui.loginPassword).focus();
    return;
  }
  ui.loginButton.disabled = true;
  setLoginError(null);
  try {
    const reply = await post('login', { user, password });
    ui.loginPassword.value = '';
    await enter({ user: reply.user, role: reply.role, language: reply.language, csrfToken: reply.csrfToken });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setLoginError(t('login.wrong'));
      ui.loginPassword.select();
    } else {
      setLoginError(describe(error).text);
    }
  } finally {
    ui.loginButton.disabled = false;
  }
});

ui.logoutButton.addEventListener('click', async () => {
  ui.logoutButton.disabled = true;
  try {
    await post('logout');
  } catch {
    // The session ends on its own; the page leaves it either way.
  } finally {
    ui.logoutButton.disabled = false;
  }
  await setLanguage(browserLanguage());
  showLogin(null);
});

// --- pages ----------------------------------------------------------------------------------

function unmountPage() {
  if (mounted?.unmount) mounted.unmount();
  mounted = null;
  replace(ui.page);
}

async function route() {
  if (!session) return;
  const [, name = 'dashboard', ...rest] = location.hash.replace(/^#/, '').split('/');
  const page = PAGES[name] ? name : 'dashboard';
  for (const link of document.querySelectorAll('.nav a')) {
    if (link.dataset.page === page) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  closeDialog();
  unmountPage();
  ui.page.dataset.page = page;
  const argument = rest.map(decodeURIComponent).join('/');
  mounted = PAGES[page].mount(ui.page, ctx, argument) || null;
  translateStatic(ui.page);
}

window.addEventListener('hashchange', route);

function showLive() {
  ui.live.dataset.state = liveState;
  ui.liveText.textContent = liveState === 'off' ? '' : t(`live.${liveState}`);
}

live.on('state', (state) => {
  liveState = state;
  showLive();
});

async function start() {
  await setLanguage(browserLanguage());
  try {
    await enter(await get('session'));
  } catch (error) {
    showLogin(error instanceof ApiError && error.status !== 401 ? describe(error).text : null);
  }
}

start();
