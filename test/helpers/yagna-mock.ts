// A local yagna requestor node: the subset of its REST API golem-js calls,
// shaped after the published specs (ya-client's market, activity and payment
// OpenAPI files: /market-api/v1, /activity-api/v1, /payment-api/v1, /me,
// /version/get). Events are long-polled like the real node. Providers are
// scripted so the unhappy paths are reachable: a provider terminating the
// agreement mid-job, a debit note left unaccepted past its deadline, 429 with
// Retry-After, 5xx, and an expired app key.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockProvider {
  id: string;
  name: string;
  /** Linear pricing in GLM: per started agreement, per hour of activity, per CPU hour. */
  start: number;
  envPerHour: number;
  cpuPerHour: number;
  gpuModel?: string;
  gpuMemGib?: number;
  /** Seconds the requestor has to accept a debit note before the provider terminates (golem.com.payment.debit-notes.accept-timeout?). */
  debitNoteAcceptTimeoutSec?: number;
}

export interface YagnaMockOptions {
  appKey: string;
  providers: MockProvider[];
  paymentPlatforms?: string[];
  /** A debit note every this many ms while an activity runs. */
  debitNoteIntervalMs?: number;
  /** Delay before a provider answers a counter-proposal with its draft. */
  negotiationMs?: number;
  /** Delay of deploy+start (image pull) per activity. */
  deployMs?: number;
  /** The provider running one of the first `times` commands matching `match` terminates the agreement `afterMs` into the run. */
  terminate?: { match: RegExp; afterMs: number; times: number };
  /** For the first `times` runs matching `match`, a debit note comes with a `deadlineMs` acceptance deadline nobody can meet; the provider then terminates. */
  missDebitNote?: { match: RegExp; times: number; deadlineMs: number };
  /** The first `count` requests whose "METHOD path" matches get 429 with Retry-After. */
  rateLimit?: { match: RegExp; count: number; retryAfterSec: number };
  /** The first `count` matching requests get a 5xx. */
  serverError?: { match: RegExp; count: number; status?: number };
  /** Every request is refused with 401, as with an expired or revoked app key. */
  expiredKey?: boolean;
}

interface Proposal {
  proposalId: string;
  issuerId: string;
  state: 'Initial' | 'Draft' | 'Rejected' | 'Accepted' | 'Expired';
  timestamp: string;
  prevProposalId?: string;
  properties: Record<string, unknown>;
  constraints: string;
}

interface Demand {
  id: string;
  properties: Record<string, unknown>;
  constraints: string;
  queue: Queue<{ eventType: string; eventDate: string; proposal?: Proposal; reason?: unknown; proposalId?: string }>;
  proposals: Map<string, { provider: MockProvider; proposal: Proposal }>;
  closed: boolean;
}

interface AgreementRec {
  agreementId: string;
  demand: Demand;
  provider: MockProvider;
  offer: Proposal;
  state: 'Proposal' | 'Pending' | 'Approved' | 'Terminated' | 'Cancelled' | 'Rejected' | 'Expired';
  validTo: string;
  timestamp: string;
  approvedDate?: string;
  startedAtMs?: number;
  endedAtMs?: number;
  activities: string[];
  /** Command lines run under this agreement (tests find a job's agreements by them). */
  commands: string[];
  invoiceId?: string;
  terminator?: 'Requestor' | 'Provider';
  reason?: Record<string, unknown>;
}

interface ActivityRec {
  activityId: string;
  agreement: AgreementRec;
  state: 'New' | 'Initialized' | 'Deployed' | 'Ready' | 'Terminated';
  batches: Map<string, BatchRec>;
  debitTimer?: NodeJS.Timeout;
  lastDebitNoteId?: string;
}

interface BatchRec {
  results: { index: number; eventDate: string; result: 'Ok' | 'Error'; stdout?: string; stderr?: string; message?: string; isBatchFinished: boolean }[];
  finished: boolean;
  waiters: Waiters;
  timers: NodeJS.Timeout[];
}

export interface DebitNoteRec {
  debitNoteId: string;
  agreementId: string;
  activityId: string;
  issuedAtMs: number;
  deadlineMs?: number;
  acceptedAtMs?: number;
  status: 'RECEIVED' | 'ACCEPTED' | 'REJECTED';
  totalAmountDue: string;
  timer?: NodeJS.Timeout;
}

export interface InvoiceRec {
  invoiceId: string;
  agreementId: string;
  amount: string;
  issuedAtMs: number;
  acceptedAtMs?: number;
  status: 'RECEIVED' | 'ACCEPTED' | 'REJECTED';
  activityIds: string[];
  providerId: string;
}

/** Long-poll readers: each waits until woken or its timeout passes. */
class Waiters {
  private readonly set = new Set<() => void>();
  wait(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.set.delete(done);
        resolve();
      };
      const t = setTimeout(done, timeoutMs);
      this.set.add(done);
    });
  }
  wakeAll(): void {
    for (const w of [...this.set]) w();
  }
}

/** A long-poll queue: a read takes the events waiting (like /demands/{id}/events). */
class Queue<T> extends Waiters {
  private items: T[] = [];
  push(item: T): void {
    this.items.push(item);
    this.wakeAll();
  }
  async take(max: number, timeoutMs: number, closed: () => boolean): Promise<T[]> {
    if (this.items.length === 0 && timeoutMs > 0 && !closed()) await this.wait(timeoutMs);
    return this.items.splice(0, Math.max(1, max));
  }
}

/** Events kept with their time, read after a timestamp like yagna's /debitNoteEvents. */
class Timeline<T extends { eventDate: string }> extends Waiters {
  private events: T[] = [];
  push(e: T): void {
    this.events.push(e);
    this.wakeAll();
  }
  async after(afterTs: string | undefined, max: number, timeoutMs: number, closed: () => boolean): Promise<T[]> {
    const pick = () => this.events.filter((e) => !afterTs || e.eventDate > afterTs).slice(0, Math.max(1, max));
    if (pick().length === 0 && timeoutMs > 0 && !closed()) await this.wait(timeoutMs);
    return pick();
  }
}

const REQUESTOR = '0x1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
let seq = 0;
const nextId = (prefix: string) => `${prefix}-${(++seq).toString(16).padStart(8, '0')}${Math.random().toString(16).slice(2, 10)}`;
/** Strictly increasing ISO timestamps (microsecond suffix), so afterTimestamp never skips or repeats an event. */
let lastTsUs = 0;
function isoNow(): string {
  const us = Math.max(Date.now() * 1000, lastTsUs + 1);
  lastTsUs = us;
  const ms = Math.floor(us / 1000);
  return new Date(ms).toISOString().replace('Z', `${String(us % 1000).padStart(3, '0')}Z`);
}

export interface YagnaMock {
  url: string;
  appKey: string;
  requests: { method: string; path: string; status: number }[];
  debitNotes: Map<string, DebitNoteRec>;
  invoices: Map<string, InvoiceRec>;
  agreements: Map<string, AgreementRec>;
  allocations: Map<string, { allocationId: string; totalAmount: string; timeout?: string; released: boolean; spent: number }>;
  activities: Map<string, ActivityRec>;
  /** From now on every request is refused with 401, as when a key is revoked mid-run. */
  expireKey(): void;
  /** Demands still subscribed (the bridge must leave none behind). */
  openDemands(): number;
  stop(): Promise<void>;
}

export async function startYagnaMock(opts: YagnaMockOptions): Promise<YagnaMock> {
  const platforms = opts.paymentPlatforms ?? ['erc20-holesky-tglm', 'erc20-polygon-glm'];
  const debitEveryMs = opts.debitNoteIntervalMs ?? 400;
  const negotiationMs = opts.negotiationMs ?? 20;
  const deployMs = opts.deployMs ?? 50;
  const demands = new Map<string, Demand>();
  const agreements = new Map<string, AgreementRec>();
  const activities = new Map<string, ActivityRec>();
  const debitNotes = new Map<string, DebitNoteRec>();
  const invoices = new Map<string, InvoiceRec>();
  const allocations: YagnaMock['allocations'] = new Map();
  const agreementEvents = new Timeline<{ eventType: string; eventDate: string; agreementId: string; terminator?: string; reason?: unknown; signature?: string }>();
  const debitNoteEvents = new Timeline<{ eventType: string; eventDate: string; debitNoteId: string }>();
  const invoiceEvents = new Timeline<{ eventType: string; eventDate: string; invoiceId: string }>();
  const requests: YagnaMock['requests'] = [];
  let terminations = 0;
  let missedNotes = 0;
  let rateLimited = 0;
  let errored = 0;
  let closing = false;
  let keyExpired = opts.expiredKey ?? false;
  const isClosing = () => closing;

  const offerProps = (p: MockProvider): Record<string, unknown> => {
    const props: Record<string, unknown> = {
      'golem.activity.caps.transfer.protocol': ['http', 'https', 'gftp'],
      'golem.com.pricing.model': 'linear',
      'golem.com.pricing.model.linear.coeffs': [p.cpuPerHour / 3600, p.envPerHour / 3600, p.start],
      'golem.com.usage.vector': ['golem.usage.cpu_sec', 'golem.usage.duration_sec'],
      'golem.com.scheme': 'payu',
      'golem.com.scheme.payu.debit-note.interval-sec?': Math.max(1, Math.round(debitEveryMs / 1000)),
      'golem.com.scheme.payu.payment-timeout-sec?': 120,
      'golem.com.payment.debit-notes.accept-timeout?': p.debitNoteAcceptTimeoutSec ?? 240,
      'golem.inf.cpu.architecture': 'x86_64',
      'golem.inf.cpu.brand': 'AMD Ryzen 9 7950X',
      'golem.inf.cpu.capabilities': ['sse4_2', 'avx2'],
      'golem.inf.cpu.cores': 16,
      'golem.inf.cpu.threads': 32,
      'golem.inf.mem.gib': 64,
      'golem.inf.storage.gib': 512,
      // GPU properties as vm-nvidia providers publish them (GAP-35).
      'golem.!exp.gap-35.v1.inf.gpu.model': p.gpuModel ?? 'NVIDIA GeForce RTX 4090',
      'golem.!exp.gap-35.v1.inf.gpu.memory.total.gib': p.gpuMemGib ?? 24,
      'golem.node.id.name': p.name,
      'golem.node.debug.subnet': 'public',
      'golem.node.net.is-public': false,
      'golem.runtime.capabilities': ['inet', 'vpn', 'manifest-support', 'start-entrypoint', '!exp:gpu'],
      'golem.runtime.name': 'vm-nvidia',
      'golem.runtime.version': '0.4.2',
      'golem.srv.caps.multi-activity': true,
      'golem.srv.caps.payload-manifest': true,
    };
    for (const pl of platforms) props[`golem.com.payment.platform.${pl}.address`] = `0x${p.id.replace(/[^0-9a-f]/gi, '').padEnd(40, 'a').slice(0, 40)}`;
    return props;
  };

  const usage = (a: AgreementRec, at = Date.now()) => {
    const secs = a.startedAtMs ? Math.max(0, ((a.endedAtMs ?? at) - a.startedAtMs) / 1000) : 0;
    const p = a.provider;
    return { secs, amount: p.start + (secs / 3600) * (p.envPerHour + p.cpuPerHour) };
  };

  const terminate = (a: AgreementRec, terminator: 'Requestor' | 'Provider', reason: Record<string, unknown>) => {
    if (a.state === 'Terminated') return;
    a.state = 'Terminated';
    a.terminator = terminator;
    a.reason = reason;
    a.endedAtMs = Date.now();
    for (const id of a.activities) stopActivity(activities.get(id), terminator === 'Provider' ? `agreement terminated by provider: ${String(reason.message)}` : undefined);
    agreementEvents.push({ eventType: 'AgreementTerminatedEvent', eventDate: isoNow(), agreementId: a.agreementId, terminator, reason, signature: 'sig' });
    // The provider bills the agreement once it ends: start fee plus time used.
    const inv: InvoiceRec = {
      invoiceId: nextId('inv'),
      agreementId: a.agreementId,
      amount: usage(a).amount.toFixed(18),
      issuedAtMs: Date.now(),
      status: 'RECEIVED',
      activityIds: [...a.activities],
      providerId: a.provider.id,
    };
    a.invoiceId = inv.invoiceId;
    invoices.set(inv.invoiceId, inv);
    setTimeout(() => invoiceEvents.push({ eventType: 'InvoiceReceivedEvent', eventDate: isoNow(), invoiceId: inv.invoiceId }), 10).unref();
  };

  const stopActivity = (act: ActivityRec | undefined, error?: string) => {
    if (!act || act.state === 'Terminated') return;
    act.state = 'Terminated';
    if (act.debitTimer) clearInterval(act.debitTimer);
    for (const dn of debitNotes.values()) if (dn.activityId === act.activityId && dn.timer) clearTimeout(dn.timer);
    for (const b of act.batches.values()) {
      for (const t of b.timers) clearTimeout(t);
      if (!b.finished) {
        b.finished = true;
        if (error) b.results.push({ index: b.results.length, eventDate: isoNow(), result: 'Error', message: error, stderr: error, isBatchFinished: true });
        b.waiters.wakeAll();
      }
    }
  };

  const issueDebitNote = (act: ActivityRec, deadlineMs?: number) => {
    const a = act.agreement;
    if (a.state !== 'Approved' || act.state === 'Terminated') return;
    const dn: DebitNoteRec = {
      debitNoteId: nextId('dn'),
      agreementId: a.agreementId,
      activityId: act.activityId,
      issuedAtMs: Date.now(),
      status: 'RECEIVED',
      totalAmountDue: usage(a).amount.toFixed(18),
    };
    const timeoutSec = deadlineMs !== undefined ? deadlineMs / 1000 : a.provider.debitNoteAcceptTimeoutSec;
    if (timeoutSec !== undefined) {
      dn.deadlineMs = dn.issuedAtMs + timeoutSec * 1000;
      dn.timer = setTimeout(() => {
        if (dn.status === 'RECEIVED') terminate(a, 'Provider', { message: `debit note ${dn.debitNoteId} not accepted within ${timeoutSec} s`, 'golem.provider.code': 'DebitNoteNotAccepted' });
      }, timeoutSec * 1000);
      dn.timer.unref();
    }
    act.lastDebitNoteId = dn.debitNoteId;
    debitNotes.set(dn.debitNoteId, dn);
    debitNoteEvents.push({ eventType: 'DebitNoteReceivedEvent', eventDate: isoNow(), debitNoteId: dn.debitNoteId });
  };

  const runCommand = (act: ActivityRec, batch: BatchRec, index: number, cmd: Record<string, unknown>, last: boolean, after: number): number => {
    const name = Object.keys(cmd)[0] ?? 'unknown';
    let duration = 1;
    let stdout = '';
    if (name === 'deploy' || name === 'start') duration = deployMs / 2;
    if (name === 'run') {
      const run = cmd.run as { entry_point: string; args?: string[] };
      const text = [run.entry_point, ...(run.args ?? [])].join(' ');
      act.agreement.commands.push(text);
      const m = /sleep\s+([0-9.]+)/.exec(text);
      duration = m ? Number(m[1]) * 1000 : 5;
      stdout = m ? '' : `ran: ${text}\n`;
      const kill = opts.terminate;
      if (kill && terminations < kill.times && kill.match.test(text) && kill.afterMs < duration) {
        terminations++;
        batch.timers.push(setTimeout(() => terminate(act.agreement, 'Provider', { message: 'provider shut down (owner reclaimed the GPU)', 'golem.provider.code': 'Shutdown' }), after + kill.afterMs));
      }
      const miss = opts.missDebitNote;
      if (miss && missedNotes < miss.times && miss.match.test(text)) {
        missedNotes++;
        batch.timers.push(setTimeout(() => issueDebitNote(act, miss.deadlineMs), after + 20));
      }
    }
    const at = after + duration;
    batch.timers.push(
      setTimeout(() => {
        if (batch.finished) return;
        if (name === 'deploy') act.state = 'Deployed';
        if (name === 'start') {
          act.state = 'Ready';
          if (!act.agreement.startedAtMs) act.agreement.startedAtMs = Date.now();
          act.debitTimer = setInterval(() => issueDebitNote(act), debitEveryMs);
        }
        batch.results.push({ index, eventDate: isoNow(), result: 'Ok', stdout, stderr: '', message: '', isBatchFinished: last });
        if (last) batch.finished = true;
        batch.waiters.wakeAll();
      }, at),
    );
    return at;
  };

  const acceptDebitNote = (dn: DebitNoteRec): string | undefined => {
    if (dn.deadlineMs !== undefined && Date.now() > dn.deadlineMs) return `debit note ${dn.debitNoteId} accept deadline passed`;
    if (dn.timer) clearTimeout(dn.timer);
    return undefined;
  };
  const acceptInvoice = (inv: InvoiceRec, { allocationId }: { allocationId?: string }): string | undefined => {
    const al = allocationId ? allocations.get(allocationId) : undefined;
    if (!al || al.released) return `allocation ${allocationId} not found or released`;
    al.spent += Number(inv.amount);
    return undefined;
  };

  const json = (res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    if (body === undefined) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const readBody = (req: http.IncomingMessage) =>
    new Promise<unknown>((resolve) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString('utf8')));
      req.on('end', () => {
        try {
          resolve(s ? JSON.parse(s) : undefined);
        } catch {
          resolve(s);
        }
      });
    });

  const timeoutMs = (u: URL, dflt = 5) => Math.min(2_000, Number(u.searchParams.get('timeout') ?? dflt) * 1000);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<number> => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const path = u.pathname;
    const method = req.method ?? 'GET';
    const line = `${method} ${path}`;
    if (path === '/version/get') {
      json(res, 200, { current: { version: '0.17.1', name: 'v0.17.1', seen: true, releaseTs: '2025-03-01T00:00:00', insertionTs: '2025-03-01T00:00:00', updateTs: '2025-03-01T00:00:00' }, pending: null });
      return 200;
    }
    if (keyExpired || req.headers.authorization !== `Bearer ${opts.appKey}`) {
      json(res, 401, { message: 'Invalid application key' });
      return 401;
    }
    if (opts.rateLimit && rateLimited < opts.rateLimit.count && opts.rateLimit.match.test(line)) {
      rateLimited++;
      json(res, 429, { message: 'Too Many Requests' }, { 'retry-after': String(opts.rateLimit.retryAfterSec) });
      return 429;
    }
    if (opts.serverError && errored < opts.serverError.count && opts.serverError.match.test(line)) {
      errored++;
      const status = opts.serverError.status ?? 503;
      json(res, status, { message: 'Service Unavailable' });
      return status;
    }
    const body = method === 'POST' || method === 'PUT' ? await readBody(req) : undefined;
    let m: RegExpExecArray | null;

    // Identity.
    if (path === '/me') {
      json(res, 200, { identity: REQUESTOR, name: 'mirrorbench-requestor', role: 'manager' });
      return 200;
    }

    // Market API (requestor side).
    if (method === 'POST' && path === '/market-api/v1/demands') {
      const d = body as { properties: Record<string, unknown>; constraints: string };
      const demand: Demand = { id: nextId('demand'), properties: d.properties, constraints: d.constraints, queue: new Queue(), proposals: new Map(), closed: false };
      demands.set(demand.id, demand);
      for (const p of opts.providers) {
        const proposal: Proposal = { proposalId: nextId('offer'), issuerId: p.id, state: 'Initial', timestamp: isoNow(), properties: offerProps(p), constraints: '(golem.srv.comp.expiration>0)' };
        demand.proposals.set(proposal.proposalId, { provider: p, proposal });
        demand.queue.push({ eventType: 'ProposalEvent', eventDate: isoNow(), proposal });
      }
      json(res, 201, demand.id);
      return 201;
    }
    if ((m = /^\/market-api\/v1\/demands\/([^/]+)$/.exec(path)) && method === 'DELETE') {
      const d = demands.get(m[1]!);
      if (!d || d.closed) {
        json(res, 410, { message: 'demand already unsubscribed' });
        return 410;
      }
      d.closed = true;
      d.queue.wakeAll();
      json(res, 204);
      return 204;
    }
    if ((m = /^\/market-api\/v1\/demands\/([^/]+)\/events$/.exec(path))) {
      const d = demands.get(m[1]!);
      if (!d || d.closed) {
        json(res, 404, { message: 'demand not found' });
        return 404;
      }
      const events = await d.queue.take(Number(u.searchParams.get('maxEvents') ?? 10), timeoutMs(u), () => d.closed || closing);
      json(res, 200, events);
      return 200;
    }
    if ((m = /^\/market-api\/v1\/demands\/([^/]+)\/proposals\/([^/]+)$/.exec(path))) {
      const d = demands.get(m[1]!);
      const entry = d?.proposals.get(m[2]!);
      if (!d || !entry) {
        json(res, 404, { message: 'proposal not found' });
        return 404;
      }
      if (method === 'GET') {
        json(res, 200, entry.proposal);
        return 200;
      }
      // Counter-proposal: the provider answers with a draft.
      const counter = body as { properties: Record<string, unknown>; constraints: string };
      const counterId = nextId('counter');
      d.proposals.set(counterId, { provider: entry.provider, proposal: { proposalId: counterId, issuerId: REQUESTOR, state: 'Draft', timestamp: isoNow(), prevProposalId: entry.proposal.proposalId, properties: counter.properties, constraints: counter.constraints } });
      setTimeout(() => {
        if (d.closed) return;
        const draft: Proposal = { ...entry.proposal, proposalId: nextId('draft'), state: 'Draft', timestamp: isoNow(), prevProposalId: counterId };
        d.proposals.set(draft.proposalId, { provider: entry.provider, proposal: draft });
        d.queue.push({ eventType: 'ProposalEvent', eventDate: isoNow(), proposal: draft });
      }, negotiationMs).unref();
      json(res, 201, counterId);
      return 201;
    }
    if ((m = /^\/market-api\/v1\/demands\/([^/]+)\/proposals\/([^/]+)\/reject$/.exec(path))) {
      json(res, 204);
      return 204;
    }
    if (method === 'POST' && path === '/market-api/v1/agreements') {
      const { proposalId, validTo } = body as { proposalId: string; validTo: string };
      for (const d of demands.values()) {
        const entry = d.proposals.get(proposalId);
        if (!entry) continue;
        const a: AgreementRec = { agreementId: nextId('agreement'), demand: d, provider: entry.provider, offer: entry.proposal, state: 'Proposal', validTo, timestamp: isoNow(), activities: [], commands: [] };
        agreements.set(a.agreementId, a);
        json(res, 201, a.agreementId);
        return 201;
      }
      json(res, 404, { message: `proposal ${proposalId} not found` });
      return 404;
    }
    if (path === '/market-api/v1/agreementEvents') {
      const events = await agreementEvents.after(u.searchParams.get('afterTimestamp') ?? undefined, Number(u.searchParams.get('maxEvents') ?? 10), timeoutMs(u), isClosing);
      json(res, 200, events);
      return 200;
    }
    if ((m = /^\/market-api\/v1\/agreements\/([^/]+)(\/[a-z]+)?$/.exec(path))) {
      const a = agreements.get(m[1]!);
      if (!a) {
        json(res, 404, { message: 'agreement not found' });
        return 404;
      }
      const op = m[2];
      if (!op && method === 'GET') {
        json(res, 200, {
          agreementId: a.agreementId,
          demand: { properties: a.demand.properties, constraints: a.demand.constraints, demandId: a.demand.id, requestorId: REQUESTOR, timestamp: a.timestamp },
          offer: { properties: a.offer.properties, constraints: a.offer.constraints, offerId: a.offer.proposalId, providerId: a.provider.id, timestamp: a.offer.timestamp },
          validTo: a.validTo,
          approvedDate: a.approvedDate,
          state: a.state,
          timestamp: a.timestamp,
        });
        return 200;
      }
      if (op === '/confirm') {
        a.state = 'Pending';
        json(res, 204);
        return 204;
      }
      if (op === '/wait') {
        if (a.state === 'Pending') {
          a.state = 'Approved';
          a.approvedDate = isoNow();
          agreementEvents.push({ eventType: 'AgreementApprovedEvent', eventDate: isoNow(), agreementId: a.agreementId });
        }
        json(res, 204);
        return 204;
      }
      if (op === '/terminate') {
        if (a.state === 'Terminated') {
          json(res, 409, { message: `agreement ${a.agreementId} already terminated` });
          return 409;
        }
        terminate(a, 'Requestor', (body as Record<string, unknown> | undefined) ?? { message: 'Finished' });
        json(res, 204);
        return 204;
      }
    }

    // Activity API.
    if (method === 'POST' && path === '/activity-api/v1/activity') {
      const { agreementId } = body as { agreementId: string };
      const a = agreements.get(agreementId);
      if (!a || a.state !== 'Approved') {
        json(res, 400, { message: `agreement ${agreementId} is not approved` });
        return 400;
      }
      const act: ActivityRec = { activityId: nextId('activity'), agreement: a, state: 'Initialized', batches: new Map() };
      activities.set(act.activityId, act);
      a.activities.push(act.activityId);
      json(res, 201, { activityId: act.activityId });
      return 201;
    }
    if ((m = /^\/activity-api\/v1\/activity\/([^/]+)(?:\/(exec|state|agreement|usage)(?:\/([^/]+))?)?$/.exec(path))) {
      const act = activities.get(m[1]!);
      if (!act) {
        json(res, 404, { message: 'activity not found' });
        return 404;
      }
      const sub = m[2];
      if (!sub && method === 'DELETE') {
        stopActivity(act);
        json(res, 204);
        return 204;
      }
      if (sub === 'state') {
        json(res, 200, { state: [act.state, null], reason: act.agreement.terminator === 'Provider' ? String(act.agreement.reason?.message) : undefined });
        return 200;
      }
      if (sub === 'agreement') {
        json(res, 200, act.agreement.agreementId);
        return 200;
      }
      if (sub === 'usage') {
        json(res, 200, { currentUsage: [0, usage(act.agreement).secs], timestamp: Math.floor(Date.now() / 1000) });
        return 200;
      }
      if (sub === 'exec' && method === 'POST' && !m[3]) {
        if (act.state === 'Terminated') {
          json(res, 410, { message: 'activity terminated' });
          return 410;
        }
        const script = JSON.parse((body as { text: string }).text) as Record<string, unknown>[];
        const batchId = nextId('batch');
        const batch: BatchRec = { results: [], finished: false, waiters: new Waiters(), timers: [] };
        act.batches.set(batchId, batch);
        let t = 0;
        script.forEach((cmd, i) => (t = runCommand(act, batch, i, cmd, i === script.length - 1, t)));
        json(res, 200, batchId);
        return 200;
      }
      if (sub === 'exec' && m[3]) {
        const batch = act.batches.get(m[3]);
        if (!batch) {
          json(res, 404, { message: 'batch not found' });
          return 404;
        }
        const since = Number(u.searchParams.get('commandIndex') ?? -1);
        const ready = () => batch.results.filter((r) => r.index > since);
        if (ready().length === 0 && !batch.finished) await batch.waiters.wait(timeoutMs(u, 1));
        json(res, 200, batch.results);
        return 200;
      }
    }

    // Payment API.
    if (method === 'POST' && path === '/payment-api/v1/allocations') {
      const b = body as { totalAmount: string; timeout?: string; paymentPlatform?: string; address?: string };
      const al = { allocationId: nextId('allocation'), totalAmount: b.totalAmount, timeout: b.timeout, released: false, spent: 0, paymentPlatform: b.paymentPlatform, address: b.address ?? REQUESTOR };
      allocations.set(al.allocationId, al);
      json(res, 201, { ...al, spentAmount: '0', remainingAmount: al.totalAmount, timestamp: isoNow(), makeDeposit: false });
      return 201;
    }
    if ((m = /^\/payment-api\/v1\/allocations\/([^/]+)$/.exec(path))) {
      const al = allocations.get(m[1]!);
      if (!al || al.released) {
        json(res, 404, { message: 'allocation not found' });
        return 404;
      }
      if (method === 'DELETE') {
        al.released = true;
        json(res, 200, {});
        return 200;
      }
      json(res, 200, { ...al, spentAmount: String(al.spent), remainingAmount: String(Number(al.totalAmount) - al.spent), timestamp: isoNow(), makeDeposit: false });
      return 200;
    }
    if (path === '/payment-api/v1/demandDecorations') {
      const ids = (u.searchParams.get('allocationIds') ?? '').split(',').filter(Boolean);
      const pl = ids.map((id) => (allocations.get(id) as { paymentPlatform?: string } | undefined)?.paymentPlatform).find(Boolean) ?? platforms[0]!;
      json(res, 200, {
        properties: [
          { key: `golem.com.payment.platform.${pl}.address`, value: REQUESTOR },
          { key: 'golem.com.payment.protocol.version', value: '3' },
        ],
        constraints: [`(golem.com.payment.platform.${pl}.address=*)`],
      });
      return 200;
    }
    if ((m = /^\/payment-api\/v1\/(debitNoteEvents|invoiceEvents)$/.exec(path))) {
      const timeline = m[1] === 'debitNoteEvents' ? debitNoteEvents : invoiceEvents;
      const events = await timeline.after(u.searchParams.get('afterTimestamp') ?? undefined, Number(u.searchParams.get('maxEvents') ?? 10), timeoutMs(u), isClosing);
      json(res, 200, events);
      return 200;
    }
    if ((m = /^\/payment-api\/v1\/(debitNotes|invoices)\/([^/]+)(\/accept|\/reject)?$/.exec(path))) {
      const isNote = m[1] === 'debitNotes';
      const doc: DebitNoteRec | InvoiceRec | undefined = isNote ? debitNotes.get(m[2]!) : invoices.get(m[2]!);
      if (!doc) {
        json(res, 404, { message: `${isNote ? 'debit note' : 'invoice'} not found` });
        return 404;
      }
      const a = agreements.get(doc.agreementId)!;
      if (m[3] === '/reject') {
        doc.status = 'REJECTED';
        json(res, 200, {});
        return 200;
      }
      if (m[3] === '/accept') {
        // A debit note must be accepted before its deadline; an invoice is paid from a live allocation.
        const refusal = isNote ? acceptDebitNote(doc as DebitNoteRec) : acceptInvoice(doc as InvoiceRec, (body ?? {}) as { allocationId?: string });
        if (refusal) {
          json(res, 400, { message: refusal });
          return 400;
        }
        doc.status = 'ACCEPTED';
        doc.acceptedAtMs = Date.now();
        json(res, 200, {});
        return 200;
      }
      const common = {
        issuerId: a.provider.id,
        recipientId: REQUESTOR,
        payeeAddr: a.offer.properties[`golem.com.payment.platform.${platforms[0]}.address`],
        payerAddr: REQUESTOR,
        paymentPlatform: platforms[0],
        timestamp: new Date(doc.issuedAtMs).toISOString(),
        agreementId: doc.agreementId,
        status: doc.status,
      };
      if (isNote) {
        const dn = doc as DebitNoteRec;
        json(res, 200, { ...common, debitNoteId: dn.debitNoteId, activityId: dn.activityId, totalAmountDue: dn.totalAmountDue, paymentDueDate: dn.deadlineMs ? new Date(dn.deadlineMs).toISOString() : undefined });
      } else {
        const inv = doc as InvoiceRec;
        json(res, 200, { ...common, invoiceId: inv.invoiceId, activityIds: inv.activityIds, amount: inv.amount, paymentDueDate: new Date(inv.issuedAtMs + 3_600_000).toISOString() });
      }
      return 200;
    }
    json(res, 404, { message: `mock yagna does not implement ${line}` });
    return 404;
  };

  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    handle(req, res).then(
      (status) => requests.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, status }),
      (err: unknown) => {
        requests.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, status: 500 });
        if (!res.headersSent) json(res, 500, { message: err instanceof Error ? err.message : String(err) });
      },
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    appKey: opts.appKey,
    requests,
    debitNotes,
    invoices,
    agreements,
    allocations,
    activities,
    expireKey: () => {
      keyExpired = true;
    },
    openDemands: () => [...demands.values()].filter((d) => !d.closed).length,
    stop: async () => {
      closing = true;
      for (const act of activities.values()) stopActivity(act);
      for (const d of demands.values()) d.queue.wakeAll();
      agreementEvents.wakeAll();
      debitNoteEvents.wakeAll();
      invoiceEvents.wakeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 200).unref();
      });
    },
  };
}
