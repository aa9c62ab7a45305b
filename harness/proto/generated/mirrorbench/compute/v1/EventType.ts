// Original file: harness/proto/compute.proto

export const EventType = {
  EVENT_TYPE_UNSPECIFIED: 'EVENT_TYPE_UNSPECIFIED',
  QUEUED: 'QUEUED',
  OFFER_RECEIVED: 'OFFER_RECEIVED',
  PROVIDER_ASSIGNED: 'PROVIDER_ASSIGNED',
  IMAGE_PULLED: 'IMAGE_PULLED',
  STARTED: 'STARTED',
  PROGRESS: 'PROGRESS',
  PROVIDER_LOST: 'PROVIDER_LOST',
  RETRYING: 'RETRYING',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  SETTLED: 'SETTLED',
  CANCELLED: 'CANCELLED',
  DEBIT_NOTE: 'DEBIT_NOTE',
  BILLED: 'BILLED',
  FIRST_TOKEN: 'FIRST_TOKEN',
  TOKENS: 'TOKENS',
} as const;

export type EventType =
  | 'EVENT_TYPE_UNSPECIFIED'
  | 0
  | 'QUEUED'
  | 1
  | 'OFFER_RECEIVED'
  | 2
  | 'PROVIDER_ASSIGNED'
  | 3
  | 'IMAGE_PULLED'
  | 4
  | 'STARTED'
  | 5
  | 'PROGRESS'
  | 6
  | 'PROVIDER_LOST'
  | 7
  | 'RETRYING'
  | 8
  | 'COMPLETED'
  | 9
  | 'FAILED'
  | 10
  | 'SETTLED'
  | 11
  | 'CANCELLED'
  | 12
  | 'DEBIT_NOTE'
  | 13
  | 'BILLED'
  | 14
  | 'FIRST_TOKEN'
  | 15
  | 'TOKENS'
  | 16

export type EventType__Output = typeof EventType[keyof typeof EventType]
