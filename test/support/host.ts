/**
 * The tests drive the same host driver pulumi-rooms-local uses (engine/provider-host.ts); this module keeps the
 * names the tests import.
 */
export {
  DIFF,
  HostCallError,
  ProviderHost,
  type CheckFailure,
  type DiffAnswer,
  type DiffKind,
  type HostOptions,
  type InitFailure,
} from "../../engine/provider-host";
export { isSecret, nameOf, secret, SECRET_SIG, SECRET_SIG_KEY, typeOf, UNKNOWN, type Props } from "../../engine/wire";
