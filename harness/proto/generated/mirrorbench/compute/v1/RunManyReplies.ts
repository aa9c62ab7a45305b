// Original file: harness/proto/compute.proto

import type { RunManyReply as _mirrorbench_compute_v1_RunManyReply, RunManyReply__Output as _mirrorbench_compute_v1_RunManyReply__Output } from '../../../mirrorbench/compute/v1/RunManyReply';

export interface RunManyReplies {
  'replies'?: (_mirrorbench_compute_v1_RunManyReply)[];
}

export interface RunManyReplies__Output {
  'replies': (_mirrorbench_compute_v1_RunManyReply__Output)[];
}
