// Original file: harness/proto/compute.proto


export interface JobEnd {
  'code'?: (number);
  'details'?: (string);
}

export interface JobEnd__Output {
  'code': (number);
  'details': (string);
}
