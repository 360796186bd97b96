import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { InvalidInputError } from './errors';

/**
 * Control characters no text Aura stores may hold: C0 (but tab, line feed and carriage return,
 * which long free text may carry), DEL and C1. A NUL reached PostgreSQL as a 500; ESC starts ANSI escapes.
 */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

const REFUSAL = 'Text must not contain NUL or other control characters';

/** A document is checked once: Apollo and graphql-ws hand the same parsed document back for a repeated query. */
const checkedDocuments = new WeakMap<DocumentNode, boolean>();

function literalsAreClean(document: DocumentNode): boolean {
  let clean = checkedDocuments.get(document);
  if (clean === undefined) {
    clean = true;
    visit(document, {
      StringValue(node) {
        if (hasControlCharacter(node.value)) {
          clean = false;
          return BREAK;
        }
        return undefined;
      },
    });
    checkedDocuments.set(document, clean);
  }
  return clean;
}

/** Every string in the variables, however deep; iterative, so a deeply nested body cannot overflow the stack. */
function variablesAreClean(variables: unknown): boolean {
  const pending: unknown[] = [variables];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (hasControlCharacter(value)) return false;
    } else if (Array.isArray(value)) {
      for (const inner of value) pending.push(inner); // not push(...value): a huge array would overflow the argument stack
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) pending.push(key, inner);
    }
  }
  return true;
}

/**
 * The one edge check of free text, for every String and ID argument of every field on every
 * transport: string literals in the document and string values in the variables. Returns the
 * refusal, or null when the operation may run.
 */
export function controlCharacterRefusal(document: DocumentNode, variables: unknown): InvalidInputError | null {
  return literalsAreClean(document) && variablesAreClean(variables) ? null : new InvalidInputError(REFUSAL);
}

/** The HTTP side: Apollo answers a refused operation with 400 and BAD_USER_INPUT before it executes. */
export function controlCharacterGuard<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const refusal = controlCharacterRefusal(document, request.variables);
          if (refusal) {
            throw new GraphQLError(refusal.message, { originalError: refusal, extensions: { code: refusal.code, http: { status: 400 } } });
          }
        },
      };
    },
  };
}
