/*
 * The live sessions dashboard, run in the browser (bundled by esbuild, see ../dashboard.ts). A
 * therapist or admin signs in; sessions starting and ending arrive over graphql-ws. The current
 * state is fetched on the first connect; after a reconnect the subscription resumes `after` the
 * last event's cursor, so whatever happened while away arrives first (README "Live events"). A
 * cursor outside the replay window is refused: then the state is fetched again.
 */
import { createClient, type Client } from 'graphql-ws';
import operations from '../examples/dashboard.graphql';

interface Person {
  id: string;
  firstName: string;
  lastName: string;
}
interface LiveSession {
  id: string;
  status: string;
  scheduledAt: string;
  durationMinutes: number;
  startedAt: string | null;
  endedAt: string | null;
  therapist: Person | null;
  patient: Person | null;
}
interface Result<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}
type Connection = { edges: Array<{ node: LiveSession }> };

/** graphql-ws close codes after which retrying with the same token is pointless: sign in again. */
const SIGN_IN_AGAIN = new Set([4401, 4403]);
const STATUS_ORDER: Record<string, number> = { IN_PROGRESS: 1, COMPLETED: 2 };

/** The API: ?api=<url> when the page is served from another origin (CORS), else this origin's /graphql. */
const api = new URL(new URLSearchParams(location.search).get('api') ?? '/graphql', location.href).href;
const wsApi = api.replace(/^http/, 'ws');

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const sessions = new Map<string, LiveSession>();
let client: Client | undefined;

function setState(state: string, text: string): void {
  const status = $('status');
  status.dataset.state = state;
  status.textContent = text;
}

/** Events and snapshots may arrive in any order: a session only moves forward (in progress, then ended). */
function remember(session: LiveSession): void {
  const known = sessions.get(session.id);
  if (known && (STATUS_ORDER[known.status] ?? 0) > (STATUS_ORDER[session.status] ?? 0)) return;
  sessions.set(session.id, session);
}

const nameOf = (person: Person | null) => (person ? `${person.firstName} ${person.lastName}` : '—');
const timeOf = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString() : '');

function row(session: LiveSession): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.sessionId = session.id;
  tr.dataset.status = session.status;
  for (const text of [nameOf(session.therapist), nameOf(session.patient), timeOf(session.scheduledAt), timeOf(session.startedAt), timeOf(session.endedAt)]) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

function render(): void {
  const all = [...sessions.values()];
  const live = all.filter((s) => s.status === 'IN_PROGRESS').sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  const ended = all.filter((s) => s.status !== 'IN_PROGRESS').sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''));
  $('live').replaceChildren(...live.map(row));
  $('ended').replaceChildren(...ended.map(row));
  $('live-count').textContent = String(live.length);
  $('ended-count').textContent = String(ended.length);
}

async function post<T>(operationName: string, variables: Record<string, unknown>): Promise<Result<T>> {
  const response = await fetch(api, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: operations, operationName, variables }),
  });
  return (await response.json()) as Result<T>;
}

/** One query over the socket (sent after the subscription, on the same connection). */
function query<T>(c: Client, operationName: string, variables: Record<string, unknown>): Promise<Result<T>> {
  return new Promise((resolve, reject) => {
    let result: Result<T> = {};
    c.subscribe<T>({ query: operations, operationName, variables }, {
      next: (value) => (result = value as Result<T>),
      error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
      complete: () => resolve(result),
    });
  });
}

/** The current state: sessions in progress and those ended within the last day. */
async function refetch(c: Client): Promise<void> {
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();
  const { data, errors } = await query<{ inProgress: Connection; ended: Connection }>(c, 'LiveSessions', { since });
  if (!data) throw new Error(errors?.[0]?.message ?? 'no data');
  for (const edge of [...data.inProgress.edges, ...data.ended.edges]) remember(edge.node);
  render();
  setState('live', 'Live');
}

function signOut(message: string): void {
  client?.dispose();
  client = undefined;
  $('board').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  setState('signed-out', 'Signed out');
}

/** Follows session events; graphql-ws sends `variables` again on every reconnect, with the last cursor seen. */
function subscribe(c: Client, variables: { after: string | null }): void {
  let reload = false;
  c.subscribe<{ therapySessionEvents: { cursor: string; session: LiveSession } }>(
    { query: operations, operationName: 'SessionEvents', variables },
    {
      next: ({ data, errors }) => {
        if (data) {
          variables.after = data.therapySessionEvents.cursor;
          remember(data.therapySessionEvents.session);
          render();
        } else if (errors?.[0]?.extensions?.code === 'BAD_USER_INPUT') reload = true; // away too long: start over
        else if (errors) setState('error', errors[0].message);
      },
      error: () => undefined, // the closed listener says what happened
      complete: () => {
        if (!reload || client !== c) return;
        variables.after = null;
        subscribe(c, variables);
        refetch(c).catch((error: Error) => setState('error', `Could not load sessions: ${error.message}`));
      },
    },
  );
}

function follow(token: string): void {
  sessions.clear();
  render();
  setState('connecting', 'Connecting…');
  const variables: { after: string | null } = { after: null };
  const c = createClient({
    url: wsApi,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Infinity,
    shouldRetry: (event) => !SIGN_IN_AGAIN.has((event as CloseEvent)?.code),
    // Up to 10 s apart, with jitter, so a restarted server is not met by every dashboard at once.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** retries) * (0.5 + Math.random() / 2))),
    on: {
      // The first time (or before any event), load the current state; later the subscription resumes by itself.
      connected: () => {
        if (variables.after !== null) return setState('live', 'Live');
        setTimeout(() => refetch(c).catch((error: Error) => setState('error', `Could not load sessions: ${error.message}`)));
      },
      closed: (event) => {
        if (client !== c) return;
        if (SIGN_IN_AGAIN.has((event as CloseEvent)?.code)) signOut('Your session ended; sign in again.');
        else setState('reconnecting', 'Reconnecting…');
      },
    },
  });
  client = c;
  subscribe(c, variables);
}

$<HTMLFormElement>('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  $('signin-error').textContent = '';
  try {
    const { data, errors } = await post<{ login: { token: string; user: Person & { role: string } } }>('DashboardLogin', {
      email: form.get('email'),
      password: form.get('password'),
    });
    if (!data) throw new Error(errors?.[0]?.message ?? 'Sign-in failed');
    const { token, user } = data.login;
    if (user.role !== 'THERAPIST' && user.role !== 'ADMIN') throw new Error('This dashboard is for therapists and admins.');
    $('signin').hidden = true;
    $('board').hidden = false;
    $('viewer').textContent = nameOf(user);
    follow(token);
  } catch (error) {
    $('signin-error').textContent = error instanceof TypeError ? `Cannot reach ${api}` : (error as Error).message;
  }
});
$('signout').addEventListener('click', () => signOut(''));
