import { equalBytes } from "@synod/security";
import type { ReplicaAuthentication } from "./authentication.js";
import type { PbftKeys } from "./keys.js";
import type { Request } from "./messages.js";
import { requestDigest, requestStatement } from "./signing.js";

/** Most clients whose last checked request a replica remembers (the least recently checked is forgotten first). */
export const MAX_VERIFIED_CLIENTS = 1 << 16;

interface Checked {
  readonly request: Request;
  /** The client key the signature was checked under. */
  readonly key: Uint8Array;
  /** The signed statement, kept until the digest is asked for. */
  statement: Uint8Array | undefined;
  digest: Uint8Array | undefined;
}

/**
 * A replica's check of client requests: a request's signature is verified, and its digest computed,
 * once per replica, not again for each message that carries it (the request itself, then the
 * pre-prepare that orders it, then a retransmission). Remembered per client: the last request whose
 * signature verified, with the key it verified under. A request is taken as checked only when its
 * signed fields and signature are byte for byte the remembered ones and the client's key is still
 * that key; anything else is verified afresh. The answers are exactly those of verifying every time.
 */
export class VerifiedRequests {
  private readonly byClient = new Map<number, Checked>();

  /**
   * @param keys - the replica's keys (clients' public keys)
   * @param authentication - how requests are authenticated (default: by their clients' signatures);
   *   in `macs` mode, by this replica's entry of the client's authenticator (or a signature)
   */
  constructor(
    private readonly keys: PbftKeys,
    private readonly authentication?: ReplicaAuthentication,
  ) {}

  /** @returns whether `request` carries its client's signature; never throws */
  verify(request: Request): boolean {
    return this.checked(request) !== undefined;
  }

  /** @returns the digest of `request` (its signed statement, hashed; see requestDigest), computed once for a request that verified */
  digest(request: Request): Uint8Array {
    const held = this.byClient.get(request.client);
    if (held === undefined || !sameRequest(held.request, request)) return requestDigest(this.keys.provider, request);
    if (held.digest === undefined) {
      held.digest = this.keys.provider.sha256(held.statement ?? requestStatement(request));
      held.statement = undefined;
    }
    return held.digest;
  }

  private checked(request: Request): Checked | undefined {
    const key = this.keys.clientKey(request.client);
    if (key === undefined) return undefined;
    const held = this.byClient.get(request.client);
    if (held !== undefined && sameRequest(held.request, request) && (held.key === key || equalBytes(held.key, key))) return held;
    const statement = requestStatement(request);
    let digest: Uint8Array | undefined;
    let valid: boolean;
    if (this.authentication !== undefined) {
      valid = this.authentication.checkRequest(request, key, () => (digest = this.keys.provider.sha256(statement)));
    } else {
      try {
        valid = this.keys.provider.verify(key, statement, request.sig);
      } catch {
        valid = false;
      }
    }
    if (!valid) return undefined;
    const checked: Checked = { request, key, statement: digest === undefined ? statement : undefined, digest };
    this.byClient.delete(request.client);
    this.byClient.set(request.client, checked);
    if (this.byClient.size > MAX_VERIFIED_CLIENTS) this.byClient.delete(this.byClient.keys().next().value as number);
    return checked;
  }
}

/** Whether two requests of one client have the same signed fields and signature (the proxy is not signed). */
function sameRequest(a: Request, b: Request): boolean {
  return a === b || (a.timestamp === b.timestamp && equalBytes(a.command, b.command) && equalBytes(a.sig, b.sig));
}
