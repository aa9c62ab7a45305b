// The generated proto types under short names. Everything outside proto/
// imports message types from here, never from generated/ directly.
export type { Job, Job__Output as JobOut } from './generated/mirrorbench/compute/v1/Job';
export type { RunJob, RunJob__Output as RunJobOut } from './generated/mirrorbench/compute/v1/RunJob';
export type { JobEvent, JobEvent__Output as JobEventOut } from './generated/mirrorbench/compute/v1/JobEvent';
export type { EventType, EventType__Output as EventTypeName } from './generated/mirrorbench/compute/v1/EventType';
export type { TargetInfo, TargetInfo__Output as TargetInfoOut } from './generated/mirrorbench/compute/v1/TargetInfo';
export type { TargetKind__Output as TargetKindName } from './generated/mirrorbench/compute/v1/TargetKind';
export type { GpuClassOffer, GpuClassOffer__Output as GpuClassOfferOut } from './generated/mirrorbench/compute/v1/GpuClassOffer';
export type { ProviderEvent, ProviderEvent__Output as ProviderEventOut } from './generated/mirrorbench/compute/v1/ProviderEvent';
export type { PriceTick, PriceTick__Output as PriceTickOut } from './generated/mirrorbench/compute/v1/PriceTick';
export type { WatchRequest__Output as WatchRequestOut } from './generated/mirrorbench/compute/v1/WatchRequest';
export type { CancelRequest__Output as CancelRequestOut, } from './generated/mirrorbench/compute/v1/CancelRequest';
export type { RunManyRequest, RunManyRequest__Output as RunManyRequestOut } from './generated/mirrorbench/compute/v1/RunManyRequest';
export type { RunManyRequests, RunManyRequests__Output as RunManyRequestsOut } from './generated/mirrorbench/compute/v1/RunManyRequests';
export type { RunManyReply, RunManyReply__Output as RunManyReplyOut } from './generated/mirrorbench/compute/v1/RunManyReply';
export type { JobEnd, JobEnd__Output as JobEndOut } from './generated/mirrorbench/compute/v1/JobEnd';
export type { RunManyReplies, RunManyReplies__Output as RunManyRepliesOut } from './generated/mirrorbench/compute/v1/RunManyReplies';
export type { CancelReply } from './generated/mirrorbench/compute/v1/CancelReply';
export type {
  ComputeTargetClient,
  ComputeTargetHandlers,
} from './generated/mirrorbench/compute/v1/ComputeTarget';
