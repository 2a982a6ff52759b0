// The shorten page. Without JavaScript (or without a key) the form posts to /add and goto answers
// with this page showing the new short link. Signed in, the options (slug, tags, title, expiry,
// password) show and the form goes through the REST API instead.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('shorten-form');
  const more = document.getElementById('more');
  const problem = document.getElementById('problem');
  const result = document.getElementById('result');
  const shortUrl = document.getElementById('short-url');
  const copy = document.getElementById('copy');
  const copyStatus = document.getElementById('copy-status');

  Goto.show(copy, true);
  copy.addEventListener('click', async () => {
    const text = shortUrl.value;
    try {
      await navigator.clipboard.writeText(text);
      Goto.say(copyStatus, 'Copied ' + text);
      return;
    } catch (e) {
      // No clipboard API (a page not served over HTTPS or localhost), or it was refused: select
      // the text and copy it the old way.
    }
    shortUrl.focus();
    shortUrl.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch (e) {
      copied = false;
    }
    Goto.say(copyStatus, copied ? 'Copied ' + text : 'Selected: press Ctrl+C (⌘C) to copy ' + text);
  });

  if (!Goto.key()) {
    return;
  }
  more.hidden = false;
  more.disabled = false;
  const closedNote = document.getElementById('closed-note');
  Goto.show(closedNote, false);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    Goto.say(problem, '');
    const body = { longUrl: form.elements.url.value.trim() };
    const slug = form.elements.customSlug.value.trim();
    const title = form.elements.title.value.trim();
    const tags = Goto.tagsOf(form.elements.tags.value);
    const until = Goto.isoOf(form.elements.validUntil.value);
    const password = form.elements.password.value;
    if (slug) body.customSlug = slug;
    if (title) body.title = title;
    if (tags.length) body.tags = tags;
    if (until) body.validUntil = until;
    if (password) body.password = password;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const link = await Goto.api('POST', '/short-urls', body);
      shortUrl.value = link.shortUrl;
      const anchor = document.getElementById('short-link');
      anchor.href = link.shortUrl;
      anchor.textContent = link.shortUrl;
      document.getElementById('qr').src = '/' + encodeURIComponent(link.shortCode) + '/qr-code?size=200';
      Goto.say(copyStatus, '');
      result.hidden = false;
      form.reset();
      shortUrl.focus();
      shortUrl.select();
    } catch (e) {
      if (!Goto.signedOutBy(e)) {
        result.hidden = true;
        Goto.say(problem, 'Not shortened: ' + e.message);
      }
    } finally {
      button.disabled = false;
    }
  });
});
