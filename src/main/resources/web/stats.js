// A link's stats page: its visits per day as an SVG bar chart drawn here (no chart library, no
// CDN), its top referrer hosts, browsers and operating systems, and the share of bots, from
// GET /rest/v3/short-urls/{shortCode}/visits/aggregate.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  const { el, api, say } = Goto;
  const SVG = 'http://www.w3.org/2000/svg';
  const content = document.getElementById('signed-in');
  const code = content.dataset.shortCode;
  const status = document.getElementById('stats-status');
  const range = document.getElementById('range');

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      node.setAttribute(name, String(value));
    }
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function day(date) {
    return date.toISOString().slice(0, 10);
  }

  /** Every day from the first asked (or visited) to today, with zeros where nobody came. */
  function days(perDay, sinceDays) {
    const byDate = new Map(perDay.map((d) => [d.date, d]));
    const today = new Date();
    let start;
    if (sinceDays) {
      start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - sinceDays + 1));
    } else if (perDay.length) {
      start = new Date(perDay[0].date + 'T00:00:00Z');
    } else {
      start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    }
    const all = [];
    for (let d = start; day(d) <= day(today) && all.length < 3660; d = new Date(d.getTime() + 86400000)) {
      all.push(byDate.get(day(d)) || { date: day(d), total: 0, nonBots: 0, bots: 0 });
    }
    return all;
  }

  function chart(perDay) {
    // Drawn at the size it is shown, so its text is the page's size on a phone and a wide screen alike.
    const width = Math.max(280, Math.round(document.getElementById('chart').clientWidth || 640));
    const height = 220;
    const left = 36;
    const bottom = 24;
    const top = 10;
    const max = Math.max(1, ...perDay.map((d) => d.total));
    const plotHeight = height - bottom - top;
    const step = (width - left) / Math.max(1, perDay.length);
    const barWidth = Math.max(1, step * 0.8);
    const total = perDay.reduce((sum, d) => sum + d.total, 0);
    const root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', class: 'bars',
      'aria-label': total + ' visits from ' + (perDay[0] ? perDay[0].date : '') + ' to '
        + (perDay.length ? perDay[perDay.length - 1].date : '') + ', at most ' + max + ' a day' });
    root.append(svg('line', { x1: left, y1: top + plotHeight, x2: width, y2: top + plotHeight, class: 'axis' }));
    root.append(svg('text', { x: left - 4, y: top + 8, class: 'label end' }, String(max)));
    root.append(svg('text', { x: left - 4, y: top + plotHeight, class: 'label end' }, '0'));
    perDay.forEach((d, i) => {
      const x = left + i * step + (step - barWidth) / 2;
      const humans = d.nonBots / max * plotHeight;
      const bots = d.bots / max * plotHeight;
      const group = svg('g', { class: 'day' }, svg('title', null, d.date + ': ' + d.total + ' visits, ' + d.bots + ' by bots'));
      if (humans > 0) {
        group.append(svg('rect', { x, y: top + plotHeight - humans, width: barWidth, height: humans, class: 'humans' }));
      }
      if (bots > 0) {
        group.append(svg('rect', { x, y: top + plotHeight - humans - bots, width: barWidth, height: bots, class: 'bots' }));
      }
      root.append(group);
    });
    const labels = perDay.length > 1 ? [0, Math.floor((perDay.length - 1) / 2), perDay.length - 1] : [0];
    for (const i of new Set(labels)) {
      if (perDay[i]) {
        const anchor = i === 0 ? 'start' : i === perDay.length - 1 ? 'end' : 'middle';
        root.append(svg('text', { x: i === perDay.length - 1 ? width : left + i * step, y: height - 6,
          class: 'label ' + anchor }, perDay[i].date));
      }
    }
    const legend = el('p', { className: 'legend' }, el('span', { className: 'key humans' }), ' people ',
      el('span', { className: 'key bots' }), ' bots');
    document.getElementById('chart').replaceChildren(root, legend);
  }

  function counts(id, items, total, none) {
    const rows = items.slice(0, 10).map((item) => el('tr', null,
      el('th', { scope: 'row' }, item.name || none),
      el('td', { className: 'num' }, String(item.count)),
      el('td', { className: 'bar' }, el('meter', { min: 0, max: Math.max(1, total), value: item.count,
        'aria-label': (item.name || none) + ': ' + item.count + ' of ' + total }))));
    if (rows.length === 0) {
      rows.push(el('tr', null, el('td', { colSpan: 3, className: 'empty' }, 'None yet.')));
    }
    document.querySelector('#' + id + ' tbody').replaceChildren(...rows);
  }

  async function load() {
    const sinceDays = range.value === 'all' ? 0 : Number(range.value);
    const query = new URLSearchParams();
    if (sinceDays) {
      const start = new Date(Date.now() - (sinceDays - 1) * 86400000);
      query.set('startDate', day(start));
    }
    say(status, 'Loading…');
    try {
      const link = await api('GET', '/short-urls/' + encodeURIComponent(code));
      const line = document.getElementById('stats-long-url');
      // replaceChildren, unlike el(), turns a null into the text "null": a link without a title
      // gets the URL alone.
      line.replaceChildren(el('a', { href: link.longUrl, rel: 'noreferrer', className: 'long-url', title: link.longUrl },
        link.longUrl));
      if (link.title) {
        line.prepend(el('span', { className: 'link-title' }, link.title));
      }
      const answer = await api('GET', '/short-urls/' + encodeURIComponent(code) + '/visits/aggregate?' + query);
      const aggregate = answer.aggregate;
      const summary = aggregate.visitsSummary;
      document.getElementById('summary').textContent = summary.total + (summary.total === 1 ? ' visit' : ' visits')
        + (sinceDays ? ' in the last ' + sinceDays + ' days' : ' in all');
      const share = summary.total ? summary.bots / summary.total : 0;
      document.getElementById('bots-line').textContent = 'Bots: ' + summary.bots + ' of ' + summary.total
        + ' (' + Math.round(share * 100) + '%)';
      document.getElementById('bots-meter').value = share;
      chart(days(aggregate.perDay, sinceDays));
      // A visit without a referer came straight from a bookmark, a typed address, an app or a mail.
      counts('referrers', aggregate.referrerHosts, summary.total, 'Direct');
      counts('browsers', aggregate.browsers, summary.total, 'Unknown');
      counts('operating-systems', aggregate.operatingSystems, summary.total, 'Unknown');
      say(status, '');
    } catch (e) {
      if (!Goto.signedOutBy(e)) {
        say(status, e.status === 404 && e.problem && e.problem.type && String(e.problem.type).includes('short-url-not-found')
          ? 'No link has the short code ' + code + '.' : 'Could not load the stats: ' + e.message);
      }
    }
  }

  range.addEventListener('change', load);
  document.getElementById('range-form').addEventListener('submit', (event) => { event.preventDefault(); load(); });
  Goto.whenSignedIn(load);
});
