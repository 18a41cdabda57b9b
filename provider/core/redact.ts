/**
 * Redaction: every message the package produces passes through {@link redact}, so a UserSig, a request
 * signature or a configured secret can never reach a Pulumi log, diagnostic or state file.
 */

/** Query/JSON keys whose values are credentials, matched case-insensitively. */
// Not plain "key": room attribute keys are ordinary data and appear in messages.
const SECRET_KEYS = [
  "usersig",
  "signature",
  "secretkey",
  "secret_key",
  "serversecret",
  "server_secret",
  "secret",
  "tls.sig",
];

const QUERY_PARAM = new RegExp(`([?&;](?:${SECRET_KEYS.map(escape).join("|")})=)[^&#\\s"']*`, "gi");
const JSON_FIELD = new RegExp(`("(?:${SECRET_KEYS.map(escape).join("|")})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi");
const KEY_VALUE = new RegExp(`\\b((?:${SECRET_KEYS.map(escape).join("|")})\\s*[=:]\\s*)[^\\s,;&"'}]+`, "gi");

/** Secrets the process has resolved; exact occurrences are removed wherever they appear. */
const knownSecrets = new Set<string>();

/** Marker that replaces every removed value. */
export const REDACTED = "[REDACTED]";

/**
 * Registers a credential value (a secret key, server secret or generated UserSig) so that {@link redact}
 * removes it verbatim from any text, even where it appears without a recognisable key name.
 */
export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; real secrets are long.
  if (value && value.length >= 8) knownSecrets.add(value);
}

/**
 * Removes credentials from a string or URL: values of `usersig`, `Signature`, `secretKey`, `serverSecret`
 * (and similar) in query strings, JSON and `key=value` text, plus every registered secret verbatim and
 * URL-encoded.
 */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out
    .replace(QUERY_PARAM, `$1${REDACTED}`)
    .replace(JSON_FIELD, `$1"${REDACTED}"`)
    .replace(KEY_VALUE, (match: string, prefix: string) =>
      match.slice(prefix.length) === REDACTED ? match : `${prefix}${REDACTED}`,
    );
}

/** Text of any thrown value, for messages (not redacted: callers redact). */
export function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
