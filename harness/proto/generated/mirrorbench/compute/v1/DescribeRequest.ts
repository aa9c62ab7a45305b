// Original file: harness/proto/compute.proto


export interface DescribeRequest {
}

export interface DescribeRequest__Output {
}
