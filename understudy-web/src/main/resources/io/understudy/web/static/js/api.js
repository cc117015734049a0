// The Control Center's public REST API (/api/v1), and nothing else. The session is the HttpOnly
// cookie that login sets; requests that change something carry the session's CSRF token, kept in
// memory only. The login reply's bearer token (for the CLI) is never kept.

let csrfToken = null;

/** A failed call: the HTTP status (0 when the Control Center did not answer) and the API's error. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

/** Remembers the CSRF token of the session (from login or GET /api/v1/session). */
export function useSession(session) {
  csrfToken = session?.csrfToken ?? null;
}

/** Calls the API; resolves to the JSON body (null for 204), rejects with an ApiError. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
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
    throw new ApiError(0, 'unreachable', 'the Control Center did not answer');
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const code = data && typeof data.code === 'string' ? data.code : `http_${response.status}`;
    const message = data && typeof data.message === 'string' ? data.message : '';
    throw new ApiError(response.status, code, message, data?.details);
  }
  return data;
}

export const get = (path) => api(path);
export const post = (path, body) => api(path, { method: 'POST', body });
export const put = (path, body) => api(path, { method: 'PUT', body });
export const del = (path) => api(path, { method: 'DELETE' });

/** {@code text} as one path segment. */
export function segment(text) {
  return encodeURIComponent(text).replace(/\./g, '%2E');
}
