/**
 * The gRPC and protobuf modules exactly as the installed `@pulumi/pulumi` loads them. The generated
 * `*_grpc_pb.js` stubs `require('@grpc/grpc-js')` and `google-protobuf` themselves, so everything must come
 * through the same resolution or two copies of a class break `instanceof` checks
 * (docs/engine-protocol.md, "One copy of gRPC and protobuf"). They are dependencies of the peer
 * `@pulumi/pulumi`, not of this package.
 */
import { createRequire } from "node:module";

type Grpc = typeof import("@grpc/grpc-js");
type StructPb = typeof import("google-protobuf/google/protobuf/struct_pb");
type EmptyPb = typeof import("google-protobuf/google/protobuf/empty_pb");

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));

export const grpc = fromPulumi("@grpc/grpc-js") as Grpc;
export const { Struct, Value } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as StructPb;
export const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb") as EmptyPb;
export type Struct = import("google-protobuf/google/protobuf/struct_pb").Struct;
export type Empty = import("google-protobuf/google/protobuf/empty_pb").Empty;
export type ServiceError = import("@grpc/grpc-js").ServiceError;
export type Server = import("@grpc/grpc-js").Server;

/**
 * Options of the engine's own gRPC ends (the monitor it serves, the host client it dials): both talk to a
 * child process over loopback, call after call. grpc-js's defaults keep channelz statistics and a retry
 * buffer for every call (channel-options.js), which nobody here reads or needs: a retried call would be
 * the engine's to make, never the transport's.
 */
export const LOOPBACK_GRPC_OPTIONS = { "grpc.enable_channelz": 0, "grpc.enable_retries": 0 } as const;

/** The resolved `@pulumi/pulumi/<sub>` path (e.g. `cmd/run`), from the installed copy this engine uses. */
export function pulumiPath(sub: string, from?: string): string {
  if (from) {
    try {
      return require.resolve(`@pulumi/pulumi/${sub}`, { paths: [from] });
    } catch {
      // The program folder has no @pulumi/pulumi of its own: use the engine's.
    }
  }
  return require.resolve(`@pulumi/pulumi/${sub}`);
}
