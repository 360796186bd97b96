/** A JSON value safe to embed in an HTML <script> element (no "</script>", no "<!--"). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** What /graphql (in a browser) and /explorer answer when AURA_INTROSPECTION is off. */
export const DISABLED_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Aura: explorer disabled</title>
<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#222}</style></head>
<body>
<h1 id="disabled">The GraphQL explorer is disabled on this server</h1>
<p>Schema introspection is switched off (<code>AURA_INTROSPECTION=off</code>), so no schema explorer is
offered here, neither Apollo's nor the local one. The API itself still answers <code>POST /graphql</code>.</p>
</body>
</html>
`;
