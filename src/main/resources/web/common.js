// goto's web app: what every page shares. The API key lives in this tab's sessionStorage only and
// goes to the REST API in the X-Api-Key header; every text from goto or a user is put in the page
// with textContent (never innerHTML), so a title holding markup stays text.
'use strict';

const Goto = (() => {
  const KEY = 'goto.apiKey';

  function key() {
    try {
      return sessionStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }

  function signOut() {
    sessionStorage.removeItem(KEY);
  }

  /** An error the REST API answered, with its problem details (RFC 9457) when it sent them. */
  class ApiError extends Error {
    constructor(status, problem) {
      super(problem && (problem.detail || problem.title) ? (problem.detail || problem.title)
        : 'goto answered HTTP ' + status);
      this.status = status;
      this.problem = problem;
    }
  }

  /** Calls /rest/v3{path} with the key; resolves to the parsed JSON (null when empty), rejects with ApiError. */
  async function api(method, path, body, apiKey) {
    const headers = { 'X-Api-Key': apiKey || key() || '', Accept: 'application/json' };
    const init = { method, headers, credentials: 'omit', cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch('/rest/v3' + path, init);
    } catch (e) {
      throw new ApiError(0, { detail: 'goto could not be reached (' + e.message + '); check the connection and retry' });
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = { detail: text.slice(0, 300) };
      }
    }
    if (!response.ok) {
      throw new ApiError(response.status, data);
    }
    return data;
  }

  /** A new element: el('a', {href: u, className: 'x'}, 'text', child...). Strings become text nodes. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [name, value] of Object.entries(props)) {
        if (value === null || value === undefined || value === false) {
          continue;
        }
        if (name === 'dataset') {
          Object.assign(node.dataset, value);
        } else if (name in node && name !== 'list') {
          node[name] = value;
        } else {
          node.setAttribute(name, value === true ? '' : String(value));
        }
      }
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) {
        continue;
      }
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function show(node, visible) {
    if (node) {
      node.hidden = !visible;
    }
  }

  function say(node, text) {
    if (node) {
      node.textContent = text || '';
      if (node.classList.contains('problem')) {
        node.hidden = !text;
      }
    }
  }

  function formatDate(iso) {
    if (!iso) {
      return '';
    }
    const date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  function formatDay(iso) {
    const date = new Date(iso);
    return !iso || isNaN(date) ? (iso || '') : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
  }

  function tagsOf(text) {
    return text.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  }

  /** A datetime-local value as ISO 8601 with an offset, as the REST API takes it; null when empty. */
  function isoOf(localValue) {
    if (!localValue) {
      return null;
    }
    const date = new Date(localValue);
    return isNaN(date) ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** An ISO date-time as a datetime-local input's value, in the browser's time zone. */
  function localOf(iso) {
    if (!iso) {
      return '';
    }
    const date = new Date(iso);
    if (isNaN(date)) {
      return '';
    }
    const pad = (n) => String(n).padStart(2, '0');
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) + 'T'
      + pad(date.getHours()) + ':' + pad(date.getMinutes());
  }

  function refreshSession() {
    const session = document.getElementById('session');
    show(session, Boolean(key()));
  }

  /**
   * Runs start() once the user is signed in: at once with a key in this tab, or after the sign-in
   * form's key has been checked against the REST API. A key the API refuses later signs out.
   */
  function whenSignedIn(start) {
    const signin = document.getElementById('signin');
    const content = document.getElementById('signed-in');
    const form = document.getElementById('signin-form');
    const problem = document.getElementById('signin-problem');
    const begin = () => {
      show(signin, false);
      show(content, true);
      refreshSession();
      start();
    };
    if (key()) {
      begin();
      return;
    }
    show(signin, true);
    show(content, false);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const input = document.getElementById('api-key');
      const candidate = input.value.trim();
      say(problem, '');
      try {
        await api('GET', '/short-urls?itemsPerPage=1', undefined, candidate);
        sessionStorage.setItem(KEY, candidate);
        input.value = '';
        begin();
      } catch (e) {
        say(problem, 'Sign-in refused: ' + e.message);
        input.focus();
      }
    });
  }

  /** After a 401 the key is no longer good (disabled, expired): back to the sign-in form. */
  function signedOutBy(error) {
    if (error && error.status === 401) {
      signOut();
      window.location.reload();
      return true;
    }
    return false;
  }

  document.addEventListener('DOMContentLoaded', () => {
    refreshSession();
    const button = document.getElementById('sign-out');
    if (button) {
      button.addEventListener('click', () => {
        signOut();
        window.location.assign('/manage');
      });
    }
  });

  return { key, api, el, show, say, formatDate, formatDay, tagsOf, isoOf, localOf, whenSignedIn, signedOutBy, ApiError };
})();
