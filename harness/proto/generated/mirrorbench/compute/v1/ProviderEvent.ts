// Original file: harness/proto/compute.proto

import type { Long } from '@grpc/proto-loader';

export interface ProviderEvent {
  'providerId'?: (string);
  'online'?: (boolean);
  'atUs'?: (number | string | Long);
  'gpuClass'?: (string);
  'reason'?: (string);
  'region'?: (string);
}

export interface ProviderEvent__Output {
  'providerId': (string);
  'online': (boolean);
  'atUs': (number);
  'gpuClass': (string);
  'reason': (string);
  'region': (string);
}
