// Drives a running goto through Shlink's own JS SDK (@shlinkio/shlink-js-sdk, pinned in
// package.json), as a Shlink client would: goto's ShlinkSdkTest installs the SDK with npm ci into
// a cache under target/ and runs this script there with:
//
//   GOTO_URL=http://127.0.0.1:PORT GOTO_API_KEY=... GOTO_SHORT_URL_BASE=http://goto.test node sdk-drive.mjs
//
// It prints one line per step and exits non-zero at the first answer that is not what Shlink would
// give (the test shows this output when it fails).

import assert from 'node:assert/strict';
import { ShlinkApiClient } from '@shlinkio/shlink-js-sdk';
import { ErrorType } from '@shlinkio/shlink-js-sdk/api-contract';
import { FetchHttpClient } from '@shlinkio/shlink-js-sdk/fetch';

const baseUrl = process.env.GOTO_URL;
const apiKey = process.env.GOTO_API_KEY;
const shortUrlBase = process.env.GOTO_SHORT_URL_BASE;
const client = new ShlinkApiClient(new FetchHttpClient(), { baseUrl, apiKey });

const step = async (name, run) => {
  try {
    await run();
    console.log(`ok   ${name}`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e instanceof Error ? e.stack : JSON.stringify(e)}`);
    process.exit(1);
  }
};

/** Calls run, which must throw Shlink's problem details of the given type; returns it. */
const expectProblem = async (type, status, run) => {
  let problem;
  try {
    await run();
  } catch (e) {
    problem = e;
  }
  assert.ok(problem, `expected a ${type} error, got success`);
  assert.equal(problem.type, type, JSON.stringify(problem));
  assert.equal(problem.status, status);
  assert.equal(typeof problem.title, 'string');
  assert.equal(typeof problem.detail, 'string');
  return problem;
};

const isoWithOffset = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

await step('health', async () => {
  const health = await client.health();
  assert.equal(health.status, 'pass');
  assert.equal(typeof health.version, 'string');
});

let created;
await step('create with slug, tags, title and validity', async () => {
  created = await client.createShortUrl({
    longUrl: 'https://example.com/sdk?from=node',
    customSlug: 'sdk-made',
    tags: ['Node', 'sdk'],
    title: 'Made by the SDK',
    validSince: '2020-01-01T00:00:00+00:00',
    validUntil: '2999-12-31T23:59:59+00:00',
    maxVisits: 100,
    crawlable: true,
    forwardQuery: true,
  });
  assert.equal(created.shortCode, 'sdk-made');
  assert.equal(created.shortUrl, `${shortUrlBase}/sdk-made`);
  assert.equal(created.longUrl, 'https://example.com/sdk?from=node');
  assert.match(created.dateCreated, isoWithOffset);
  assert.deepEqual(created.tags, ['node', 'sdk']);
  assert.deepEqual(created.meta, { validSince: '2020-01-01T00:00:00+00:00', validUntil: '2999-12-31T23:59:59+00:00', maxVisits: 100 });
  assert.deepEqual(created.visitsSummary, { total: 0, nonBots: 0, bots: 0 });
  assert.equal(created.domain, null);
  assert.equal(created.title, 'Made by the SDK');
  assert.equal(created.crawlable, true);
  assert.equal(created.forwardQuery, true);
  assert.equal(created.hasRedirectRules, false);
});

await step('create more, one with a generated code', async () => {
  for (let i = 0; i < 12; i++) {
    await client.createShortUrl({ longUrl: `https://example.com/page/${i}`, tags: i % 3 === 0 ? ['third'] : undefined });
  }
  const generated = await client.createShortUrl({ longUrl: 'https://example.com/generated', shortCodeLength: 8 });
  assert.equal(generated.shortCode.length, 8);
});

await step('list: paging, newest first', async () => {
  const first = await client.listShortUrls({ itemsPerPage: 5 });
  assert.equal(first.data.length, 5);
  assert.equal(first.pagination.currentPage, 1);
  assert.equal(first.pagination.totalItems, 14);
  assert.equal(first.pagination.pagesCount, 3);
  assert.equal(first.data[0].longUrl, 'https://example.com/generated');
  const last = await client.listShortUrls({ itemsPerPage: 5, page: '3' });
  assert.equal(last.data.length, 4);
  assert.equal(last.data[3].shortCode, 'sdk-made');
});

await step('list: search, tags, orderBy', async () => {
  const searched = await client.listShortUrls({ searchTerm: 'MADE BY' });
  assert.deepEqual(searched.data.map((s) => s.shortCode), ['sdk-made']);
  const tagged = await client.listShortUrls({ tags: ['third', 'node'], tagsMode: 'any', itemsPerPage: -1 });
  assert.equal(tagged.pagination.totalItems, 5);
  const both = await client.listShortUrls({ tags: ['node', 'sdk'], tagsMode: 'all' });
  assert.deepEqual(both.data.map((s) => s.shortCode), ['sdk-made']);
  const excluded = await client.listShortUrls({ excludeTags: ['third'], itemsPerPage: -1 });
  assert.equal(excluded.pagination.totalItems, 10);
  const byUrl = await client.listShortUrls({ orderBy: { field: 'longUrl', dir: 'ASC' }, itemsPerPage: 1 });
  assert.equal(byUrl.data[0].longUrl, 'https://example.com/generated');
  const oldest = await client.listShortUrls({ orderBy: { field: 'dateCreated', dir: 'ASC' }, itemsPerPage: 1 });
  assert.equal(oldest.data[0].shortCode, 'sdk-made');
});

await step('get', async () => {
  const got = await client.getShortUrl({ shortCode: 'sdk-made' });
  assert.deepEqual(got, created);
});

await step('edit', async () => {
  const edited = await client.updateShortUrl({ shortCode: 'sdk-made' }, {
    longUrl: 'https://example.org/edited', title: null, tags: ['edited'], validUntil: null, maxVisits: null,
  });
  assert.equal(edited.longUrl, 'https://example.org/edited');
  assert.equal(edited.title, null);
  assert.deepEqual(edited.tags, ['edited']);
  assert.deepEqual(edited.meta, { validSince: '2020-01-01T00:00:00+00:00', validUntil: null, maxVisits: null });
});

await step('errors: non-unique slug, not found, invalid data, parsed by the SDK', async () => {
  const slug = await expectProblem(ErrorType.INVALID_SLUG, 400,
    () => client.createShortUrl({ longUrl: 'https://example.com/again', customSlug: 'sdk-made' }));
  assert.equal(slug.customSlug, 'sdk-made');
  const missing = await expectProblem(ErrorType.INVALID_SHORTCODE, 404, () => client.getShortUrl({ shortCode: 'no-such-code' }));
  assert.equal(missing.shortCode, 'no-such-code');
  const invalid = await expectProblem(ErrorType.INVALID_ARGUMENT, 400, () => client.createShortUrl({ longUrl: 'not a url' }));
  assert.deepEqual(invalid.invalidElements, ['longUrl']);
  const badKey = new ShlinkApiClient(new FetchHttpClient(), { baseUrl, apiKey: 'not-a-key' });
  await expectProblem(ErrorType.INVALID_API_KEY, 401, () => badKey.listShortUrls());
});

await step('tags: list, stats, rename, delete', async () => {
  const tags = await client.listTags();
  assert.deepEqual(tags.data, ['edited', 'third']);
  const stats = await client.tagsStats();
  assert.deepEqual(stats.data.find((t) => t.tag === 'third'),
    { tag: 'third', shortUrlsCount: 4, visitsSummary: { total: 0, nonBots: 0, bots: 0 } });
  assert.deepEqual(await client.editTag({ oldName: 'third', newName: 'every-third' }), { oldName: 'third', newName: 'every-third' });
  assert.deepEqual((await client.listTags()).data, ['edited', 'every-third']);
  await expectProblem(ErrorType.TAG_NOT_FOUND, 404, () => client.editTag({ oldName: 'third', newName: 'x' }));
  await client.deleteTags(['edited']);
  assert.deepEqual((await client.listTags()).data, ['every-third']);
});

await step('domains and visits', async () => {
  const domains = await client.listDomains();
  assert.equal(domains.data.length, 1);
  assert.equal(domains.data[0].isDefault, true);
  const visits = await client.getShortUrlVisits({ shortCode: 'sdk-made' });
  assert.deepEqual(visits.data, []);
  assert.equal(visits.pagination.totalItems, 0);
  const overview = await client.getVisitsOverview();
  assert.deepEqual(overview.nonOrphanVisits, { total: 0, nonBots: 0, bots: 0 });
});

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const hit = async (path, userAgent, referer) => {
  const headers = { 'user-agent': userAgent };
  if (referer) {
    headers.referer = referer;
  }
  return (await fetch(`${baseUrl}${path}`, { redirect: 'manual', headers })).status;
};

await step('visits after real redirects, read through the SDK', async () => {
  assert.equal(await hit('/sdk-made', FIREFOX, 'https://news.example/a'), 302);
  assert.equal(await hit('/sdk-made', FIREFOX), 302);
  assert.equal(await hit('/sdk-made', GOOGLEBOT), 302);
  assert.equal(await hit('/no-such-code', FIREFOX), 404);
  // Visits are recorded off the redirect path (and the user-agent rules load at the first one, which took
  // 48 to 64 s on a busy two-core machine): wait for them.
  const deadline = Date.now() + 180_000;
  let overview = await client.getVisitsOverview();
  while (overview.nonOrphanVisits.total < 3 || overview.orphanVisits.total < 1) {
    assert.ok(Date.now() < deadline, `visits not recorded in time: ${JSON.stringify(overview)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    overview = await client.getVisitsOverview();
  }
  assert.deepEqual(overview.nonOrphanVisits, { total: 3, nonBots: 2, bots: 1 });
  assert.deepEqual(overview.orphanVisits, { total: 1, nonBots: 1, bots: 0 });

  const visits = await client.getShortUrlVisits({ shortCode: 'sdk-made' });
  assert.equal(visits.pagination.totalItems, 3);
  assert.deepEqual(visits.data.map((v) => v.potentialBot), [true, false, false]);
  assert.equal(visits.data[2].referer, 'https://news.example/a');
  assert.equal(visits.data[2].userAgent, FIREFOX);
  assert.equal(visits.data[2].visitLocation, null);
  assert.equal(visits.data[2].visitedUrl, `${shortUrlBase}/sdk-made`);
  assert.match(visits.data[2].date, isoWithOffset);
  const humans = await client.getShortUrlVisits({ shortCode: 'sdk-made' }, { excludeBots: true, page: 1, itemsPerPage: 1 });
  assert.equal(humans.data.length, 1);
  assert.equal(humans.pagination.totalItems, 2);
  assert.equal(humans.pagination.pagesCount, 2);
  const orphans = await client.getOrphanVisits({ type: 'invalid_short_url' });
  assert.equal(orphans.data.length, 1);
  assert.equal(orphans.data[0].type, 'invalid_short_url');
  assert.equal(orphans.data[0].visitedUrl, `${shortUrlBase}/no-such-code`);
  assert.equal((await client.getNonOrphanVisits()).pagination.totalItems, 3);
  assert.deepEqual((await client.getShortUrl({ shortCode: 'sdk-made' })).visitsSummary, { total: 3, nonBots: 2, bots: 1 });

  assert.deepEqual(await client.deleteShortUrlVisits({ shortCode: 'sdk-made' }), { deletedVisits: 3 });
  assert.deepEqual((await client.getShortUrl({ shortCode: 'sdk-made' })).visitsSummary, { total: 0, nonBots: 0, bots: 0 });
  assert.deepEqual(await client.deleteOrphanVisits(), { deletedVisits: 1 });
  assert.deepEqual((await client.getVisitsOverview()).orphanVisits, { total: 0, nonBots: 0, bots: 0 });
});

await step('a tag beyond ASCII in a path: the fetch client percent-encodes it, goto decodes it', async () => {
  const tagged = await client.updateShortUrl({ shortCode: 'sdk-made' }, { tags: ['café'] });
  assert.deepEqual(tagged.tags, ['café']);
  assert.equal(await hit('/sdk-made', FIREFOX), 302);
  const deadline = Date.now() + 180_000;
  let visits = await client.getTagVisits('café');
  while (visits.pagination.totalItems < 1) {
    assert.ok(Date.now() < deadline, `the visit was not recorded in time: ${JSON.stringify(visits)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    visits = await client.getTagVisits('café');
  }
  assert.equal(visits.data[0].visitedUrl, `${shortUrlBase}/sdk-made`);
  const missing = await expectProblem(ErrorType.TAG_NOT_FOUND, 404, () => client.getTagVisits('thé'));
  assert.equal(missing.tag, 'thé');
});

await step('a short code asked for in another domain is not found there, and not deleted', async () => {
  const elsewhere = { shortCode: 'sdk-made', domain: 'other.example' };
  const problem = await expectProblem(ErrorType.INVALID_SHORTCODE, 404, () => client.getShortUrl(elsewhere));
  assert.equal(problem.domain, 'other.example');
  assert.equal(problem.detail, 'No URL found with short code "sdk-made" for domain "other.example"');
  await expectProblem(ErrorType.INVALID_SHORTCODE, 404, () => client.deleteShortUrl(elsewhere));
  await expectProblem(ErrorType.INVALID_SHORTCODE, 404, () => client.updateShortUrl(elsewhere, { title: 'not here' }));
  await expectProblem(ErrorType.INVALID_SHORTCODE, 404, () => client.getShortUrlVisits(elsewhere));
  const own = await client.getShortUrl({ shortCode: 'sdk-made', domain: new URL(shortUrlBase).host });
  assert.equal(own.shortCode, 'sdk-made');
  assert.equal(own.title, null);
});

await step('lists filtered by another domain are empty, by goto\'s own or DEFAULT full', async () => {
  const other = { domain: 'other.example' };
  assert.equal((await client.listShortUrls(other)).pagination.totalItems, 0);
  assert.equal((await client.listShortUrls({ domain: 'DEFAULT' })).pagination.totalItems, 14);
  assert.equal((await client.getTagVisits('café', other)).pagination.totalItems, 0);
  assert.equal((await client.getTagVisits('café', { domain: 'DEFAULT' })).pagination.totalItems, 1);
  assert.equal((await client.getNonOrphanVisits(other)).pagination.totalItems, 0);
  assert.equal((await client.getNonOrphanVisits({ domain: new URL(shortUrlBase).host })).pagination.totalItems, 1);
});

await step('mercure-info: not configured, as a Shlink without a Mercure hub answers', async () => {
  const problem = await expectProblem(ErrorType.MERCURE_NOT_CONFIGURED, 501, () => client.mercureInfo());
  assert.equal(problem.title, 'Mercure integration not configured');
});

await step('redirect rules: set, read back, followed by the redirect, refused as Shlink refuses', async () => {
  const id = { shortCode: 'sdk-made' };
  const android = { type: 'device', matchKey: null, matchValue: 'android' };
  const set = await client.setShortUrlRedirectRules(id, {
    redirectRules: [{ longUrl: 'https://example.com/android', conditions: [android] }],
  });
  assert.deepEqual(set, {
    defaultLongUrl: 'https://example.org/edited',
    redirectRules: [{ longUrl: 'https://example.com/android', priority: 1, conditions: [android] }],
  });
  assert.deepEqual(await client.getShortUrlRedirectRules(id), set);
  assert.equal((await client.getShortUrl(id)).hasRedirectRules, true);
  const redirect = await fetch(`${baseUrl}/sdk-made`, {
    redirect: 'manual', headers: { 'User-Agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile' },
  });
  assert.equal(redirect.headers.get('location'), 'https://example.com/android');
  const invalid = await expectProblem(ErrorType.INVALID_ARGUMENT, 400, () => client.setShortUrlRedirectRules(id, {
    redirectRules: [{ longUrl: 'https://example.com/x', conditions: [{ type: 'device', matchKey: null, matchValue: 'toaster' }] }],
  }));
  assert.deepEqual(invalid.invalidElements, ['redirectRules']);
  await expectProblem(ErrorType.INVALID_SHORTCODE, 404,
    () => client.setShortUrlRedirectRules({ shortCode: 'no-such-code' }, { redirectRules: [] }));
  assert.deepEqual((await client.getShortUrlRedirectRules(id)).redirectRules, set.redirectRules);
});

await step('delete', async () => {
  await client.deleteShortUrl({ shortCode: 'sdk-made' });
  await expectProblem(ErrorType.INVALID_SHORTCODE, 404, () => client.getShortUrl({ shortCode: 'sdk-made' }));
  await expectProblem(ErrorType.INVALID_SHORTCODE, 404, () => client.deleteShortUrl({ shortCode: 'sdk-made' }));
  assert.equal((await client.listShortUrls()).pagination.totalItems, 13);
});

console.log('all steps passed');
