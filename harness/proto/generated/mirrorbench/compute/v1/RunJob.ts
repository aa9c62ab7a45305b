// Original file: harness/proto/compute.proto

import type { Job as _mirrorbench_compute_v1_Job, Job__Output as _mirrorbench_compute_v1_Job__Output } from '../../../mirrorbench/compute/v1/Job';
import type { Long } from '@grpc/proto-loader';

export interface RunJob {
  'runId'?: (string);
  'jobId'?: (string);
  'idempotencyKey'?: (string);
  'speed'?: (number | string);
  'job'?: (_mirrorbench_compute_v1_Job | null);
  'intendedAtUs'?: (number | string | Long);
}

export interface RunJob__Output {
  'runId': (string);
  'jobId': (string);
  'idempotencyKey': (string);
  'speed': (number);
  'job': (_mirrorbench_compute_v1_Job__Output | null);
  'intendedAtUs': (number);
}
