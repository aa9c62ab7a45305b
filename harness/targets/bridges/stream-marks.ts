// How a streaming workload (an LLM server answering one request) tells a
// bridge when its first token came and how many tokens it produced, so that
// the bridge can report FIRST_TOKEN, TOKENS and the completion's token count.
// Neither backend streams a job's output to the requestor while it runs (a
// Golem exec batch returns stdout at its end; a SaladCloud queue job returns
// its output when it succeeds), so the workload measures the times itself,
// relative to its own start, and the bridge places them after the job's
// STARTED on its own clock (no clock of the provider is trusted).
//
// The mapping (README, "Real backends"):
// - Golem: flat JSON objects with a "mirrorbench" key anywhere in the
//   command's stdout (log prefixes around them are ignored): {"mirrorbench":"first_token","ms":412},
//   {"mirrorbench":"tokens","n":57,"ms":1300}, {"mirrorbench":"done","output_tokens":57}.
// - SaladCloud: the queue job's output object carries
//   { "mirrorbench": { "first_token_ms": 412, "output_tokens": 57, "tokens": [{ "ms": 1300, "n": 57 }] } }.
// ms: milliseconds since the command (Golem) or the job (SaladCloud) started.
import type { JobEvent } from '../../proto/types.ts';

export interface StreamMarks {
  firstTokenMs?: number;
  progress: { ms: number; n: number }[];
  outputTokens?: number;
}

const nonNeg = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** Marks from a Golem command's stdout; none when it printed none. */
export function marksFromStdout(stdout: string | ArrayBuffer | null | undefined): StreamMarks {
  const text = typeof stdout === 'string' ? stdout : stdout ? new TextDecoder().decode(stdout) : '';
  const out: StreamMarks = { progress: [] };
  // A mark is a flat object: from its opening brace to the first closing one, wherever it stands in the output.
  for (let at = text.indexOf('{"mirrorbench"'); at >= 0; at = text.indexOf('{"mirrorbench"', at + 1)) {
    const end = text.indexOf('}', at);
    if (end < 0) break;
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(text.slice(at, end + 1)) as Record<string, unknown>;
    } catch {
      continue; // a mark the workload cut or garbled is not a mark
    }
    const ms = nonNeg(m.ms);
    if (m.mirrorbench === 'first_token' && ms !== undefined) out.firstTokenMs ??= ms;
    else if (m.mirrorbench === 'tokens' && ms !== undefined && nonNeg(m.n) !== undefined) out.progress.push({ ms, n: m.n as number });
    else if (m.mirrorbench === 'done' && nonNeg(m.output_tokens) !== undefined) out.outputTokens = m.output_tokens as number;
  }
  return out;
}

/** Marks from a SaladCloud queue job's output; none when it carries none. */
export function marksFromOutput(output: unknown): StreamMarks {
  const m = (output as { mirrorbench?: unknown } | null | undefined)?.mirrorbench as Record<string, unknown> | undefined;
  if (!m || typeof m !== 'object') return { progress: [] };
  const progress = Array.isArray(m.tokens)
    ? (m.tokens as unknown[]).flatMap((t) => {
        const p = t as { ms?: unknown; n?: unknown };
        const ms = nonNeg(p?.ms);
        const n = nonNeg(p?.n);
        return ms !== undefined && n !== undefined ? [{ ms, n }] : [];
      })
    : [];
  return { firstTokenMs: nonNeg(m.first_token_ms), progress, outputTokens: nonNeg(m.output_tokens) };
}

/** The FIRST_TOKEN and TOKENS events of marks, placed after the job's start (bridge clock, epoch µs). */
export function markEvents(marks: StreamMarks, ctx: { startedUs: number; attempt: number; providerId?: string }): Omit<JobEvent, 'jobId'>[] {
  const ev = (type: 'FIRST_TOKEN' | 'TOKENS', ms: number, tokens: number): Omit<JobEvent, 'jobId'> => ({
    type, atUs: ctx.startedUs + Math.round(ms * 1000), attempt: ctx.attempt, providerId: ctx.providerId ?? '', tokens,
  });
  const out: Omit<JobEvent, 'jobId'>[] = [];
  if (marks.firstTokenMs !== undefined) out.push(ev('FIRST_TOKEN', marks.firstTokenMs, 1));
  for (const p of [...marks.progress].sort((a, b) => a.ms - b.ms)) out.push(ev('TOKENS', p.ms, p.n));
  return out;
}
