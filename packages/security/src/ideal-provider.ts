import { equalBytes, toHex, utf8 } from "./bytes.js";
import { CryptoError } from "./crypto-error.js";
import { MAC_BYTES, PUBLIC_KEY_BYTES, SECRET_KEY_BYTES, SIGNATURE_BYTES, type CryptoProvider, type SigningKeyPair } from "./provider.js";
import type { RandomBytes } from "./random.js";
import { requireMessageBytes } from "./message-bytes.js";
import { leanHmacSha256, leanHmacSha256Of, leanSha256 } from "./sha256-lean.js";

const LABEL_PUBLIC = utf8("synod/ideal/pk");
const LABEL_SIGN = utf8("synod/ideal/sig");
const LABEL_POP = utf8("synod/ideal/pop");
const LABEL_DH = utf8("synod/ideal/dh");

/** Most public keys the ideal provider memoises (then the memo is cleared: bounded memory). */
export const IDEAL_KEY_MEMO_ENTRIES = 4096;

function lengthProblem(bytes: Uint8Array, expected: number, what: string): CryptoError | undefined {
  if (bytes instanceof Uint8Array && bytes.length === expected) return undefined;
  return new CryptoError("bad-length", `${what} must be ${expected} bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`);
}

function isZero(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

/** @returns a MAC as a signature: zero-padded to the Ed25519 signature length, so wire sizes match */
function padded(mac: Uint8Array): Uint8Array {
  const out = new Uint8Array(SIGNATURE_BYTES);
  out.set(mac, 0);
  return out;
}

/**
 * @returns HMAC-SHA256 under any key, the key's keyed state (its two padded blocks hashed) memoised
 * by key array, with a copy of the contents checked (a key changed in place is keyed afresh): the
 * MAC keys of a protocol are held and passed again and again, so a tag usually hashes only its data.
 * Weakly held: a key nobody holds any more is forgotten with it.
 */
function keyedHmacMemo(): (key: Uint8Array, data: Uint8Array) => Uint8Array {
  const byArray = new WeakMap<Uint8Array, { readonly contents: Uint8Array; readonly tag: (data: Uint8Array) => Uint8Array }>();
  return (key, data) => {
    let known = byArray.get(key);
    if (known === undefined || !equalBytes(known.contents, key)) {
      known = { contents: key.slice(), tag: leanHmacSha256Of(key) };
      byArray.set(key, known);
    }
    return known.tag(data);
  };
}

/**
 * @returns a secret key's public key, memoised (not a copy: callers outside the provider get a copy).
 * By contents, bounded; and before that by array identity with a copy of the contents checked, since
 * the same key array is usually passed again and again (a key changed in place is looked up afresh).
 */
function publicKeyMemo(tag: (...parts: Uint8Array[]) => Uint8Array): (secretKey: Uint8Array) => Uint8Array {
  const publicKeys = new Map<string, Uint8Array>();
  const byArray = new WeakMap<Uint8Array, { readonly contents: Uint8Array; readonly publicKey: Uint8Array }>();
  return (secretKey) => {
    const known = byArray.get(secretKey);
    if (known !== undefined && equalBytes(known.contents, secretKey)) return known.publicKey;
    const bad = lengthProblem(secretKey, SECRET_KEY_BYTES, "secret key");
    if (bad) throw bad;
    const id = toHex(secretKey);
    let publicKey = publicKeys.get(id);
    if (publicKey === undefined) {
      publicKey = tag(LABEL_PUBLIC, secretKey);
      if (publicKeys.size >= IDEAL_KEY_MEMO_ENTRIES) publicKeys.clear();
      publicKeys.set(id, publicKey);
    }
    byArray.set(secretKey, { contents: secretKey.slice(), publicKey });
    return publicKey;
  };
}

/**
 * The simulator's ideal-signature provider — a modelling choice, not production cryptography.
 *
 * Model: an ideal signature functionality (F_SIG) realised by one registry secret, the 32-byte
 * `master` key drawn from `randomBytes` when the provider is created and held only in this closure.
 * A public key is HMAC(master, "pk" ‖ secretKey); a signature is HMAC(master, "sig" ‖ publicKey ‖
 * message) padded with 32 zero bytes to the Ed25519 size, so wire sizes match the real providers.
 * Whoever holds a node's secret key can sign for it through the provider; nobody else can, since
 * producing a valid tag for a public key needs either its secret key or `master`, and simulated
 * Byzantine nodes get neither (they hold only their own secret keys and this object's methods).
 * Forging is therefore impossible by construction, not merely hard — exactly the assumption the
 * protocols' proofs make — while signing and verifying cost one HMAC-SHA256 (public keys are
 * memoised) instead of curve arithmetic. Everything is deterministic given `randomBytes`, so runs replay from their seed.
 *
 * What it does not model: timing, the real wire format of keys, and attacks on Ed25519 itself.
 * Chaos runs use it by default and a sample of runs uses a real provider to cover those.
 * @param randomBytes - the seeded source the master secret is drawn from (32 bytes)
 * @returns a provider whose keys and signatures are only meaningful to itself
 * @example
 * const ideal = createIdealProvider(seededRandomBytes(rng.fork("crypto")));
 * const keys = ideal.generateKeyPair(seededRandomBytes(rng.fork("n1")));
 */
export function createIdealProvider(randomBytes: RandomBytes): CryptoProvider {
  const master = randomBytes(32);
  const tag = leanHmacSha256(master); // sha256-lean.ts: the same bytes as @noble/hashes, less overhead a call
  const hmacSha256 = keyedHmacMemo();
  const memoisedPublicKey = publicKeyMemo(tag);
  const publicKeyOf = (secretKey: Uint8Array): Uint8Array => memoisedPublicKey(secretKey).slice();
  const checkSignature = (signature: Uint8Array): CryptoError | undefined => {
    const bad = lengthProblem(signature, SIGNATURE_BYTES, "signature");
    if (bad) return bad;
    return isZero(signature.subarray(MAC_BYTES)) ? undefined : new CryptoError("non-canonical", "ideal signature padding is not zero");
  };
  return {
    name: "ideal",
    generateKeyPair(random: RandomBytes): SigningKeyPair {
      const secretKey = random(SECRET_KEY_BYTES);
      return { secretKey, publicKey: publicKeyOf(secretKey) };
    },
    getPublicKey: publicKeyOf,
    sign(secretKey, message) {
      requireMessageBytes(message);
      return padded(tag(LABEL_SIGN, memoisedPublicKey(secretKey), message));
    },
    verify(publicKey, message, signature) {
      if (lengthProblem(publicKey, PUBLIC_KEY_BYTES, "public key") || checkSignature(signature) || !(message instanceof Uint8Array)) return false;
      return equalBytes(tag(LABEL_SIGN, publicKey, message), signature.subarray(0, MAC_BYTES));
    },
    checkPublicKey(publicKey) {
      return lengthProblem(publicKey, PUBLIC_KEY_BYTES, "public key");
    },
    checkSignature,
    provePossession(secretKey, context) {
      return padded(tag(LABEL_POP, memoisedPublicKey(secretKey), context));
    },
    verifyPossession(publicKey, context, proof) {
      if (lengthProblem(publicKey, PUBLIC_KEY_BYTES, "public key") || checkSignature(proof)) return false;
      return equalBytes(tag(LABEL_POP, publicKey, context), proof.subarray(0, MAC_BYTES));
    },
    sharedSecret(secretKey, peerPublicKey) {
      const bad = lengthProblem(peerPublicKey, PUBLIC_KEY_BYTES, "peer public key");
      if (bad) throw bad;
      const own = memoisedPublicKey(secretKey);
      let first = own;
      let second = peerPublicKey;
      for (let i = 0; i < PUBLIC_KEY_BYTES; i++) {
        if (own[i] !== peerPublicKey[i]) {
          if ((own[i] as number) > (peerPublicKey[i] as number)) [first, second] = [peerPublicKey, own];
          break;
        }
      }
      return tag(LABEL_DH, first, second);
    },
    sha256(data) {
      return leanSha256(data);
    },
    hmacSha256(key, data) {
      return hmacSha256(key, data);
    },
  };
}
