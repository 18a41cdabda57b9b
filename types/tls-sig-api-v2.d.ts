// tls-sig-api-v2 ships no typings (there is no @types package either); this covers what we call.
declare module "tls-sig-api-v2" {
  export class Api {
    /** @param sdkappid the app's SDKAppID. @param key the app's secret key (raw UTF-8 HMAC key). */
    constructor(sdkappid: number, key: string);
    /**
     * Generates a UserSig. Present in 1.0.0 and 1.0.2.
     * @param userid the account the signature is for.
     * @param expire validity in seconds (a duration, not an absolute time).
     */
    genSig(userid: string, expire: number): string;
  }
}
