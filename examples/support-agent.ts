/**
 * A small support agent instrumented with the Sightline SDK, using every helper. The "LLM" and
 * the tools are fakes, so it runs anywhere against a local server:
 *
 *   npm start                                   # in another terminal; note the ADMIN key it prints
 *   SIGHTLINE_API_KEY=<key> npx tsx examples/support-agent.ts
 *
 * Environment: SIGHTLINE_API_KEY (INGEST or ADMIN, required), SIGHTLINE_ENDPOINT (default
 * http://127.0.0.1:4000), SIGHTLINE_READ_KEY (READ or ADMIN: also watch the run live).
 *
 * In an application, import from the package: `import { Tracker } from 'sightline/sdk'`.
 */
import { newConversationId, Tracker, type Session, type TimelineUpdate } from '../src/sdk/index.js';

const apiKey = process.env.SIGHTLINE_API_KEY;
if (!apiKey) {
  console.error('Set SIGHTLINE_API_KEY to an INGEST or ADMIN key of your Sightline server.');
  process.exit(2);
}
const endpoint = process.env.SIGHTLINE_ENDPOINT ?? 'http://127.0.0.1:4000';

// Made once; every tracking call after this only records in memory.
const tracker = new Tracker({
  apiKey,
  endpoint,
  agentName: 'support-agent',
  onError: (error) => console.warn(`sightline: ${error.code}: ${error.message}`),
});

/** A stand-in for a model call: returns text and usage after a short "latency". */
async function fakeModel(prompt: string): Promise<{ text: string; promptTokens: number; completionTokens: number }> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return { text: `(model says) ${prompt.slice(0, 40)}`, promptTokens: prompt.length, completionTokens: 12 };
}

/** A stand-in for an order service that fails for one order. */
async function lookUpOrder(orderId: string): Promise<{ status: string; eta: string }> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  if (orderId === '0000') throw new Error(`order ${orderId} not found`);
  return { status: 'shipped', eta: 'tomorrow' };
}

/** One turn of the agent: a question in, an answer out, with its reasoning nested under a step. */
async function handleTurn(session: Session, question: string, orderId: string): Promise<string> {
  session.question(question, { metadata: { channel: 'chat' } });
  const reply = await session.agent('support-agent', async (agent) => {
    // A wrapped LLM call: the SDK measures its latency; `set` adds model, tokens and cost.
    const intent = await agent.wrap('LLM_CALL', 'classify-intent', async (call) => {
      const result = await fakeModel(`Classify: ${question}`);
      call.set({ model: 'gpt-4o-mini', promptTokens: result.promptTokens, completionTokens: result.completionTokens, costUsd: 0.00002, output: result.text });
      return 'order-status';
    });
    agent.decision('route', { choice: intent, reason: 'mentions an order', alternatives: ['order-status', 'refund', 'human'] });
    // A nested operation: the tool call inside becomes its child.
    const order = await agent.operation('fetch-order', async (step) => {
      const started = performance.now();
      try {
        const found = await lookUpOrder(orderId);
        step.toolCall('orders.lookup', { input: { orderId }, output: found, durationMs: performance.now() - started });
        return found;
      } catch (error) {
        step.toolCall('orders.lookup', { input: { orderId }, error, durationMs: performance.now() - started });
        step.error(error, { metadata: { orderId } });
        return null;
      }
    });
    // An LLM call recorded after the fact, with everything known about it.
    const answer = await fakeModel(order ? `Order ${orderId} is ${order.status}` : `Order ${orderId} was not found`);
    agent.llmCall({ model: 'gpt-4o', promptTokens: answer.promptTokens, completionTokens: answer.completionTokens, costUsd: 0.0004, latencyMs: 20, output: answer.text });
    if (!order) agent.action('ticket.opened', { input: { orderId, queue: 'orders' } });
    return answer.text;
  });
  const answered = session.answer(reply);
  // The user clicks a button under the answer.
  session.feedback({ name: 'thumbs', label: '👍', value: 1, parent: answered });
  return reply;
}

async function main(): Promise<void> {
  // 1. A conversation the application identifies (here a chat id); it continues across turns.
  const chat = tracker.conversation(`chat-${newConversationId()}`, { name: 'Web chat', tags: ['example'] });
  const watch = process.env.SIGHTLINE_READ_KEY
    ? tracker.watchSession(chat.key, (update: TimelineUpdate) => {
        if (update.__typename === 'EventAppended') console.log(`  live: ${update.event.type} ${update.event.name ?? ''}`);
      }, { apiKey: process.env.SIGHTLINE_READ_KEY })
    : null;
  await handleTurn(chat, 'Where is my order 1234?', '1234');
  await handleTurn(chat, 'And order 0000?', '0000');
  chat.log('conversation idle', { level: 'debug' });

  // 2. A one-off run wrapped around a function: SUCCEEDED when it returns, FAILED when it throws.
  await tracker.withSession({ name: 'nightly report', tags: ['example', 'batch'], metadata: { day: new Date().toISOString().slice(0, 10) } }, async (run) => {
    run.custom('report.generated', { output: { rows: 42 } });
    run.track('OPERATION', { name: 'upload', durationMs: 3.2 });
  });
  try {
    await tracker.withSession({ name: 'voice call' }, async () => {
      tracker.question('(caller speaks) I want a refund'); // tracker helpers go to the wrapped session
      throw new Error('speech-to-text service unavailable');
    });
  } catch (error) {
    console.log(`voice call failed as expected: ${(error as Error).message}`);
  }

  // 3. A session started and ended explicitly.
  const review = tracker.startSession({ name: 'manual review', tags: ['example'], metadata: { reviewer: 'ana' } });
  review.action('review.approved');
  review.end('SUCCEEDED');

  // 4. The automatic session: tracker helpers outside any session (ended on shutdown).
  tracker.log('example finished', { metadata: { turns: 2 } });

  const done = await tracker.shutdown();
  await watch?.close();
  console.log(`sent: ${done ? 'everything' : 'not everything'}`, tracker.stats);
  console.log(`conversation: ${chat.key}`);
}

await main();
