// Live updates from the Control Center's event stream (GET /api/v1/stream, Server-Sent Events):
// 'status' (refetch what is shown), 'event' (a new event) and 'session-ended'.

const listeners = { status: new Set(), event: new Set(), state: new Set() };
let source = null;
let onSessionEnded = () => {};
let retry = null;

/** Connects; {@code sessionEnded} is called once the Control Center ends the session. */
export function connect(sessionEnded) {
  disconnect();
  onSessionEnded = sessionEnded;
  open();
}

function open() {
  source = new EventSource(new URL('api/v1/stream', document.baseURI), { withCredentials: true });
  setState('connecting');
  source.addEventListener('open', () => setState('live'));
  source.addEventListener('status', () => emit('status'));
  source.addEventListener('event', (message) => {
    try {
      emit('event', JSON.parse(message.data));
    } catch {
      // not an event: ignore it
    }
  });
  source.addEventListener('session-ended', () => {
    disconnect();
    onSessionEnded();
  });
  source.addEventListener('error', () => {
    setState('reconnecting');
    if (source && source.readyState === EventSource.CLOSED) {
      // The browser gives up after a refused request (e.g. 401): try again later, and let the
      // pages' own calls find out whether the session has ended.
      source = null;
      retry = setTimeout(open, 3000);
    }
  });
}

export function disconnect() {
  if (retry) clearTimeout(retry);
  retry = null;
  if (source) source.close();
  source = null;
  setState('off');
}

/** Calls {@code listener} on 'status', 'event' or 'state' (live, connecting, reconnecting, off); returns how to stop. */
export function on(type, listener) {
  listeners[type].add(listener);
  return () => listeners[type].delete(listener);
}

function emit(type, data) {
  for (const listener of [...listeners[type]]) {
    try {
      listener(data);
    } catch (error) {
      console.error(error);
    }
  }
}

function setState(state) {
  emit('state', state);
}
