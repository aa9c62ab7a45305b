// Loads compute.proto at run time with the same options the generated types
// were made with (package.json "proto:gen"), so values match their types:
// int64 as number (epoch µs fit in 2^53), enums as their names, defaults set.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/compute';

export const PROTO_PATH = fileURLToPath(new URL('./compute.proto', import.meta.url));

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

let cached: ProtoGrpcType | undefined;

export function loadComputeProto(): ProtoGrpcType {
  if (!cached) {
    const def = protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);
    cached = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
  }
  return cached;
}

export function computeTargetService() {
  return loadComputeProto().mirrorbench.compute.v1.ComputeTarget.service;
}
