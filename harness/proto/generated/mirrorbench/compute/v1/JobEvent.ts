// Original file: harness/proto/compute.proto

import type { EventType as _mirrorbench_compute_v1_EventType, EventType__Output as _mirrorbench_compute_v1_EventType__Output } from '../../../mirrorbench/compute/v1/EventType';
import type { Long } from '@grpc/proto-loader';

export interface JobEvent {
  'jobId'?: (string);
  'type'?: (_mirrorbench_compute_v1_EventType);
  'atUs'?: (number | string | Long);
  'attempt'?: (number);
  'providerId'?: (string);
  'pricePerHour'?: (number | string);
  'amount'?: (number | string);
  'currency'?: (string);
  'amountUsd'?: (number | string);
  'usdRate'?: (number | string);
  'errorClass'?: (string);
  'reason'?: (string);
  'detail'?: (string);
  'progress'?: (number | string);
  'outputDigest'?: (string);
  'bytes'?: (number | string | Long);
  'offers'?: (number);
  'billedGpuSeconds'?: (number | string);
  'gpuClass'?: (string);
  'tokens'?: (number);
  'promptTokens'?: (number);
}

export interface JobEvent__Output {
  'jobId': (string);
  'type': (_mirrorbench_compute_v1_EventType__Output);
  'atUs': (number);
  'attempt': (number);
  'providerId': (string);
  'pricePerHour': (number);
  'amount': (number);
  'currency': (string);
  'amountUsd': (number);
  'usdRate': (number);
  'errorClass': (string);
  'reason': (string);
  'detail': (string);
  'progress': (number);
  'outputDigest': (string);
  'bytes': (number);
  'offers': (number);
  'billedGpuSeconds': (number);
  'gpuClass': (string);
  'tokens': (number);
  'promptTokens': (number);
}
