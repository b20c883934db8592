/**
 * A self-contained API reference page (no external scripts, fonts or styles: it must work
 * offline). It loads `/api/openapi.json`, lists every operation with its parameters, request body
 * and responses, and offers a form to send a request with a token.
 */
export const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Incident Insights API reference</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
  header { background: #1d2330; color: #fff; padding: 12px 24px; display: flex; gap: 16px; align-items: center; }
  header h1 { font-size: 18px; margin: 0; flex: 1; }
  header input { width: 360px; padding: 6px; border-radius: 4px; border: 0; }
  main { max-width: 1100px; margin: 0 auto; padding: 16px 24px; }
  details { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; margin: 8px 0; }
  summary { padding: 8px 12px; cursor: pointer; display: flex; gap: 12px; align-items: baseline; }
  .m { font: 600 12px monospace; text-transform: uppercase; width: 56px; text-align: center; border-radius: 3px; padding: 2px 0; color: #fff; }
  .get { background: #2f7de1; } .post { background: #2e9e5b; } .patch, .put { background: #c98a12; } .delete { background: #c43d3d; }
  .p { font-family: monospace; } .s { color: #5b6472; }
  .body { padding: 4px 16px 16px; border-top: 1px solid #eef0f3; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; } td, th { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
  pre { background: #f1f3f6; padding: 8px; overflow: auto; max-height: 320px; font-size: 12px; }
  textarea { width: 100%; min-height: 90px; font: 12px monospace; } button { padding: 5px 14px; }
  .param { width: 220px; }
</style>
</head>
<body>
<header><h1>Incident Insights API</h1>
<label>Token <input id="token" placeholder="API token (sent as Authorization: Token ...)"></label></header>
<main id="root">Loading the OpenAPI document…</main>
<script>
const root = document.getElementById('root');
const tokenInput = document.getElementById('token');
tokenInput.value = sessionStorage.getItem('insights-token') || '';
tokenInput.addEventListener('change', () => sessionStorage.setItem('insights-token', tokenInput.value));
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return e;
}
function resolve(doc, schema) {
  if (schema && schema.$ref) return resolve(doc, schema.$ref.split('/').slice(1).reduce((o, k) => o[k], doc));
  return schema;
}
function example(doc, schema, depth = 0) {
  schema = resolve(doc, schema) || {};
  if (schema.example !== undefined) return schema.example;
  if (depth > 4) return null;
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object' || schema.properties) {
    const out = {};
    for (const [k, v] of Object.entries(schema.properties || {})) out[k] = example(doc, v, depth + 1);
    return out;
  }
  if (type === 'array') return [example(doc, schema.items, depth + 1)];
  if (type === 'integer' || type === 'number') return 0;
  if (type === 'boolean') return false;
  if (schema.anyOf || schema.oneOf) return example(doc, (schema.anyOf || schema.oneOf)[0], depth + 1);
  return type === 'string' ? (schema.format === 'date-time' ? new Date().toISOString() : 'string') : null;
}
function operation(doc, path, method, op) {
  const params = op.parameters || [];
  const inputs = {};
  const rows = params.map((p) => {
    const input = el('input', { class: 'param', placeholder: p.schema && p.schema.type || '' });
    inputs[p.in + ':' + p.name] = input;
    return el('tr', {}, el('td', {}, el('code', {}, p.name), p.required ? ' *' : ''), el('td', {}, p.in),
      el('td', {}, (p.schema && (p.schema.description || p.description)) || p.description || ''), el('td', {}, input));
  });
  const json = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
  const body = json ? el('textarea', {}, JSON.stringify(example(doc, json.schema), null, 2)) : null;
  const out = el('pre', {}, '');
  const send = el('button', {}, 'Send');
  send.addEventListener('click', async () => {
    let url = path;
    const query = new URLSearchParams();
    for (const p of params) {
      const v = inputs[p.in + ':' + p.name].value;
      if (!v) continue;
      if (p.in === 'path') url = url.replace('{' + p.name + '}', encodeURIComponent(v));
      else if (p.in === 'query') query.set(p.name, v);
    }
    const headers = {};
    if (tokenInput.value) headers.Authorization = 'Token ' + tokenInput.value;
    if (body) headers['Content-Type'] = 'application/json';
    out.textContent = '…';
    const res = await fetch(url + (query.size ? '?' + query : ''), { method: method.toUpperCase(), headers, body: body ? body.value : undefined });
    const text = await res.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
    out.textContent = res.status + ' ' + res.statusText + '\\n\\n' + shown;
  });
  const responses = Object.entries(op.responses || {}).map(([status, r]) => el('tr', {}, el('td', {}, status), el('td', {}, r.description || '')));
  return el('details', {},
    el('summary', {}, el('span', { class: 'm ' + method }, method), el('span', { class: 'p' }, path), el('span', { class: 's' }, op.summary || '')),
    el('div', { class: 'body' },
      op.description ? el('p', {}, op.description) : '',
      rows.length ? el('table', {}, el('tr', {}, el('th', {}, 'parameter'), el('th', {}, 'in'), el('th', {}, 'description'), el('th', {}, 'value')), ...rows) : '',
      json ? el('h4', {}, 'Request body (JSON)') : '', body || '',
      el('h4', {}, 'Responses'), el('table', {}, ...responses),
      el('p', {}, send), out));
}
fetch('/api/openapi.json').then((r) => r.json()).then((doc) => {
  root.textContent = '';
  root.append(el('p', {}, (doc.info && doc.info.description) || ''));
  const groups = {};
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const tag = (op.tags && op.tags[0]) || 'other';
      (groups[tag] ||= []).push(operation(doc, path, method, op));
    }
  }
  for (const [tag, ops] of Object.entries(groups)) root.append(el('h2', {}, tag), ...ops);
}).catch((e) => { root.textContent = 'Could not load /api/openapi.json: ' + e; });
</script>
</body>
</html>
`;
