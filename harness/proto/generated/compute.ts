import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CancelReply as _mirrorbench_compute_v1_CancelReply, CancelReply__Output as _mirrorbench_compute_v1_CancelReply__Output } from './mirrorbench/compute/v1/CancelReply';
import type { CancelRequest as _mirrorbench_compute_v1_CancelRequest, CancelRequest__Output as _mirrorbench_compute_v1_CancelRequest__Output } from './mirrorbench/compute/v1/CancelRequest';
import type { ComputeTargetClient as _mirrorbench_compute_v1_ComputeTargetClient, ComputeTargetDefinition as _mirrorbench_compute_v1_ComputeTargetDefinition } from './mirrorbench/compute/v1/ComputeTarget';
import type { DescribeRequest as _mirrorbench_compute_v1_DescribeRequest, DescribeRequest__Output as _mirrorbench_compute_v1_DescribeRequest__Output } from './mirrorbench/compute/v1/DescribeRequest';
import type { GpuClassOffer as _mirrorbench_compute_v1_GpuClassOffer, GpuClassOffer__Output as _mirrorbench_compute_v1_GpuClassOffer__Output } from './mirrorbench/compute/v1/GpuClassOffer';
import type { Job as _mirrorbench_compute_v1_Job, Job__Output as _mirrorbench_compute_v1_Job__Output } from './mirrorbench/compute/v1/Job';
import type { JobEnd as _mirrorbench_compute_v1_JobEnd, JobEnd__Output as _mirrorbench_compute_v1_JobEnd__Output } from './mirrorbench/compute/v1/JobEnd';
import type { JobEvent as _mirrorbench_compute_v1_JobEvent, JobEvent__Output as _mirrorbench_compute_v1_JobEvent__Output } from './mirrorbench/compute/v1/JobEvent';
import type { PriceTick as _mirrorbench_compute_v1_PriceTick, PriceTick__Output as _mirrorbench_compute_v1_PriceTick__Output } from './mirrorbench/compute/v1/PriceTick';
import type { ProviderEvent as _mirrorbench_compute_v1_ProviderEvent, ProviderEvent__Output as _mirrorbench_compute_v1_ProviderEvent__Output } from './mirrorbench/compute/v1/ProviderEvent';
import type { RunJob as _mirrorbench_compute_v1_RunJob, RunJob__Output as _mirrorbench_compute_v1_RunJob__Output } from './mirrorbench/compute/v1/RunJob';
import type { RunManyReplies as _mirrorbench_compute_v1_RunManyReplies, RunManyReplies__Output as _mirrorbench_compute_v1_RunManyReplies__Output } from './mirrorbench/compute/v1/RunManyReplies';
import type { RunManyReply as _mirrorbench_compute_v1_RunManyReply, RunManyReply__Output as _mirrorbench_compute_v1_RunManyReply__Output } from './mirrorbench/compute/v1/RunManyReply';
import type { RunManyRequest as _mirrorbench_compute_v1_RunManyRequest, RunManyRequest__Output as _mirrorbench_compute_v1_RunManyRequest__Output } from './mirrorbench/compute/v1/RunManyRequest';
import type { RunManyRequests as _mirrorbench_compute_v1_RunManyRequests, RunManyRequests__Output as _mirrorbench_compute_v1_RunManyRequests__Output } from './mirrorbench/compute/v1/RunManyRequests';
import type { TargetInfo as _mirrorbench_compute_v1_TargetInfo, TargetInfo__Output as _mirrorbench_compute_v1_TargetInfo__Output } from './mirrorbench/compute/v1/TargetInfo';
import type { WatchRequest as _mirrorbench_compute_v1_WatchRequest, WatchRequest__Output as _mirrorbench_compute_v1_WatchRequest__Output } from './mirrorbench/compute/v1/WatchRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mirrorbench: {
    compute: {
      v1: {
        CancelReply: MessageTypeDefinition<_mirrorbench_compute_v1_CancelReply, _mirrorbench_compute_v1_CancelReply__Output>
        CancelRequest: MessageTypeDefinition<_mirrorbench_compute_v1_CancelRequest, _mirrorbench_compute_v1_CancelRequest__Output>
        ComputeTarget: SubtypeConstructor<typeof grpc.Client, _mirrorbench_compute_v1_ComputeTargetClient> & { service: _mirrorbench_compute_v1_ComputeTargetDefinition }
        DescribeRequest: MessageTypeDefinition<_mirrorbench_compute_v1_DescribeRequest, _mirrorbench_compute_v1_DescribeRequest__Output>
        EventType: EnumTypeDefinition
        GpuClassOffer: MessageTypeDefinition<_mirrorbench_compute_v1_GpuClassOffer, _mirrorbench_compute_v1_GpuClassOffer__Output>
        Job: MessageTypeDefinition<_mirrorbench_compute_v1_Job, _mirrorbench_compute_v1_Job__Output>
        JobEnd: MessageTypeDefinition<_mirrorbench_compute_v1_JobEnd, _mirrorbench_compute_v1_JobEnd__Output>
        JobEvent: MessageTypeDefinition<_mirrorbench_compute_v1_JobEvent, _mirrorbench_compute_v1_JobEvent__Output>
        PriceTick: MessageTypeDefinition<_mirrorbench_compute_v1_PriceTick, _mirrorbench_compute_v1_PriceTick__Output>
        ProviderEvent: MessageTypeDefinition<_mirrorbench_compute_v1_ProviderEvent, _mirrorbench_compute_v1_ProviderEvent__Output>
        RunJob: MessageTypeDefinition<_mirrorbench_compute_v1_RunJob, _mirrorbench_compute_v1_RunJob__Output>
        RunManyReplies: MessageTypeDefinition<_mirrorbench_compute_v1_RunManyReplies, _mirrorbench_compute_v1_RunManyReplies__Output>
        RunManyReply: MessageTypeDefinition<_mirrorbench_compute_v1_RunManyReply, _mirrorbench_compute_v1_RunManyReply__Output>
        RunManyRequest: MessageTypeDefinition<_mirrorbench_compute_v1_RunManyRequest, _mirrorbench_compute_v1_RunManyRequest__Output>
        RunManyRequests: MessageTypeDefinition<_mirrorbench_compute_v1_RunManyRequests, _mirrorbench_compute_v1_RunManyRequests__Output>
        TargetInfo: MessageTypeDefinition<_mirrorbench_compute_v1_TargetInfo, _mirrorbench_compute_v1_TargetInfo__Output>
        TargetKind: EnumTypeDefinition
        WatchRequest: MessageTypeDefinition<_mirrorbench_compute_v1_WatchRequest, _mirrorbench_compute_v1_WatchRequest__Output>
      }
    }
  }
}

