#!/usr/bin/env node
/*
 * Drive npm `eloqua` (1.3.5, MadKudu/node-eloqua, axios 0.19.2) against the emulator, through
 * the emulator's proxy:
 *
 *   python -m emulator --proxy-port 8081 --ca-dir ca &
 *   https_proxy=http://127.0.0.1:8081 NODE_EXTRA_CA_CERTS=ca/ca.pem node clients/drive_node.js
 *
 * Optional env: ELOQUA_SITE (Acme), ELOQUA_USER (jane), ELOQUA_PASSWORD (pw),
 *               NODE_REST1=1 to also call the library's REST 1.0 helper
 *               contacts.fields.getAll() -> GET /api/REST/1.0/assets/contact/fields
 *
 * The client is built with its defaults: loginUrl 'https://login.eloqua.com/id'
 * (dist/client.js:28). axios 0.19.2 reads https_proxy/HTTPS_PROXY itself and, for an
 * https URL through an http:// proxy, sends the request to the proxy in absolute form
 * (`GET https://login.eloqua.com/id`, plain text, no CONNECT); the proxy answers it as
 * login.eloqua.com over https, so the base URL /id returns (https://login.eloqua.com)
 * keeps every later call on the proxy. NODE_EXTRA_CA_CERTS makes Node trust the proxy's
 * CA should a request tunnel instead.
 * Auth is always HTTP Basic `${siteName}\${userName}:${password}` (axios `auth`).
 * The library has no Bulk field-listing helper; its own bulk module issues
 * requests through client._request({method, url:'/api/bulk/2.0/...'}) with
 * axios baseURL = urls.base from /id, so the driver does the same.
 *
 * Then a contact export through the library's bulk methods (dist/bulk.js): client.bulk
 * .createExport('contacts', name, fields, filter) -> POST /api/bulk/2.0/contacts/exports
 * {fields, filter, name, areSystemTimestampsInUTC: true}; .createSync(uri) -> POST /syncs;
 * .pollSync(syncUri) -> GET /syncs/{id}, sleeping 10 s while pending/active (these three are
 * what bulk.completeExport() chains); .getSyncData(syncUri, limit, offset) -> GET
 * /syncs/{id}/data?limit=&offset=.  The driver pages with limit 50 and checks each
 * envelope, then reads the same sync through the library's BulkStream (dist/stream.js, what
 * bulk.getExportStream() returns), which stops on hasMore=false.  The ELQ-00102 count comes
 * from GET /syncs/{id}/logs (no library helper, so client._request as above).
 *
 * The only patch: pollSync's 10 s setTimeout is shortened (global setTimeout wrapper, 10000
 * ms -> NODE_POLL_MS, default 50) so the default polls:1 progression takes 3 polls in well
 * under a second; NODE_REAL_SLEEP=1 keeps the library's 10 s.
 */
'use strict';
const path = require('path');

let Eloqua;
let BulkStream;
try {
  Eloqua = require('eloqua').default;
  BulkStream = require('eloqua/dist/stream').default;
} catch (e) {
  const dir = path.join(__dirname, '.node', 'node_modules', 'eloqua');
  Eloqua = require(dir).default;
  BulkStream = require(path.join(dir, 'dist', 'stream')).default;
}

if (process.env.NODE_REAL_SLEEP !== '1') {
  const pollMs = Number(process.env.NODE_POLL_MS || 50);
  const realSetTimeout = global.setTimeout;
  global.setTimeout = (fn, ms, ...args) => realSetTimeout(fn, ms === 10000 ? pollMs : ms, ...args);
}

const PAGE = 50;

function check(condition, message) {
  if (!condition) throw new Error(`FAIL: ${message}`);
}

async function exportContacts(client, fieldItems) {
  const wanted = ['C_EmailAddress', 'C_FirstName', 'C_LastName', 'C_Country'];
  const fields = { Id: '{{Contact.Id}}', UpdatedAt: '{{Contact.UpdatedAt}}' };
  for (const f of fieldItems) {
    if (wanted.includes(f.internalName)) fields[f.internalName] = f.statement;
  }
  check(Object.keys(fields).length === 2 + wanted.length, 'missing standard contact fields');
  const def = await client.bulk.createExport('contacts', `node-eloqua export ${Date.now()}`, fields,
    "'{{Contact.CreatedAt}}' >= '2000-01-01 00:00:00'");
  console.log(`export definition ${def.uri}: ${JSON.stringify(def.fields)} filter=${def.filter}`);
  const sync = await client.bulk.createSync(def.uri);
  console.log(`sync ${sync.uri}: ${sync.status}`);
  const calls = client.apiCalls;
  const done = await client.bulk.pollSync(sync.uri);
  console.log(`pollSync: ${done.status} after ${client.apiCalls - calls} polls`);
  check(done.status === 'success', `export sync ended ${done.status}`);
  const logs = await client._request({ method: 'GET', url: `/api/bulk/2.0${sync.uri}/logs` });
  const exported = (logs.items || []).find((i) => i.statusCode === 'ELQ-00102');
  check(exported, `no ELQ-00102 in ${JSON.stringify(logs)}`);
  console.log(`ELQ-00102: ${exported.message} count=${exported.count}`);
  return { syncUri: sync.uri, expected: exported.count, fields: Object.keys(fields) };
}

async function pageSyncData(client, syncUri, expected, fields) {
  const ids = new Set();
  let offset = 0;
  let pages = 0;
  for (;;) {
    const page = await client.bulk.getSyncData(syncUri, PAGE, offset);
    const items = page.items || [];
    pages += 1;
    check(page.count === items.length, `page at ${offset}: count ${page.count} != ${items.length} items`);
    check(page.limit === PAGE && page.offset === offset, `page at ${offset}: limit/offset ${page.limit}/${page.offset}`);
    check(page.totalResults === expected, `page at ${offset}: totalResults ${page.totalResults} != ${expected}`);
    const last = offset + items.length >= expected;
    check(page.hasMore === !last, `page at ${offset}: hasMore ${page.hasMore} with ${items.length} items of ${expected}`);
    check(last || items.length === PAGE, `page at ${offset}: short page (${items.length}) before the end`);
    for (const item of items) {
      check(JSON.stringify(Object.keys(item)) === JSON.stringify(fields), `item keys ${Object.keys(item)}`);
      check(Object.values(item).every((v) => typeof v === 'string'), `non-string value in ${JSON.stringify(item)}`);
      ids.add(item.Id);
    }
    if (!page.hasMore) break;
    offset += PAGE;
  }
  return { rows: ids.size, pages };
}

async function streamSyncData(client, syncUri) {
  const stream = new BulkStream(client, syncUri);
  stream.limit = PAGE; // default 10000; set before the first read
  let rows = 0;
  for await (const item of stream) { // eslint-disable-line no-unused-vars
    rows += 1;
  }
  return rows;
}

async function main() {
  if (!process.env.https_proxy && !process.env.HTTPS_PROXY) {
    console.error('https_proxy is not set: point it at the emulator\'s --proxy-port');
    return 2;
  }
  const client = new Eloqua({
    siteName: process.env.ELOQUA_SITE || 'Acme',
    userName: process.env.ELOQUA_USER || 'jane',
    password: process.env.ELOQUA_PASSWORD || 'pw',
  });

  // login / discovery: GET loginUrl with Basic auth, reads data.urls.base
  await client._init();
  console.log('baseUrl from /id:', client.baseUrl);

  // Bulk API 2.0 contact fields (same call style as dist/bulk.js)
  const res = await client._request({ method: 'GET', url: '/api/bulk/2.0/contacts/fields', params: { limit: 1000, offset: 0 } });
  const items = (res && res.items) || [];
  console.log(`bulk contacts/fields: ${items.length} items (totalResults=${res.totalResults}, hasMore=${res.hasMore})`);
  for (const f of items) {
    console.log(`  ${String(f.internalName).padEnd(28)} ${String(f.name).padEnd(24)} ${f.statement}`);
  }
  if (!items.length) {
    console.error('FAIL: emulator returned no contact fields');
    return 1;
  }

  const { syncUri, expected, fields } = await exportContacts(client, items);
  const paged = await pageSyncData(client, syncUri, expected, fields);
  console.log(`getSyncData(limit ${PAGE}): ${paged.rows} distinct rows in ${paged.pages} pages`);
  check(paged.rows === expected, `paged ${paged.rows} rows, ELQ-00102 says ${expected}`);
  check(expected >= 300, `only ${expected} contacts exported, fewer than the 300 fixtures`);
  check(paged.pages === Math.ceil(expected / PAGE), `${paged.pages} pages for ${expected} rows`);
  const streamed = await streamSyncData(client, syncUri);
  console.log(`BulkStream (limit ${PAGE}): ${streamed} rows`);
  check(streamed === expected, `BulkStream read ${streamed} rows, expected ${expected}`);

  if (process.env.NODE_REST1 === '1') {
    const r1 = await client.contacts.fields.getAll({ depth: 'minimal' });
    console.log('REST 1.0 contacts.fields.getAll():', JSON.stringify(r1).slice(0, 300));
  }
  console.log(`apiCalls=${client.apiCalls}`);
  console.log('OK');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('FAILED:', err && err.message, err && err.status !== undefined ? `status=${err.status}` : '',
      err && err.data !== undefined ? `data=${JSON.stringify(err.data)}` : '');
    if (err && err.stack) console.error(err.stack);
    process.exit(1);
  },
);
