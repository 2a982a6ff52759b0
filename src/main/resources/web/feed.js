// The live feed: new links and visits as goto sees them, over Server-Sent Events. EventSource
// cannot send the X-Api-Key header, so the page trades the key for a one-time ticket
// (POST /rest/v3/events/tickets, valid 60 s) and opens /rest/v3/events?ticket=...; the key never
// appears in a URL. A dropped stream is reopened with a new ticket, waiting longer each time.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  const { el, api, say } = Goto;
  const KEEP = 200;
  const list = document.getElementById('events');
  const status = document.getElementById('feed-status');
  let source = null;
  let delay = 1000;
  let timer = null;

  function add(kind, time, ...parts) {
    const item = el('li', { className: 'event ' + kind },
      el('time', { dateTime: time || '' }, time ? new Date(time).toLocaleTimeString() : ''),
      el('span', { className: 'kind' }, kind), ...parts);
    list.prepend(item);
    while (list.children.length > KEEP) {
      list.lastElementChild.remove();
    }
  }

  function parse(event) {
    try {
      return JSON.parse(event.data);
    } catch (e) {
      return null;
    }
  }

  function onLink(event) {
    const link = parse(event);
    if (link) {
      add('link', link.dateCreated, el('a', { href: link.shortUrl }, link.shortUrl), ' → ',
        el('span', { className: 'long-url' }, link.longUrl), link.title ? el('span', { className: 'link-title' }, link.title) : null);
    }
  }

  function onVisit(event) {
    const visit = parse(event);
    if (!visit) {
      return;
    }
    const target = visit.shortCode
      ? el('a', { href: '/stats/' + encodeURIComponent(visit.shortCode) }, '/' + visit.shortCode)
      : el('span', null, 'orphan (' + (visit.type || 'unknown') + ')');
    add(visit.potentialBot ? 'bot visit' : 'visit', visit.date, target,
      visit.referer ? el('span', { className: 'detail' }, 'from ' + visit.referer) : null,
      visit.userAgent ? el('span', { className: 'detail agent' }, visit.userAgent) : null);
  }

  function retry() {
    const seconds = Math.round(delay / 1000);
    say(status, 'Disconnected; reconnecting in ' + seconds + (seconds === 1 ? ' second…' : ' seconds…'));
    clearTimeout(timer);
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, 30000);
  }

  async function connect() {
    if (source) {
      source.close();
      source = null;
    }
    say(status, 'Connecting…');
    let ticket;
    try {
      ticket = (await api('POST', '/events/tickets')).ticket;
    } catch (e) {
      if (!Goto.signedOutBy(e)) {
        say(status, 'Could not open the feed: ' + e.message);
        retry();
      }
      return;
    }
    source = new EventSource('/rest/v3/events?ticket=' + encodeURIComponent(ticket));
    source.addEventListener('open', () => {
      delay = 1000;
      say(status, 'Live: waiting for links and visits.');
    });
    source.addEventListener('link', onLink);
    source.addEventListener('visit', onVisit);
    source.addEventListener('error', () => {
      // EventSource would retry with the same ticket, which is spent: reconnect with a new one.
      source.close();
      source = null;
      retry();
    });
  }

  Goto.whenSignedIn(connect);
});
