// The manage page: the signed-in user's links through the REST API (list, search, tag filter,
// sort, pages), edit and delete, and a batch of pasted URLs.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  const PER_PAGE = 20;
  const { el, api, say } = Goto;
  const state = { page: 1, pages: 1, searchTerm: '', tag: '', orderBy: 'dateCreated-DESC' };
  const body = document.getElementById('links-body');
  const status = document.getElementById('list-status');
  const filters = document.getElementById('filters');
  const tagSelect = document.getElementById('tag');
  const prev = document.getElementById('prev');
  const next = document.getElementById('next');
  const pageLabel = document.getElementById('page-label');
  const dialog = document.getElementById('edit-dialog');
  const editForm = document.getElementById('edit-form');
  const editProblem = document.getElementById('edit-problem');
  const tagList = document.getElementById('edit-tag-list');
  const tagInput = document.getElementById('edit-tags');
  const validUntilInput = document.getElementById('edit-valid-until');
  let editing = null;
  // The edited link's tags, one chip each as Shlink's tag selector shows them: the REST API takes
  // any string as a tag, "a,b" included, so they are never joined into one text and split again.
  let editTags = [];
  // The expiry as the dialog first showed it, to the minute.
  let shownUntil = '';

  function failed(error, node) {
    if (!Goto.signedOutBy(error)) {
      say(node, error.message);
    }
  }

  async function loadTags() {
    try {
      const answer = await api('GET', '/tags');
      const chosen = tagSelect.value;
      tagSelect.replaceChildren(el('option', { value: '' }, 'All tags'));
      for (const tag of answer.tags.data) {
        tagSelect.append(el('option', { value: tag }, tag));
      }
      tagSelect.value = answer.tags.data.includes(chosen) ? chosen : '';
    } catch (e) {
      failed(e, status);
    }
  }

  async function load() {
    const query = new URLSearchParams({ page: state.page, itemsPerPage: PER_PAGE, orderBy: state.orderBy });
    if (state.searchTerm) query.set('searchTerm', state.searchTerm);
    if (state.tag) query.append('tags[]', state.tag);
    say(status, 'Loading…');
    try {
      const answer = await api('GET', '/short-urls?' + query);
      const { data, pagination } = answer.shortUrls;
      state.pages = Math.max(1, pagination.pagesCount);
      body.replaceChildren(...data.map(row));
      if (data.length === 0) {
        body.append(el('tr', null, el('td', { colSpan: 6, className: 'empty' },
          state.searchTerm || state.tag ? 'No link matches.' : 'No links yet: shorten one on the Shorten page.')));
      }
      pageLabel.textContent = 'Page ' + pagination.currentPage + ' of ' + state.pages + ' (' + pagination.totalItems
        + (pagination.totalItems === 1 ? ' link)' : ' links)');
      prev.disabled = state.page <= 1;
      next.disabled = state.page >= state.pages;
      say(status, '');
    } catch (e) {
      failed(e, status);
    }
  }

  function row(link) {
    const tags = el('ul', { className: 'tags' }, ...link.tags.map((tag) => el('li', null,
      el('button', { type: 'button', className: 'tag', title: 'Show the links tagged ' + tag,
        onclick: () => { tagSelect.value = tag; state.tag = tag; state.page = 1; load(); } }, tag))));
    const visits = link.visitsSummary ? link.visitsSummary.total : 0;
    return el('tr', { dataset: { shortCode: link.shortCode } },
      el('td', { className: 'code' }, el('a', { href: link.shortUrl, title: link.shortUrl }, link.shortUrl.replace(/^https?:\/\//, '')),
        link.passwordProtected ? el('span', { className: 'badge', title: 'Visitors must type a password' }, 'password') : null),
      el('td', { className: 'long' },
        el('a', { href: link.longUrl, className: 'long-url', title: link.longUrl, rel: 'noreferrer' }, link.longUrl),
        link.title ? el('span', { className: 'link-title' }, link.title) : null),
      el('td', null, tags),
      el('td', { className: 'created' }, el('time', { dateTime: link.dateCreated, title: Goto.formatDate(link.dateCreated) },
        Goto.formatDay(link.dateCreated))),
      el('td', { className: 'num' }, String(visits)),
      el('td', { className: 'actions' },
        el('a', { href: '/stats/' + encodeURIComponent(link.shortCode), className: 'button' }, 'Stats'),
        el('button', { type: 'button', className: 'edit', onclick: () => edit(link),
          'aria-label': 'Edit ' + link.shortCode }, 'Edit'),
        el('button', { type: 'button', className: 'delete danger', onclick: () => remove(link),
          'aria-label': 'Delete ' + link.shortCode }, 'Delete')));
  }

  function showEditTags() {
    tagList.replaceChildren(...editTags.map((tag) => el('li', null, el('span', { className: 'tag' }, tag),
      el('button', { type: 'button', className: 'remove-tag', title: 'Remove the tag ' + tag, 'aria-label': 'Remove the tag ' + tag,
        onclick: () => { editTags = editTags.filter((t) => t !== tag); showEditTags(); tagInput.focus(); } }, '×'))));
  }

  /** What is typed in the tags field becomes chips, one per comma-separated part. */
  function addTypedTags() {
    for (const tag of Goto.tagsOf(tagInput.value)) {
      if (!editTags.includes(tag)) {
        editTags.push(tag);
      }
    }
    tagInput.value = '';
    showEditTags();
  }

  tagInput.addEventListener('keydown', (event) => {
    // A comma or Enter ends a tag; Enter in an empty field saves, as in the other fields.
    if (event.key === ',' || (event.key === 'Enter' && tagInput.value.trim())) {
      event.preventDefault();
      addTypedTags();
    }
  });

  function edit(link) {
    editing = link;
    document.getElementById('edit-code').textContent = link.shortCode;
    document.getElementById('edit-long-url').value = link.longUrl;
    document.getElementById('edit-link-title').value = link.title || '';
    editTags = [...link.tags];
    tagInput.value = '';
    showEditTags();
    validUntilInput.value = Goto.localOf(link.meta && link.meta.validUntil);
    shownUntil = validUntilInput.value;
    document.getElementById('edit-password').value = '';
    document.getElementById('edit-remove-password').checked = false;
    document.getElementById('edit-remove-password').parentElement.hidden = !link.passwordProtected;
    say(editProblem, '');
    dialog.showModal();
  }

  editForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const changes = {
      longUrl: document.getElementById('edit-long-url').value.trim(),
      title: document.getElementById('edit-link-title').value.trim() || null,
    };
    // Tags and expiry go only when the user changed them, so untouched ones stay exactly as stored:
    // the expiry field holds minutes and would cut the seconds off an expiry set through the REST API.
    addTypedTags();
    if (editTags.length !== editing.tags.length || editTags.some((tag) => !editing.tags.includes(tag))) {
      changes.tags = editTags;
    }
    if (validUntilInput.value !== shownUntil) {
      changes.validUntil = Goto.isoOf(validUntilInput.value);
    }
    const password = document.getElementById('edit-password').value;
    if (document.getElementById('edit-remove-password').checked) {
      changes.password = null;
    } else if (password) {
      changes.password = password;
    }
    try {
      await api('PATCH', '/short-urls/' + encodeURIComponent(editing.shortCode), changes);
      dialog.close();
      say(status, 'Saved ' + editing.shortCode + '.');
      await loadTags();
      await load();
    } catch (e) {
      failed(e, editProblem);
    }
  });
  document.getElementById('edit-cancel').addEventListener('click', () => dialog.close());

  async function remove(link) {
    if (!window.confirm('Delete ' + link.shortUrl + '? The short link stops working for everyone who has it.')) {
      return;
    }
    try {
      await api('DELETE', '/short-urls/' + encodeURIComponent(link.shortCode));
      if (body.children.length === 1 && state.page > 1) {
        state.page -= 1;
      }
      await load();
      say(status, 'Deleted ' + link.shortUrl + '.');
    } catch (e) {
      failed(e, status);
    }
  }

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    state.searchTerm = document.getElementById('search').value.trim();
    state.tag = tagSelect.value;
    state.orderBy = document.getElementById('order').value;
    state.page = 1;
    load();
  });
  for (const control of [tagSelect, document.getElementById('order')]) {
    control.addEventListener('change', () => filters.requestSubmit());
  }
  prev.addEventListener('click', () => { if (state.page > 1) { state.page -= 1; load(); } });
  next.addEventListener('click', () => { if (state.page < state.pages) { state.page += 1; load(); } });

  const batchForm = document.getElementById('batch-form');
  const batchStatus = document.getElementById('batch-status');
  const batchResults = document.getElementById('batch-results');
  batchForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const urls = document.getElementById('batch-urls').value.split(/\r?\n/).map((l) => l.trim()).filter((l) => l);
    if (urls.length === 0) {
      say(batchStatus, 'Paste at least one URL, one per line.');
      return;
    }
    if (urls.length > 1000) {
      say(batchStatus, urls.length + ' URLs: a batch holds up to 1,000; split them.');
      return;
    }
    say(batchStatus, 'Shortening ' + urls.length + '…');
    try {
      const answer = await api('POST', '/short-urls/batch', { shortUrls: urls.map((longUrl) => ({ longUrl })) });
      let created = 0;
      batchResults.replaceChildren(...answer.results.map((item, i) => {
        if (item.shortUrl) {
          created += 1;
          return el('li', { className: 'ok' }, el('a', { href: item.shortUrl.shortUrl }, item.shortUrl.shortUrl), ' ← ',
            el('span', { className: 'long-url' }, urls[i]));
        }
        const why = item.error && (item.error.detail || item.error.title) || 'refused (' + item.status + ')';
        return el('li', { className: 'refused' }, el('span', { className: 'long-url' }, urls[i]), ': ' + why);
      }));
      say(batchStatus, created + ' of ' + urls.length + ' shortened.');
      if (created === urls.length) {
        batchForm.reset();
      }
      await load();
    } catch (e) {
      failed(e, batchStatus);
    }
  });

  Goto.whenSignedIn(() => {
    loadTags();
    load();
  });
});
