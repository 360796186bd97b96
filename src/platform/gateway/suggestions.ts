import type { GraphQLError, GraphQLFormattedError } from 'graphql';

/** graphql-js's hint ("Did you mean ...?") names schema members; Apollo's disableSuggestions plugin cuts the same text. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

export interface ErrorHints {
  /** For an error already formatted for the client (HTTP, and WebSocket results). */
  shown(error: GraphQLFormattedError): GraphQLFormattedError;
  /** For an error graphql-ws sends as it is (a WebSocket operation refused before execution). */
  cut(error: GraphQLError): GraphQLError;
}

const KEPT: ErrorHints = { shown: (error) => error, cut: (error) => error };

const CUT: ErrorHints = {
  shown: (error) => (SUGGESTION.test(error.message) ? { ...error, message: error.message.replace(SUGGESTION, '') } : error),
  cut(error) {
    error.message = error.message.replace(SUGGESTION, '');
    return error;
  },
};

/** With introspection off the schema is not for strangers to discover: no error hints at its members, on either transport. */
export function errorHints(introspection: boolean): ErrorHints {
  return introspection ? KEPT : CUT;
}
