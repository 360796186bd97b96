import type { ApolloServerPlugin } from '@apollo/server';
import { DISABLED_PAGE } from './pages';

/** Apollo's embeddable Sandbox; when it cannot be loaded (offline, blocked) the page opens /explorer. */
export const SANDBOX_SCRIPT = 'https://embeddable-sandbox.cdn.apollographql.com/v2/embeddable-sandbox.umd.production.min.js';
/** How long a hanging CDN may keep the page blank before it falls back. */
const SANDBOX_WAIT_MS = 8000;

const SANDBOX_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aura GraphQL</title>
<style>body{margin:0;font-family:system-ui,sans-serif}#sandbox{position:absolute;inset:0}iframe{width:100%;height:100%;border:none}</style>
</head>
<body>
<p id="loading" style="padding:1em">Loading Apollo Sandbox… if it cannot be reached, the <a href="/explorer">local explorer</a> opens instead.</p>
<div id="sandbox"></div>
<script>
  function openLocalExplorer() { if (!window.EmbeddedSandbox) location.replace('/explorer'); }
  var sandboxWait = setTimeout(openLocalExplorer, ${SANDBOX_WAIT_MS});
</script>
<script src="${SANDBOX_SCRIPT}"></script>
<script>
  clearTimeout(sandboxWait);
  if (window.EmbeddedSandbox) {
    document.getElementById('loading').remove();
    new window.EmbeddedSandbox({
      target: '#sandbox',
      initialEndpoint: location.href.split('?')[0],
      initialState: { includeCookies: false },
      endpointIsEditable: false,
      runTelemetry: false,
    });
  } else {
    openLocalExplorer();
  }
</script>
</body>
</html>
`;

/**
 * What a browser gets at GET /graphql: Apollo Sandbox, falling back to the local explorer when
 * Sandbox's CDN cannot be loaded (error or timeout); a "disabled" page when introspection is off.
 */
export function landingPage(introspection: boolean): ApolloServerPlugin {
  const html = introspection ? SANDBOX_PAGE : DISABLED_PAGE;
  return {
    async serverWillStart() {
      return { async renderLandingPage() { return { html }; } };
    },
  };
}
