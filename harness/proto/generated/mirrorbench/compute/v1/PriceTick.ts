// Original file: harness/proto/compute.proto

import type { Long } from '@grpc/proto-loader';

export interface PriceTick {
  'currency'?: (string);
  'usdRate'?: (number | string);
  'atUs'?: (number | string | Long);
}

export interface PriceTick__Output {
  'currency': (string);
  'usdRate': (number);
  'atUs': (number);
}
