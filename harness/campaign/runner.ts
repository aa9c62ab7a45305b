// A long-running campaign process: each campaign's scenario on its cron
// schedule, never two runs of one scenario at once (an overlapping tick is
// recorded as skipped), every run recorded in campaign_runs with its gates and
// its regressions against the previous run, the index page rebuilt, and a
// webhook told about anything that failed. A scenario with `replicates: k`
// runs its whole set each tick and is recorded as one run under the set id.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Cron } from 'croner';
import { systemClock, type Clock } from '../common/clock.ts';
import { DEFAULTS } from '../common/defaults.ts';
import type { Logger } from '../common/logger.ts';
import { campaignRunRow, dateOfUs, type CampaignRunRow } from '../events/schema.ts';
import type { Store } from '../store/store.ts';
import { campaignHistory, pairedRunOf, previousCompletedRun, recentCampaignRuns } from '../store/campaigns.ts';
import { jobOutcomes } from '../store/runs.ts';
import { newRunId, runScenario, type RunScenarioOptions } from '../run/run-scenario.ts';
import { runReplicated } from '../run/replicates.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { renderSvg } from '../../reports/charts.ts';
import { digestOf, renderCampaignIndex, setDigestOf, trendChart, type RunDigest } from '../../reports/campaign-index.ts';
import type { ThresholdResult } from '../../reports/summary-types.ts';
import { detectRegressions, regressionsOf, type RegressionCheck } from '../../reports/regression.ts';
import { campaignChangePoints, changePointChart, changeText, newChanges, renderChangeTable, type CampaignChange } from '../../reports/campaign-changes.ts';
import type { Campaign } from './config.ts';
import { notify } from './webhook.ts';
import { errorMessage } from '../common/errors.ts';

export interface CampaignRunnerOptions {
  store: Store;
  dataDir?: string;
  reportsDir?: string;
  logger: Logger;
  clock?: Clock;
}

/** How one campaign run ended, for `--once` (and its exit code). */
export interface CampaignRunOutcome {
  campaign: string;
  runId: string;
  status: string;
  /** Completed, every gate passed and no regression: what CI may call a pass. */
  ok: boolean;
}

/** What a campaign records of one run or one replicate set. */
interface CampaignRan {
  status: 'completed' | 'interrupted';
  valid: boolean;
  thresholdsPassed: boolean;
  thresholdResults: ThresholdResult[];
  /** The page to read: the run's report, or the set's combined page. */
  report: string;
  digest: RunDigest;
  /** The stored run whose jobs the regression check pairs with the previous campaign run's. */
  pairedRun: string;
  /** A set's replicate runs, r1 first. */
  replicates?: string[];
}

export class CampaignRunner {
  private readonly crons: Cron[] = [];
  /** Scenarios running now: the overlap guard. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly reportsDir: string;
  private readonly clock: Clock;

  constructor(
    private readonly campaigns: readonly Campaign[],
    private readonly opts: CampaignRunnerOptions,
  ) {
    this.reportsDir = resolve(opts.reportsDir ?? DEFAULTS.reportsDir);
    this.clock = opts.clock ?? systemClock();
  }

  get indexPath(): string {
    return join(this.reportsDir, 'campaigns', 'index.html');
  }

  async start(): Promise<void> {
    await this.opts.store.init();
    for (const c of this.campaigns) {
      const cron = new Cron(c.cron, { timezone: c.timezone }, () => void this.tick(c));
      this.crons.push(cron);
      this.opts.logger.info({ campaign: c.name, cron: c.cron, next: cron.nextRun()?.toISOString() }, 'campaign scheduled');
    }
    await this.writeIndex();
  }

  /** Stops scheduling and waits for the runs in progress. */
  async stop(): Promise<void> {
    for (const c of this.crons) c.stop();
    await Promise.all(this.running.values());
  }

  private record(row: Partial<CampaignRunRow> & Pick<CampaignRunRow, 'campaign' | 'scenario' | 'scheduled_at_us' | 'status'>): Promise<void> {
    const full = campaignRunRow({ updated_at_us: this.clock.nowUs(), ...row });
    return this.opts.store.insert('campaign_runs', [full]).catch((err: unknown) => {
      this.opts.logger.error({ err: errorMessage(err), campaign: row.campaign }, 'could not record the campaign run');
    });
  }

  /** One scheduled tick of a campaign; resolves when its run (if any) is recorded, with how it ended. */
  async tick(c: Campaign): Promise<CampaignRunOutcome> {
    const scheduledAtUs = this.clock.nowUs();
    const key = c.scenarioPath;
    if (this.running.has(key)) {
      this.opts.logger.warn({ campaign: c.name }, 'previous run of this scenario still going: tick skipped');
      await this.record({ campaign: c.name, scenario: key, scheduled_at_us: scheduledAtUs, status: 'skipped_overlap' });
      await this.writeIndex();
      return { campaign: c.name, runId: '', status: 'skipped_overlap', ok: false };
    }
    const p = this.runOnce(c, scheduledAtUs).finally(() => this.running.delete(key));
    this.running.set(key, p.then(() => undefined));
    return p;
  }

  private async runOnce(c: Campaign, scheduledAtUs: number): Promise<CampaignRunOutcome> {
    const { logger } = this.opts;
    let scenarioName = c.name;
    // The run id is chosen before the run so the "running" row and the finished
    // one share their key (run_id is part of it) and the second replaces the first.
    // A scenario with `replicates: k` is one campaign run too: its id is the set's.
    let runId = '';
    const base = { campaign: c.name, scheduled_at_us: scheduledAtUs, started_at_us: this.clock.nowUs() };
    let outcome: CampaignRunOutcome;
    try {
      const loaded = await loadScenario(c.scenarioPath);
      scenarioName = loaded.name;
      const scenario = { ...loaded, thresholds: [...loaded.thresholds, ...c.thresholds] };
      runId = newRunId(scenarioName, this.clock.nowUs() / 1000);
      await this.record({ ...base, scenario: scenarioName, run_id: runId, status: 'running' });
      const runOpts = { scenario, runId, logger: logger.child({ campaign: c.name }), storeInstance: this.opts.store, dataDir: this.opts.dataDir, reportsDir: this.reportsDir, progress: false };
      const ran = scenario.replicates ? await this.runSet(runOpts) : await this.runSingle(runOpts);
      const previous = await previousCompletedRun(this.opts.store, scenarioName, runId, scheduledAtUs);
      const previousPaired = previous ? await pairedRunOf(this.opts.store, previous) : undefined;
      let checks: RegressionCheck[] = [];
      if (previousPaired) checks = detectRegressions(await jobOutcomes(this.opts.store, previousPaired), await jobOutcomes(this.opts.store, ran.pairedRun), { seed: runId });
      const regressions = regressionsOf(checks);
      // An inconclusive run (summary.validity) never counts as a pass, whatever its gates say.
      const { status, valid } = ran;
      await this.record({
        ...base,
        scenario: scenarioName,
        run_id: runId,
        ended_at_us: this.clock.nowUs(),
        status,
        thresholds_passed: ran.thresholdsPassed && valid ? 1 : 0,
        thresholds_json: JSON.stringify(ran.thresholdResults),
        previous_run_id: previous ?? '',
        regressions_json: JSON.stringify(checks),
        summary_json: JSON.stringify(ran.digest),
      });
      const changes = await this.newChangePoints(c.name, runId);
      logger.info({ campaign: c.name, runId, thresholds: ran.thresholdsPassed, regressions: regressions.length, changePoints: changes.length }, 'campaign run done');
      outcome = { campaign: c.name, runId, status, ok: status === 'completed' && valid && ran.thresholdsPassed && regressions.length === 0 };
      if (c.webhook && (!ran.thresholdsPassed || !valid || regressions.length || changes.length)) {
        await notify(c.webhook, {
          campaign: c.name,
          scenario: scenarioName,
          runId,
          status,
          report: ran.report,
          failedThresholds: ran.thresholdResults.filter((r) => !r.passed).map((r) => ({ expression: r.expression, detail: r.detail })),
          regressions: regressions.map((r) => ({ target: r.target, metric: r.metric, ratio: r.ratio, ci: r.ci, pHolm: r.pHolm })),
          changePoints: changes.map((ch) => ({ target: ch.target, metric: ch.metric, runId: ch.runId, before: ch.before, after: ch.after, change: ch.change, p: ch.p, text: changeText(ch) })),
          ...(ran.replicates ? { replicates: ran.replicates } : {}),
        }, logger);
      }
    } catch (err) {
      const message = errorMessage(err);
      logger.error({ campaign: c.name, err: message }, 'campaign run failed');
      await this.record({ ...base, scenario: scenarioName, run_id: runId, ended_at_us: this.clock.nowUs(), status: 'failed', thresholds_passed: 0, error: message.slice(0, 2000) });
      if (c.webhook) await notify(c.webhook, { campaign: c.name, scenario: scenarioName, runId, status: 'failed', report: '', failedThresholds: [], regressions: [], error: message }, logger);
      outcome = { campaign: c.name, runId, status: 'failed', ok: false };
    }
    await this.writeIndex();
    return outcome;
  }

  private async runSingle(opts: RunScenarioOptions & { shard?: undefined }): Promise<CampaignRan> {
    const result = await runScenario(opts);
    return {
      status: result.run.status,
      valid: result.report.summary.validity.valid,
      thresholdsPassed: result.thresholds.passed,
      thresholdResults: result.thresholds.results,
      report: result.report.htmlPath,
      digest: digestOf(result.report.summary),
      pairedRun: result.run.runId,
    };
  }

  /**
   * The scenario's replicate set, as `replay` runs it (run/replicates.ts): one
   * campaign run whose verdicts are the set's combined ones, gated on every
   * replicate, and whose regression check pairs replicate 1 with the previous
   * run's (one replicate pair: the seeds match job for job).
   */
  private async runSet(opts: RunScenarioOptions): Promise<CampaignRan> {
    const result = await runReplicated(opts);
    return {
      // runReplicated stops at an interrupted replicate; a set short of its replicates for any other reason is not complete either.
      status: result.interrupted || result.runs.length < (opts.scenario.replicates ?? 0) ? 'interrupted' : 'completed',
      valid: result.valid,
      thresholdsPassed: result.thresholdsPassed,
      thresholdResults: result.thresholdResults,
      report: result.report.htmlPath,
      digest: setDigestOf(result.report.summary, result.runs.map((r) => r.report.summary)),
      pairedRun: result.runs[0]?.run.runId ?? `${result.set}.r1`,
      replicates: result.runs.map((r) => r.run.runId),
    };
  }

  /** Change points of this campaign's history that its latest run (`runId`) made appear. */
  private async newChangePoints(campaign: string, runId: string): Promise<CampaignChange[]> {
    const rows = await campaignHistory(this.opts.store, campaign).catch(() => [] as CampaignRunRow[]);
    return newChanges(campaignChangePoints(rows), campaignChangePoints(rows.filter((r) => r.run_id !== runId)));
  }


  async writeIndex(): Promise<string> {
    const rows = await recentCampaignRuns(this.opts.store).catch(() => [] as CampaignRunRow[]);
    const changes = campaignChangePoints(rows);
    const html = renderCampaignIndex(rows, await renderSvg(trendChart(rows)), new Date(this.clock.nowUs() / 1000).toISOString(), {
      chartSvg: await renderSvg(changePointChart(rows, changes)),
      tableHtml: renderChangeTable(changes),
    });
    await mkdir(join(this.reportsDir, 'campaigns'), { recursive: true });
    await writeFile(this.indexPath, html);
    return this.indexPath;
  }
}
