// Original file: harness/proto/compute.proto


export interface CancelReply {
  'found'?: (boolean);
}

export interface CancelReply__Output {
  'found': (boolean);
}
