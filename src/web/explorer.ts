import { dirname, join } from 'node:path';
import express, { type Router } from 'express';
import { exampleOperations, PERSONAS } from './examples';
import { DISABLED_PAGE, scriptJson } from './pages';

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** GraphiQL and React from the npm packages' own browser builds: the explorer needs no CDN. */
const ASSETS: Record<string, string> = {
  'react.js': join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.js': join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': join(packageDir('graphiql'), 'graphiql.min.css'),
};

const EMPTY_HEADERS = JSON.stringify({ Authorization: '' }, null, 2);

/** Starts GraphiQL with one tab per persona; HTTP for queries and mutations, graphql-ws (token in connectionParams) for subscriptions. */
const START = `
const examples = JSON.parse(document.getElementById('aura-examples').textContent);
const url = new URL('/graphql', location.href).href;
const subscriptionUrl = url.replace(/^http/, 'ws');
const fetchers = new Map();
// One fetcher per Authorization value: WebSocket auth travels in connectionParams, not headers.
function fetcher(params, options) {
  const headers = (options && options.headers) || {};
  const authorization = headers.Authorization || headers.authorization || '';
  if (!fetchers.has(authorization)) {
    fetchers.set(authorization, GraphiQL.createFetcher({ url, subscriptionUrl, wsConnectionParams: { authorization } }));
  }
  return fetchers.get(authorization)(params, options);
}
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultTabs: examples.map((tab) => ({ query: tab.query })),
    defaultHeaders: ${JSON.stringify(EMPTY_HEADERS)},
    defaultEditorToolsVisibility: 'headers',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  }),
);
`;

function explorerPage(): string {
  const tabs = PERSONAS.map((persona) => ({ persona, query: exampleOperations(persona) }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aura explorer</title>
<link rel="stylesheet" href="/explorer/graphiql.css">
<style>body{margin:0;height:100vh;overflow:hidden}#graphiql{height:100vh}</style>
</head>
<body>
<div id="graphiql">Loading the explorer…</div>
<script src="/explorer/react.js"></script>
<script src="/explorer/react-dom.js"></script>
<script src="/explorer/graphiql.js"></script>
<script id="aura-examples" type="application/json">${scriptJson(tabs)}</script>
<script>${START}</script>
</body>
</html>
`;
}

/** GET /explorer: a local GraphiQL (no CDN) pre-filled per persona; a "disabled" page when introspection is off. */
export function explorerRoutes(introspection: boolean): Router {
  const router = express.Router();
  if (!introspection) {
    router.get('/explorer', (_req, res) => {
      res.status(404).type('html').send(DISABLED_PAGE);
    });
    return router;
  }
  const page = explorerPage();
  router.get('/explorer', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/explorer/:asset', (req, res, next) => {
    const file = ASSETS[req.params.asset];
    if (!file) return next();
    res.sendFile(file, { maxAge: '1h' });
  });
  return router;
}
