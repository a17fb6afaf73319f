#!/usr/bin/env node
/*
 * Drive npm `eloqua` (1.3.5, MadKudu/node-eloqua, axios 0.19.2) against an Eloqua emulator.
 *
 *   EMULATOR_URL=http://127.0.0.1:8080 node clients/drive_node.js
 *
 * Optional env: ELOQUA_SITE (Acme), ELOQUA_USER (jane), ELOQUA_PASSWORD (pw),
 *               NODE_REST1=1 to also call the library's REST 1.0 helper
 *               contacts.fields.getAll() -> GET /api/REST/1.0/assets/contact/fields
 *
 * Login host override is a documented constructor option: `loginUrl` (full URL
 * of the /id endpoint; default 'https://login.eloqua.com/id', dist/client.js:28).
 * Auth is always HTTP Basic `${siteName}\${userName}:${password}` (axios `auth`).
 * The library has no Bulk field-listing helper; its own bulk module issues
 * requests through client._request({method, url:'/api/bulk/2.0/...'}) with
 * axios baseURL = urls.base from /id, so the driver does the same.
 */
'use strict';
const path = require('path');

let Eloqua;
try {
  Eloqua = require('eloqua').default;
} catch (e) {
  Eloqua = require(path.join(__dirname, '.node', 'node_modules', 'eloqua')).default;
}

async function main() {
  const target = process.env.EMULATOR_URL;
  if (!target) {
    console.error('EMULATOR_URL is not set');
    return 2;
  }
  const base = target.replace(/\/+$/, '');
  const client = new Eloqua({
    siteName: process.env.ELOQUA_SITE || 'Acme',
    userName: process.env.ELOQUA_USER || 'jane',
    password: process.env.ELOQUA_PASSWORD || 'pw',
    loginUrl: `${base}/id`,
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
