/** Turns the services' expected failures into GraphQL errors with the contract's codes. */
import { apiError } from '../errors.js';
import { UserInputError } from '../lib/user-input-error.js';

export async function asGraphQLError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserInputError) throw apiError(error.code, error.message);
    throw error;
  }
}
