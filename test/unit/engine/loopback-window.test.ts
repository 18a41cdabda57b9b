/**
 * The engine's loopback gRPC ends give their peers a large receive window (engine/pulumi-modules.ts,
 * LOOPBACK_WINDOW_BYTES): a server the engine binds grants it to every connection and every call, so a
 * program's burst of registrations is not sent 64 KiB at a time.
 */
import { strict as assert } from "node:assert";
import * as http2 from "node:http2";
import { grpc, LOOPBACK_GRPC_OPTIONS, LOOPBACK_WINDOW_BYTES, widenServerWindows } from "../../../engine/pulumi-modules";

/** The windows a plain HTTP/2 client is granted by a grpc-js server the engine widened (HTTP/2's default: 65535). */
async function grantedWindows(): Promise<{ stream: number; connection: number; widened: boolean }> {
  const server = new grpc.Server(LOOPBACK_GRPC_OPTIONS);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const widened = widenServerWindows(server);
  const client = http2.connect(`http://127.0.0.1:${port}`);
  try {
    await new Promise<void>((resolve) => client.once("remoteSettings", () => resolve()));
    // The connection's WINDOW_UPDATE follows the server's SETTINGS: wait until it has arrived.
    const deadline = Date.now() + 2000;
    while ((client.state.remoteWindowSize ?? 0) < LOOPBACK_WINDOW_BYTES && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    return {
      stream: client.remoteSettings.initialWindowSize ?? 0,
      connection: client.state.remoteWindowSize ?? 0,
      widened,
    };
  } finally {
    client.close();
    server.forceShutdown();
  }
}

describe("engine units: loopback gRPC windows", function () {
  it("a server the engine widens grants LOOPBACK_WINDOW_BYTES to the connection and each call", async function () {
    assert.deepEqual(await grantedWindows(), {
      stream: LOOPBACK_WINDOW_BYTES,
      connection: LOOPBACK_WINDOW_BYTES,
      widened: true,
    });
  });

  it("the engine's clients ask for the same window", function () {
    assert.equal(LOOPBACK_GRPC_OPTIONS["grpc-node.flow_control_window"], LOOPBACK_WINDOW_BYTES);
  });
});
