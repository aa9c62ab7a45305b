// Original file: harness/proto/compute.proto

export const TargetKind = {
  TARGET_KIND_UNSPECIFIED: 'TARGET_KIND_UNSPECIFIED',
  BASELINE: 'BASELINE',
  DECENTRALIZED: 'DECENTRALIZED',
} as const;

export type TargetKind =
  | 'TARGET_KIND_UNSPECIFIED'
  | 0
  | 'BASELINE'
  | 1
  | 'DECENTRALIZED'
  | 2

export type TargetKind__Output = typeof TargetKind[keyof typeof TargetKind]
