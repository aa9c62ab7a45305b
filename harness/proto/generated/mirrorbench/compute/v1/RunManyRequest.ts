// Original file: harness/proto/compute.proto

import type { RunJob as _mirrorbench_compute_v1_RunJob, RunJob__Output as _mirrorbench_compute_v1_RunJob__Output } from '../../../mirrorbench/compute/v1/RunJob';
import type { Long } from '@grpc/proto-loader';

export interface RunManyRequest {
  'tag'?: (number | string | Long);
  'run'?: (_mirrorbench_compute_v1_RunJob | null);
  'deadlineMs'?: (number);
  'cancel'?: (boolean);
}

export interface RunManyRequest__Output {
  'tag': (number);
  'run': (_mirrorbench_compute_v1_RunJob__Output | null);
  'deadlineMs': (number);
  'cancel': (boolean);
}
