/** Arguments and results of cursor pagination (Relay connections), independent of GraphQL. */
import { UserInputError } from '../../lib/user-input-error.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Page<T> {
  items: { cursor: string; node: T }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

/** The page size and direction asked for; BAD_USER_INPUT outside [0, max]. */
export function pageSize(args: PageArgs, defaultSize: number, max: number): { size: number; backward: boolean } {
  if (args.first != null && args.last != null) throw new UserInputError('give first or last, not both');
  const backward = args.last != null;
  const size = (backward ? args.last : args.first) ?? defaultSize;
  const name = backward ? 'last' : 'first';
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw new UserInputError(`${name} must be between 0 and ${max} (got ${size})`);
  }
  return { size, backward };
}
