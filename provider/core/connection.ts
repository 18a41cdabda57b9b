/**
 * What a failed connection means and how to fix it. A wrong endpoint is the commonest first-hour mistake
 * (https:// to the plain-HTTP emulator, an emulator not started, a typo in a host name); the raw error is an
 * OpenSSL dump or `connect ECONNREFUSED`, and retrying it eight times only delays the answer. So each
 * failure is named, marked retryable only when waiting can heal it, and told against the setting that
 * chose the URL (stack config, environment, or the region default) with the command that fixes it.
 */
import type { NodeErrorCode } from "./errors";
import { describe, redact } from "./redact";

/** Where a vendor's base URL came from. */
export interface EndpointOrigin {
  /** The stack config key that sets it, e.g. `<vendor>:endpoint` (or `<vendor>:region` for a region host). */
  readonly setting: string;
  /** Its environment fallback, e.g. `<VENDOR>_ENDPOINT`. */
  readonly env: string;
  /** Where the value was read. */
  readonly from: "stack config" | "environment" | "default";
}

/** A transport failure, classified. */
export interface ConnectionFailure {
  readonly code: NodeErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly hint: string;
}

/** OpenSSL's answers when the server at the other end is not speaking TLS (e.g. plain HTTP). */
const NOT_TLS = new Set([
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "ERR_SSL_UNKNOWN_PROTOCOL",
  "ERR_SSL_RECORD_LAYER_FAILURE",
]);
/** Certificate verification failures (Node's and OpenSSL's codes): the same certificate comes back next time. */
const CERT = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID/;
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** The setting, its origin and how to change it: `<vendor>:endpoint (from stack config; change it with ...)`. */
export function originText(origin: EndpointOrigin | undefined): string {
  if (!origin) return "the endpoint";
  switch (origin.from) {
    case "stack config":
      return `${origin.setting} (from stack config; change it with \`pulumi config set ${origin.setting} ${origin.setting.endsWith(":region") ? "<region>" : "<url>"}\`)`;
    case "environment":
      return `${origin.env} (from the environment; stack config ${origin.setting} would take precedence)`;
    default:
      return `the default host (set ${origin.setting} or ${origin.env} to choose another)`;
  }
}

/**
 * Classifies a connection error for `url`. Not retried: a TLS handshake with a server that does not speak
 * TLS, an untrusted certificate, a host name that does not exist (ENOTFOUND; EAI_AGAIN, a DNS hiccup, is
 * retried), and a refused connection on loopback (the emulator is not running; nothing will start it
 * within the retry deadline). Everything else (resets, refusals by a remote host, timeouts) is retried.
 */
export function classifyConnectionError(err: unknown, url: string, origin?: EndpointOrigin): ConnectionFailure {
  const code = errorCode(err);
  let target: URL | undefined;
  try {
    target = new URL(url);
  } catch {
    target = undefined;
  }
  const where = target ? target.origin : "the endpoint";
  const setting = originText(origin);
  const loopback = target !== undefined && LOOPBACK.test(target.hostname);
  const text = redact(describe(err));
  if (NOT_TLS.has(code) || /wrong version number|packet length too long|unknown protocol/i.test(text)) {
    const plain = target ? `http://${target.host}` : "http://host:port";
    return {
      code,
      message: `TLS handshake failed: ${where} does not answer in TLS, so it is probably a plain-HTTP server (such as the emulator)`,
      retryable: false,
      hint: `the URL comes from ${setting}; use ${plain} for a plain-HTTP server on loopback (the emulator prints its URL), or an https:// vendor host`,
    };
  }
  if (CERT.test(code)) {
    return {
      code,
      message: `the TLS certificate of ${where} is not trusted (${code})`,
      retryable: false,
      hint: `check ${setting} names the vendor's host; behind a TLS-inspecting proxy, give Node its CA with NODE_EXTRA_CA_CERTS`,
    };
  }
  if (code === "ENOTFOUND") {
    return {
      code,
      message: `the host name ${target?.hostname ?? ""} does not resolve (DNS: not found)`,
      retryable: false,
      hint: `check the host name in ${setting}, and that this machine can resolve it`,
    };
  }
  if (code === "ECONNREFUSED") {
    return {
      code,
      message: `nothing accepts connections at ${where} (connection refused)`,
      retryable: !loopback,
      hint: loopback
        ? `start the emulator (\`npm run emulator\` or \`npx pulumi-rooms-emulator\`, which print the URL), or fix the port in ${setting}`
        : `check ${setting}, and that the host is reachable from here`,
    };
  }
  return {
    code,
    message: text,
    retryable: true,
    hint: `check that ${where} is reachable; the URL comes from ${setting}`,
  };
}

function errorCode(err: unknown): NodeErrorCode {
  const own = (err as { code?: unknown } | null)?.code;
  if (typeof own === "string") return own as NodeErrorCode;
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === "string" ? (cause as NodeErrorCode) : "NETWORK_ERROR";
}
