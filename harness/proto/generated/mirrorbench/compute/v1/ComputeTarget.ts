// Original file: harness/proto/compute.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelReply as _mirrorbench_compute_v1_CancelReply, CancelReply__Output as _mirrorbench_compute_v1_CancelReply__Output } from '../../../mirrorbench/compute/v1/CancelReply';
import type { CancelRequest as _mirrorbench_compute_v1_CancelRequest, CancelRequest__Output as _mirrorbench_compute_v1_CancelRequest__Output } from '../../../mirrorbench/compute/v1/CancelRequest';
import type { DescribeRequest as _mirrorbench_compute_v1_DescribeRequest, DescribeRequest__Output as _mirrorbench_compute_v1_DescribeRequest__Output } from '../../../mirrorbench/compute/v1/DescribeRequest';
import type { JobEvent as _mirrorbench_compute_v1_JobEvent, JobEvent__Output as _mirrorbench_compute_v1_JobEvent__Output } from '../../../mirrorbench/compute/v1/JobEvent';
import type { PriceTick as _mirrorbench_compute_v1_PriceTick, PriceTick__Output as _mirrorbench_compute_v1_PriceTick__Output } from '../../../mirrorbench/compute/v1/PriceTick';
import type { ProviderEvent as _mirrorbench_compute_v1_ProviderEvent, ProviderEvent__Output as _mirrorbench_compute_v1_ProviderEvent__Output } from '../../../mirrorbench/compute/v1/ProviderEvent';
import type { RunJob as _mirrorbench_compute_v1_RunJob, RunJob__Output as _mirrorbench_compute_v1_RunJob__Output } from '../../../mirrorbench/compute/v1/RunJob';
import type { RunManyReplies as _mirrorbench_compute_v1_RunManyReplies, RunManyReplies__Output as _mirrorbench_compute_v1_RunManyReplies__Output } from '../../../mirrorbench/compute/v1/RunManyReplies';
import type { RunManyRequests as _mirrorbench_compute_v1_RunManyRequests, RunManyRequests__Output as _mirrorbench_compute_v1_RunManyRequests__Output } from '../../../mirrorbench/compute/v1/RunManyRequests';
import type { TargetInfo as _mirrorbench_compute_v1_TargetInfo, TargetInfo__Output as _mirrorbench_compute_v1_TargetInfo__Output } from '../../../mirrorbench/compute/v1/TargetInfo';
import type { WatchRequest as _mirrorbench_compute_v1_WatchRequest, WatchRequest__Output as _mirrorbench_compute_v1_WatchRequest__Output } from '../../../mirrorbench/compute/v1/WatchRequest';

export interface ComputeTargetClient extends grpc.Client {
  Cancel(argument: _mirrorbench_compute_v1_CancelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrorbench_compute_v1_CancelReply__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _mirrorbench_compute_v1_CancelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrorbench_compute_v1_CancelReply__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _mirrorbench_compute_v1_CancelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrorbench_compute_v1_CancelReply__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _mirrorbench_compute_v1_CancelRequest, callback: grpc.requestCallback<_mirrorbench_compute_v1_CancelReply__Output>): grpc.ClientUnaryCall;
  cancel(argument: _mirrorbench_compute_v1_CancelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrorbench_compute_v1_CancelReply__Output>): grpc.ClientUnaryCall;
  cancel(argument: _mirrorbench_compute_v1_CancelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrorbench_compute_v1_CancelReply__Output>): grpc.ClientUnaryCall;
  cancel(argument: _mirrorbench_compute_v1_CancelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrorbench_compute_v1_CancelReply__Output>): grpc.ClientUnaryCall;
  cancel(argument: _mirrorbench_compute_v1_CancelRequest, callback: grpc.requestCallback<_mirrorbench_compute_v1_CancelReply__Output>): grpc.ClientUnaryCall;
  
  Describe(argument: _mirrorbench_compute_v1_DescribeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrorbench_compute_v1_TargetInfo__Output>): grpc.ClientUnaryCall;
  Describe(argument: _mirrorbench_compute_v1_DescribeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrorbench_compute_v1_TargetInfo__Output>): grpc.ClientUnaryCall;
  Describe(argument: _mirrorbench_compute_v1_DescribeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrorbench_compute_v1_TargetInfo__Output>): grpc.ClientUnaryCall;
  Describe(argument: _mirrorbench_compute_v1_DescribeRequest, callback: grpc.requestCallback<_mirrorbench_compute_v1_TargetInfo__Output>): grpc.ClientUnaryCall;
  describe(argument: _mirrorbench_compute_v1_DescribeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrorbench_compute_v1_TargetInfo__Output>): grpc.ClientUnaryCall;
  describe(argument: _mirrorbench_compute_v1_DescribeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mirrorbench_compute_v1_TargetInfo__Output>): grpc.ClientUnaryCall;
  describe(argument: _mirrorbench_compute_v1_DescribeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mirrorbench_compute_v1_TargetInfo__Output>): grpc.ClientUnaryCall;
  describe(argument: _mirrorbench_compute_v1_DescribeRequest, callback: grpc.requestCallback<_mirrorbench_compute_v1_TargetInfo__Output>): grpc.ClientUnaryCall;
  
  Run(argument: _mirrorbench_compute_v1_RunJob, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_JobEvent__Output>;
  Run(argument: _mirrorbench_compute_v1_RunJob, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_JobEvent__Output>;
  run(argument: _mirrorbench_compute_v1_RunJob, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_JobEvent__Output>;
  run(argument: _mirrorbench_compute_v1_RunJob, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_JobEvent__Output>;
  
  RunMany(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrorbench_compute_v1_RunManyRequests, _mirrorbench_compute_v1_RunManyReplies__Output>;
  RunMany(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrorbench_compute_v1_RunManyRequests, _mirrorbench_compute_v1_RunManyReplies__Output>;
  runMany(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrorbench_compute_v1_RunManyRequests, _mirrorbench_compute_v1_RunManyReplies__Output>;
  runMany(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mirrorbench_compute_v1_RunManyRequests, _mirrorbench_compute_v1_RunManyReplies__Output>;
  
  WatchPrices(argument: _mirrorbench_compute_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_PriceTick__Output>;
  WatchPrices(argument: _mirrorbench_compute_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_PriceTick__Output>;
  watchPrices(argument: _mirrorbench_compute_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_PriceTick__Output>;
  watchPrices(argument: _mirrorbench_compute_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_PriceTick__Output>;
  
  WatchProviders(argument: _mirrorbench_compute_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_ProviderEvent__Output>;
  WatchProviders(argument: _mirrorbench_compute_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_ProviderEvent__Output>;
  watchProviders(argument: _mirrorbench_compute_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_ProviderEvent__Output>;
  watchProviders(argument: _mirrorbench_compute_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_mirrorbench_compute_v1_ProviderEvent__Output>;
  
}

export interface ComputeTargetHandlers extends grpc.UntypedServiceImplementation {
  Cancel: grpc.handleUnaryCall<_mirrorbench_compute_v1_CancelRequest__Output, _mirrorbench_compute_v1_CancelReply>;
  
  Describe: grpc.handleUnaryCall<_mirrorbench_compute_v1_DescribeRequest__Output, _mirrorbench_compute_v1_TargetInfo>;
  
  Run: grpc.handleServerStreamingCall<_mirrorbench_compute_v1_RunJob__Output, _mirrorbench_compute_v1_JobEvent>;
  
  RunMany: grpc.handleBidiStreamingCall<_mirrorbench_compute_v1_RunManyRequests__Output, _mirrorbench_compute_v1_RunManyReplies>;
  
  WatchPrices: grpc.handleServerStreamingCall<_mirrorbench_compute_v1_WatchRequest__Output, _mirrorbench_compute_v1_PriceTick>;
  
  WatchProviders: grpc.handleServerStreamingCall<_mirrorbench_compute_v1_WatchRequest__Output, _mirrorbench_compute_v1_ProviderEvent>;
  
}

export interface ComputeTargetDefinition extends grpc.ServiceDefinition {
  Cancel: MethodDefinition<_mirrorbench_compute_v1_CancelRequest, _mirrorbench_compute_v1_CancelReply, _mirrorbench_compute_v1_CancelRequest__Output, _mirrorbench_compute_v1_CancelReply__Output>
  Describe: MethodDefinition<_mirrorbench_compute_v1_DescribeRequest, _mirrorbench_compute_v1_TargetInfo, _mirrorbench_compute_v1_DescribeRequest__Output, _mirrorbench_compute_v1_TargetInfo__Output>
  Run: MethodDefinition<_mirrorbench_compute_v1_RunJob, _mirrorbench_compute_v1_JobEvent, _mirrorbench_compute_v1_RunJob__Output, _mirrorbench_compute_v1_JobEvent__Output>
  RunMany: MethodDefinition<_mirrorbench_compute_v1_RunManyRequests, _mirrorbench_compute_v1_RunManyReplies, _mirrorbench_compute_v1_RunManyRequests__Output, _mirrorbench_compute_v1_RunManyReplies__Output>
  WatchPrices: MethodDefinition<_mirrorbench_compute_v1_WatchRequest, _mirrorbench_compute_v1_PriceTick, _mirrorbench_compute_v1_WatchRequest__Output, _mirrorbench_compute_v1_PriceTick__Output>
  WatchProviders: MethodDefinition<_mirrorbench_compute_v1_WatchRequest, _mirrorbench_compute_v1_ProviderEvent, _mirrorbench_compute_v1_WatchRequest__Output, _mirrorbench_compute_v1_ProviderEvent__Output>
}
