/**
 * `COPY ... FROM STDIN` with nothing but `pg`: a query object that pg's client drives like its own
 * (the "submittable" interface that pg-copy-streams also builds on), sending the whole text-format
 * payload when the server asks for it. Enough for the bench; no streaming, no backpressure.
 */
import type pg from 'pg';

interface Connection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

const CHUNK_BYTES = 256 * 1024;

class CopyFromText {
  private rowCount = 0;
  private error: Error | undefined;
  private done = false;
  callback: ((error: Error | null, rowCount: number) => void) | undefined;

  constructor(
    private readonly text: string,
    private readonly payload: Buffer,
  ) {}

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: Connection): void {
    for (let offset = 0; offset < this.payload.length; offset += CHUNK_BYTES) {
      connection.sendCopyFromChunk(this.payload.subarray(offset, offset + CHUNK_BYTES));
    }
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    const match = /COPY (\d+)/.exec(message.text ?? '');
    if (match) this.rowCount = Number(match[1]);
  }

  handleError(error: Error): void {
    // pg forgets the query on an error, so no handleReadyForQuery follows: this is the end.
    this.error = error;
    this.finish();
  }

  handleReadyForQuery(): void {
    this.finish();
  }

  handleDataRow(): void {}
  handleRowDescription(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.callback?.(this.error ?? null, this.rowCount);
  }
}

/** Runs `COPY <table> (<columns>) FROM STDIN` with `rows` (text format) on `client`; returns the row count. */
export function copyFrom(client: pg.PoolClient, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<number> {
  const payload = Buffer.from(rows.map((row) => row.map(copyValue).join('\t')).join('\n') + '\n', 'utf8');
  const query = new CopyFromText(`COPY ${table} (${columns.join(', ')}) FROM STDIN`, payload);
  return new Promise((resolve, reject) => {
    query.callback = (error, rowCount) => (error ? reject(error) : resolve(rowCount));
    (client as unknown as { query(submittable: unknown): void }).query(query);
  });
}

/** COPY's text format: \N is NULL; backslash, tab, newline and carriage return are escaped. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text;
}
