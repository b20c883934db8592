const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The page `GET /` shows a person who opens the server in a browser when the web page is not built
 * (see `web-app.ts`): what it is, where the API reference and the OpenAPI document are, and how to
 * sign in (API token or session login). With `webPageMissing`, it begins with the command that
 * builds the web page. Plain HTML with no external assets; served without authentication.
 */
export function homePage(origin: string, options: { webPageMissing?: boolean } = {}): string {
  const base = escapeHtml(origin);
  const missing = options.webPageMissing
    ? `<p class="notice" role="status"><strong>The web page is not built.</strong> Build it with <code>npm run build -w packages/web</code> (or <code>npm ci</code>, which builds it), then reload this page. The API below works without it.</p>\n`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Incident Insights</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 760px; margin: 40px auto; padding: 0 20px; color: #1d2330; }
  code, pre { font: 14px ui-monospace, monospace; background: #f1f3f6; border-radius: 4px; }
  code { padding: 1px 4px; } pre { padding: 10px 12px; overflow: auto; }
  h1 { margin-bottom: 4px; } .lead { color: #5b6472; margin-top: 0; }
  .notice { border-left: 4px solid #9a5b00; background: #fff6e5; padding: 8px 12px; }
</style>
</head>
<body>
<h1>Incident Insights</h1>
<p class="lead">Analytics and predictive insights for incident management: KPIs (MTTA, MTTR, MTBF, availability, ...), recurring incidents and anomalies, over HTTP.</p>
${missing}<h2>Explore the API</h2>
<ul>
  <li><a href="/api/docs/">API reference</a>: every operation, with a form to try it with your token.</li>
  <li><a href="/api/openapi.json">OpenAPI document</a> (<code>/api/openapi.json</code>), for client generators.</li>
  <li><code>/api/analytics/</code> lists the analytics resources; <code>/api/incidents/</code> holds the incidents they read.</li>
  <li><a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a> answer without signing in.</li>
</ul>
<h2>Sign in</h2>
<p>Every other path needs one of these:</p>
<ul>
  <li><strong>An API token</strong> in the <code>Authorization</code> header. The first start of a database without users creates the user <code>admin</code> and prints its token once, alone on a line. More tokens: <code>POST /api/auth/tokens/</code> (admin), or <code>insights tokens create --user NAME</code> while the server is stopped.
<pre>curl -H "Authorization: Token &lt;token&gt;" ${base}/api/analytics/kpi-metrics/summary/</pre></li>
  <li><strong>A session</strong>: log in with a user name and password; the response sets an HttpOnly cookie and gives a <code>csrf_token</code> to send as <code>X-CSRF-Token</code> on POST, PUT, PATCH and DELETE.
<pre>curl -c cookies -H "Content-Type: application/json" \\
  -d '{"username": "admin", "password": "..."}' ${base}/api/auth/login/</pre></li>
  <li><strong>Single sign-on</strong>: <code>Authorization: Bearer &lt;JWT&gt;</code> from a configured OpenID Connect issuer.</li>
</ul>
</body>
</html>
`;
}
