/**
 * WebSocket connections held per API key on this server (SIGHTLINE_WS_MAX_CONNECTIONS_PER_KEY),
 * so that one leaked key or runaway client cannot take every connection the server has
 * (SIGHTLINE_WS_MAX_CONNECTIONS) from everyone else.
 */
export class ConnectionsPerKey {
  private readonly held = new Map<number, number>();

  /** @param limit connections per key; 0 for no limit */
  constructor(private readonly limit: number) {}

  /** Takes a connection slot for the key; false (and nothing taken) when it holds `limit` already. */
  tryAcquire(apiKeyId: number): boolean {
    const count = this.held.get(apiKeyId) ?? 0;
    if (this.limit > 0 && count >= this.limit) return false;
    this.held.set(apiKeyId, count + 1);
    return true;
  }

  /** Gives back a slot taken by tryAcquire. */
  release(apiKeyId: number): void {
    const count = this.held.get(apiKeyId) ?? 0;
    if (count <= 1) this.held.delete(apiKeyId);
    else this.held.set(apiKeyId, count - 1);
  }
}
