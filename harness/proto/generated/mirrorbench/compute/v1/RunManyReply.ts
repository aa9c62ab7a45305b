// Original file: harness/proto/compute.proto

import type { JobEvent as _mirrorbench_compute_v1_JobEvent, JobEvent__Output as _mirrorbench_compute_v1_JobEvent__Output } from '../../../mirrorbench/compute/v1/JobEvent';
import type { JobEnd as _mirrorbench_compute_v1_JobEnd, JobEnd__Output as _mirrorbench_compute_v1_JobEnd__Output } from '../../../mirrorbench/compute/v1/JobEnd';
import type { Long } from '@grpc/proto-loader';

export interface RunManyReply {
  'tag'?: (number | string | Long);
  'event'?: (_mirrorbench_compute_v1_JobEvent | null);
  'end'?: (_mirrorbench_compute_v1_JobEnd | null);
}

export interface RunManyReply__Output {
  'tag': (number);
  'event': (_mirrorbench_compute_v1_JobEvent__Output | null);
  'end': (_mirrorbench_compute_v1_JobEnd__Output | null);
}
