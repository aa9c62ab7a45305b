// Original file: harness/proto/compute.proto


export interface WatchRequest {
  'runId'?: (string);
  'speed'?: (number | string);
}

export interface WatchRequest__Output {
  'runId': (string);
  'speed': (number);
}
