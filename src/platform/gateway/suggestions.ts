import type { GraphQLError, GraphQLFormattedError } from 'graphql';

/** graphql-js's hint ("Did you mean ...?") names schema members; Apollo's disableSuggestions plugin cuts the same text. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/** With introspection off the schema is not for strangers to discover: hints are cut from every error, on both transports. */
export function withoutSuggestion(error: GraphQLFormattedError): GraphQLFormattedError {
  return SUGGESTION.test(error.message) ? { ...error, message: error.message.replace(SUGGESTION, '') } : error;
}

/** The same, in place, for an error graphql-ws sends as it is. */
export function cutSuggestion(error: GraphQLError): GraphQLError {
  error.message = error.message.replace(SUGGESTION, '');
  return error;
}
