/**
 * JSON read from the database as text and answered as that text. An event's payloads (input,
 * output, metadata) are stored as JSON text; parsing each into objects only for the response to
 * serialise them straight back cost about a millisecond per timeline page of 100 events with
 * payloads of 1 KB, most of what the page costs beside its statements.
 *
 * A RawJson stands where the parsed value would in a result. `stringifyResult` writes a result
 * with each RawJson's text in its place: HTTP answers (plugins/use-raw-json-results.ts) and live
 * frames shared by their watchers (plugins/use-shared-subscription-results.ts). Any other
 * serialisation (JSON.stringify anywhere) still writes the right value, through toJSON, at the
 * old cost of a parse.
 */

/**
 * What toJSON answers while stringifyResult runs: a string that no response can otherwise hold,
 * since U+0000 is refused in every text a client can store (see services/ingest/validate.ts);
 * the count check in stringifyResult covers any other way one might appear.
 */
const PLACEHOLDER = '\u0000sightline:raw-json';
/** The placeholder as JSON.stringify writes it. */
const WRITTEN_PLACEHOLDER = JSON.stringify(PLACEHOLDER);

/** The texts of the RawJson values met so far, in the order JSON.stringify met them. */
let collected: string[] | null = null;

export class RawJson {
  private parsed: unknown;

  /** `text` must be valid JSON (the database's own output). */
  constructor(readonly text: string) {}

  /** The value, parsed once. */
  value(): unknown {
    return (this.parsed ??= JSON.parse(this.text));
  }

  toJSON(): unknown {
    if (collected === null) return this.value();
    collected.push(this.text);
    return PLACEHOLDER;
  }
}

/** A JSON column's text as a RawJson; SQL NULL stays null. */
export function rawJsonOrNull(text: unknown): RawJson | null {
  return text === null || text === undefined ? null : new RawJson(text as string);
}

/** JSON.stringify(value), with each RawJson written as its own text rather than re-serialised. */
export function stringifyResult(value: unknown): string {
  const outer = collected;
  const texts: string[] = [];
  collected = texts;
  let json: string;
  try {
    json = JSON.stringify(value);
  } finally {
    collected = outer;
  }
  if (texts.length === 0) return json;
  const pieces = json.split(WRITTEN_PLACEHOLDER);
  // Only RawJson writes the placeholder; should anything else ever hold it, write it plainly.
  if (pieces.length !== texts.length + 1) return JSON.stringify(value);
  let out = pieces[0]!;
  for (let i = 0; i < texts.length; i++) out += texts[i]! + pieces[i + 1]!;
  return out;
}
