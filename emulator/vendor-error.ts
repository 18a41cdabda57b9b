/**
 * The one base of the emulator's refusals. A command or a field rule throws one to stop and answer with a
 * vendor error code; the vendor's handler catches it and writes that vendor's envelope (Tencent's
 * `ActionStatus: "FAIL"`, ZEGO's `Code`/`Message`). It is control flow inside the emulator and never reaches a
 * user, and the emulator imports no provider internals (the provider is the system it checks), so it is not
 * the package's `RoomsError` (provider/core/errors.ts).
 */
export class VendorRefusal extends Error {
  constructor(
    /** The vendor's error code the answer carries. */
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
