/**
 * The error services raise for a caller's mistake. A module of its own, free of graphql, so the
 * SQLite writer thread (which runs the ingest programs) does not load graphql-js for it.
 *
 * A failure the caller caused, raised by services that know nothing of GraphQL. The schema layer
 * (schema/errors.ts) turns it into a GraphQLError with the same code.
 */
export class UserInputError extends Error {
  constructor(
    message: string,
    readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'PAYLOAD_TOO_LARGE' = 'BAD_USER_INPUT',
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}
