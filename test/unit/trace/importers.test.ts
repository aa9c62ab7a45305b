import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTrace, type ImportKind, type ImportOptions } from '../../../harness/trace/importers/index.ts';
import { JobRecordSchema, type Job } from '../../../harness/trace/job.ts';
import { HAVE_SHARED_TRACES, sharedTrace } from '../../helpers/shared-traces.ts';

async function all(kind: ImportKind, path: string, opts: ImportOptions = {}): Promise<Job[]> {
  const out: Job[] = [];
  for await (const j of importTrace(kind, path, opts)) out.push(j);
  return out;
}
const dir = mkdtempSync(join(tmpdir(), 'mb-import-'));

describe.skipIf(!HAVE_SHARED_TRACES)('importers on the public traces', () => {
  it('maps the Azure LLM code trace: 8,819 jobs, microsecond timestamps, token-derived work', async () => {
    const jobs = await all('azure-llm', sharedTrace('azure-llm-2023-code/AzureLLMInferenceTrace_code.csv'));
    expect(jobs).toHaveLength(8819);
    expect(jobs[0]!.submitted_at).toBe(Date.UTC(2023, 10, 16, 18, 17, 3) * 1000 + 979960);
    expect(jobs[0]!.job_id).toBe('azure-code-000001');
    // 4808 context and 10 generated tokens: 0.05 + 4808/4000 + 10/35 s.
    expect(jobs[0]!.work_seconds).toBeCloseTo(0.05 + 4808 / 4000 + 10 / 35, 9);
    expect(jobs[0]!.input_bytes).toBe(4808 * 4);
    // Token counts are first-class fields (TTFT/TPOT need them), not only labels.
    expect(jobs[0]).toMatchObject({ prompt_tokens: 4808, output_tokens: 10 });
    expect(jobs.every((j) => j.prompt_tokens !== undefined && j.output_tokens !== undefined)).toBe(true);
    for (let i = 1; i < jobs.length; i++) expect(jobs[i]!.submitted_at).toBeGreaterThanOrEqual(jobs[i - 1]!.submitted_at);
    for (const j of jobs.slice(0, 200)) expect(() => JobRecordSchema.parse(j)).not.toThrow();
  });

  it('maps the Alibaba GenAI trace, keeping unfinished rows with their upstream status', async () => {
    const jobs = await all('alibaba-genai', sharedTrace('alibaba-genai-sd-2024/lora_request_trace.csv'));
    expect(jobs).toHaveLength(26823);
    expect(jobs[0]).toMatchObject({ customer: 'G0000', task_type: 'image_generation', work_seconds: 32, labels: { upstream_status: 'SUCCEED', model: 'M0000' } });
    const statuses = new Map<string, number>();
    for (const j of jobs) statuses.set(j.labels.upstream_status!, (statuses.get(j.labels.upstream_status!) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({ SUCCEED: 26392, FAILED: 398, PENDING: 30, PROCESSING: 3 });
  });

  it('maps the Alibaba GPU (openb) trace, dropping CPU-only pods and marking censored ones', async () => {
    const jobs = await all('alibaba-gpu', sharedTrace('alibaba-gpu-2023/openb_pod_list_default.csv'));
    expect(jobs).toHaveLength(8152 - 1088);
    const first = jobs[0]!;
    expect(first).toMatchObject({ job_id: 'openb-pod-0000', task_type: 'llm_inference', gpu_count: 1, labels: { censored: 'true', qos: 'LS' } });
    expect(first.submitted_at).toBe(Date.UTC(2023, 0, 1) * 1000);
  });
});

describe('importers on malformed input', () => {
  it('names file, line and column of a bad Azure row', async () => {
    const path = join(dir, 'azure.csv');
    writeFileSync(path, 'TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:17:03.9799600,4808,10\r\n2023-11-16 18:17:04.0319600,many,8');
    await expect(all('azure-llm', path, { service: 'code' })).rejects.toThrow(`${path}:3: field "ContextTokens": expected a number, found "many"`);
  });

  it('names a missing column', async () => {
    const path = join(dir, 'genai.csv');
    writeFileSync(path, 'gmt_create,predict_type\n2024-11-15 16:57:50,TXT_2_IMG\n');
    await expect(all('alibaba-genai', path)).rejects.toThrow(/genai\.csv:1: field "predict_status": column missing/);
  });

  it('does not fail on empty optional cells', async () => {
    const path = join(dir, 'genai-empty.csv');
    writeFileSync(path, 'gmt_create,predict_type,predict_status,exec_time_seconds,groupId,prompt_length,negative_prompt_length,num_images_per_prompt,num_inference_steps,checkpoint_model_version_id,num_lora\n2024-11-15 16:57:50,TXT_2_IMG,SUCCEED,32.0,G0000,,,,,,0\n');
    const [job] = await all('alibaba-genai', path);
    expect(job).toMatchObject({ work_seconds: 32, output_bytes: 1.5e6, image: 'sd-checkpoint:unknown' });
  });
});

describe('Azure importer: which service a file is', () => {
  const azureRows = 'TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:15:46.6805900,374,44\r\n2023-11-16 18:15:50.9951690,396,109';

  it('labels the conversation trace as the conversation service, from its file name', async () => {
    const path = join(dir, 'AzureLLMInferenceTrace_conv.csv');
    writeFileSync(path, azureRows);
    const jobs = await all('azure-llm', path);
    expect(jobs.map((j) => j.job_id)).toEqual(['azure-conv-000001', 'azure-conv-000002']);
    expect(jobs.map((j) => [j.prompt_tokens, j.output_tokens])).toEqual([[374, 44], [396, 109]]);
    expect(jobs[0]).toMatchObject({ customer: 'azure-conv', profile: 'llm-conversation', labels: { source: 'azure-llm-2023-conv', service: 'conv', service_from: 'file name' } });
  });

  it('reads the 2024 week-long releases as 2024 traces', async () => {
    const path = join(dir, 'AzureLLMInferenceTrace_code_1week.csv');
    writeFileSync(path, azureRows);
    const [job] = await all('azure-llm', path);
    expect(job).toMatchObject({ customer: 'azure-code', profile: 'llm-code-completion', labels: { source: 'azure-llm-2024-code', service: 'code' } });
  });

  it('refuses a file whose name does not say the service, unless an option does', async () => {
    const path = join(dir, 'renamed.csv');
    writeFileSync(path, azureRows);
    await expect(all('azure-llm', path)).rejects.toThrow(/renamed\.csv: cannot tell which Azure service.*--service/);
    const [job] = await all('azure-llm', path, { service: 'conv' });
    expect(job).toMatchObject({ job_id: 'azure-conv-000001', customer: 'azure-conv', labels: { service: 'conv', service_from: 'option' } });
    // The option wins over the file name, and --customer over the service's tenant.
    const [named] = await all('azure-llm', join(dir, 'AzureLLMInferenceTrace_conv.csv'), { service: 'code', customer: 'acme' });
    expect(named).toMatchObject({ job_id: 'azure-code-000001', customer: 'acme', profile: 'llm-code-completion', labels: { service_from: 'option' } });
  });
});
