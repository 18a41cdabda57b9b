/**
 * The gRPC and protobuf modules exactly as the installed `@pulumi/pulumi` loads them. The generated
 * `*_grpc_pb.js` stubs `require('@grpc/grpc-js')` and `google-protobuf` themselves, so everything must come
 * through the same resolution or two copies of a class break `instanceof` checks
 * (docs/engine-protocol.md, "One copy of gRPC and protobuf"). They are dependencies of the peer
 * `@pulumi/pulumi`, not of this package.
 */
import type { Http2Server, ServerHttp2Session } from "node:http2";
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
 * How many bytes one end of a loopback connection lets the other send ahead (HTTP/2 flow control, RFC 9113
 * section 5.2). The protocol's default, 64 KiB for the whole connection, holds about twenty registrations of a
 * room (3-4 KiB each): a program that declares a thousand at once then sends them a window at a time, each
 * window waiting until both busy event loops have turned (measured: the engine received a 1000-room
 * no-op's registrations over 1.2-1.9 s after the runtime had issued them all). Pulumi's own engine, in Go,
 * grows its windows to 16 MiB as it measures the link (grpc-go's BDP estimation); here both ends are
 * trusted processes on one machine, so the window is simply large.
 */
export const LOOPBACK_WINDOW_BYTES = 32 * 1024 * 1024;

/**
 * Options of the engine's own gRPC ends (the monitor it serves, the host client it dials): both talk to a
 * child process over loopback, call after call. grpc-js's defaults keep channelz statistics and a retry
 * buffer for every call (channel-options.js), which nobody here reads or needs: a retried call would be
 * the engine's to make, never the transport's. A client's receive window is LOOPBACK_WINDOW_BYTES.
 */
export const LOOPBACK_GRPC_OPTIONS = {
  "grpc.enable_channelz": 0,
  "grpc.enable_retries": 0,
  "grpc-node.flow_control_window": LOOPBACK_WINDOW_BYTES,
} as const;

/**
 * Gives every connection a bound grpc-js server accepts a receive window of LOOPBACK_WINDOW_BYTES, for the
 * connection and for each call. grpc-js has an option for this on clients only
 * (`grpc-node.flow_control_window`); its server creates its HTTP/2 servers itself, so they are reached
 * through its `http2Servers` map. Returns false (nothing changed, calls only slower) when that is missing.
 */
export function widenServerWindows(server: Server): boolean {
  const http2Servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(http2Servers instanceof Map) || http2Servers.size === 0) return false;
  for (const http2Server of http2Servers.keys() as IterableIterator<Http2Server>)
    http2Server.on("session", (session: ServerHttp2Session) => {
      try {
        session.settings({ initialWindowSize: LOOPBACK_WINDOW_BYTES });
        session.setLocalWindowSize(LOOPBACK_WINDOW_BYTES);
      } catch {
        // A session already closing: it keeps the default windows.
      }
    });
  return true;
}

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
