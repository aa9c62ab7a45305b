// Original file: harness/proto/compute.proto

import type { Long } from '@grpc/proto-loader';

export interface Job {
  'jobId'?: (string);
  'submittedAtUs'?: (number | string | Long);
  'customer'?: (string);
  'profile'?: (string);
  'taskType'?: (string);
  'gpuClass'?: (string);
  'gpuCount'?: (number);
  'vramGb'?: (number | string);
  'image'?: (string);
  'imageBytes'?: (number | string | Long);
  'inputBytes'?: (number | string | Long);
  'outputBytes'?: (number | string | Long);
  'workSeconds'?: (number | string);
  'pricePaidUsd'?: (number | string);
  'sensitivity'?: (string);
  'deadlineSeconds'?: (number | string);
  'labels'?: ({[key: string]: string});
  'promptTokens'?: (number);
  'outputTokens'?: (number);
}

export interface Job__Output {
  'jobId': (string);
  'submittedAtUs': (number);
  'customer': (string);
  'profile': (string);
  'taskType': (string);
  'gpuClass': (string);
  'gpuCount': (number);
  'vramGb': (number);
  'image': (string);
  'imageBytes': (number);
  'inputBytes': (number);
  'outputBytes': (number);
  'workSeconds': (number);
  'pricePaidUsd': (number);
  'sensitivity': (string);
  'deadlineSeconds': (number);
  'labels': ({[key: string]: string});
  'promptTokens': (number);
  'outputTokens': (number);
}
