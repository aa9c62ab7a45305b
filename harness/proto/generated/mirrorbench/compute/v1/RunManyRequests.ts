// Original file: harness/proto/compute.proto

import type { RunManyRequest as _mirrorbench_compute_v1_RunManyRequest, RunManyRequest__Output as _mirrorbench_compute_v1_RunManyRequest__Output } from '../../../mirrorbench/compute/v1/RunManyRequest';

export interface RunManyRequests {
  'requests'?: (_mirrorbench_compute_v1_RunManyRequest)[];
}

export interface RunManyRequests__Output {
  'requests': (_mirrorbench_compute_v1_RunManyRequest__Output)[];
}
