/**
 * The sessions list: newest first by default, keyset-paged with the row id as tie-breaker so a
 * page boundary never skips or repeats a row, also while new sessions arrive.
 */
import type { Prisma, PrismaClient, Session } from '../../generated/sqlite/client.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { pageSize, type Page } from './pagination.js';

export const SESSIONS_PAGE_DEFAULT = 50;
export const SESSIONS_PAGE_MAX = 500;
const CURSOR_KIND = 'sessions:started_at:desc';

export function sessionsCursor(session: Pick<Session, 'startedAtUs' | 'id'>): string {
  return encodeCursor(CURSOR_KIND, [Number(session.startedAtUs), session.id]);
}

export async function listSessions(
  prisma: PrismaClient,
  projectId: number,
  args: { first?: number | null; after?: string | null },
  query: { include?: Prisma.SessionInclude; select?: Prisma.SessionSelect } = {},
): Promise<Page<Session>> {
  const { size } = pageSize({ first: args.first }, SESSIONS_PAGE_DEFAULT, SESSIONS_PAGE_MAX);
  const base: Prisma.SessionWhereInput = { projectId };
  let bound: Prisma.SessionWhereInput | null = null;
  let start: { ts: bigint; id: number } | null = null;
  if (args.after) {
    const [ts, id] = decodeCursor(CURSOR_KIND, args.after, 2, 'after');
    if (typeof ts !== 'number' || typeof id !== 'number') throw new Error('unreachable: cursor shape checked');
    start = { ts: BigInt(ts), id };
    bound = { OR: [{ startedAtUs: { lt: start.ts } }, { startedAtUs: start.ts, id: { lt: start.id } }] };
  }
  const [rows, totalCount, earlier] = await Promise.all([
    prisma.session.findMany({
      ...query,
      where: bound ? { AND: [base, bound] } : base,
      orderBy: [{ startedAtUs: 'desc' }, { id: 'desc' }],
      take: size + 1,
    }) as Promise<Session[]>,
    prisma.session.count({ where: base }),
    start
      ? prisma.session
          .findFirst({
            where: { AND: [base, { OR: [{ startedAtUs: { gt: start.ts } }, { startedAtUs: start.ts, id: { gte: start.id } }] }] },
            select: { id: true },
          })
          .then((row) => row !== null)
      : Promise.resolve(false),
  ]);
  const page = rows.slice(0, size);
  return {
    items: page.map((node) => ({ cursor: sessionsCursor(node), node })),
    hasNextPage: rows.length > size,
    hasPreviousPage: earlier,
    totalCount,
  };
}
