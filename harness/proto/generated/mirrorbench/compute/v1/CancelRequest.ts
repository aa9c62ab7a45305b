// Original file: harness/proto/compute.proto


export interface CancelRequest {
  'runId'?: (string);
  'jobId'?: (string);
}

export interface CancelRequest__Output {
  'runId': (string);
  'jobId': (string);
}
