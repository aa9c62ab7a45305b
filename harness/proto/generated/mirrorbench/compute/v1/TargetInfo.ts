// Original file: harness/proto/compute.proto

import type { TargetKind as _mirrorbench_compute_v1_TargetKind, TargetKind__Output as _mirrorbench_compute_v1_TargetKind__Output } from '../../../mirrorbench/compute/v1/TargetKind';
import type { GpuClassOffer as _mirrorbench_compute_v1_GpuClassOffer, GpuClassOffer__Output as _mirrorbench_compute_v1_GpuClassOffer__Output } from '../../../mirrorbench/compute/v1/GpuClassOffer';
import type { Long } from '@grpc/proto-loader';

export interface TargetInfo {
  'name'?: (string);
  'kind'?: (_mirrorbench_compute_v1_TargetKind);
  'gpuClasses'?: (_mirrorbench_compute_v1_GpuClassOffer)[];
  'priceModel'?: (string);
  'currency'?: (string);
  'parameters'?: ({[key: string]: string});
  'version'?: (string);
  'seed'?: (number | string | Long);
}

export interface TargetInfo__Output {
  'name': (string);
  'kind': (_mirrorbench_compute_v1_TargetKind__Output);
  'gpuClasses': (_mirrorbench_compute_v1_GpuClassOffer__Output)[];
  'priceModel': (string);
  'currency': (string);
  'parameters': ({[key: string]: string});
  'version': (string);
  'seed': (number);
}
