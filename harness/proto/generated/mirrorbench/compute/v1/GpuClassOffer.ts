// Original file: harness/proto/compute.proto


export interface GpuClassOffer {
  'gpuClass'?: (string);
  'pricePerGpuHour'?: (number | string);
  'priority'?: (string);
  'capacity'?: (number);
}

export interface GpuClassOffer__Output {
  'gpuClass': (string);
  'pricePerGpuHour': (number);
  'priority': (string);
  'capacity': (number);
}
