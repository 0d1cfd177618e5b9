/**
 * The authentication handshake of `multiprocessing.connection` (CPython 3.12+, `deliver_challenge` and
 * `answer_challenge`), which interoperates with CPython 3.11 and older as CPython 3.12 does.
 *
 * Each side proves it knows the authkey without sending it: one side sends a random challenge, the other
 * answers with an HMAC of it keyed with the authkey, and the first says welcome or failure. A listener
 * delivers its challenge first and then answers the client's; a client does the reverse. All of it is raw
 * frames of at most 256 bytes; nothing from the peer is decoded before both directions succeeded.
 *
 *   deliverer                                        answerer
 *   #CHALLENGE#{sha256}<40 random bytes>   ─────▶
 *                                          ◀─────    {sha256}HMAC-SHA256(authkey, {sha256}<40 random bytes>)
 *   #WELCOME#  (or #FAILURE#, then close)  ─────▶
 *
 * Legacy peers (CPython 3.11 and older) send a challenge of exactly 20 random bytes and no `{digest}`
 * prefix, and answer any challenge with a bare 16-byte HMAC-MD5 of all of it. As CPython 3.12 does, this
 * side answers a 20-byte challenge with a bare HMAC-MD5, and accepts a bare 16-byte answer as HMAC-MD5 of
 * its own (prefixed) challenge. The MAC covers the `{digest}` prefix, so a peer cannot be talked into a
 * digest other than the one the MAC was made with. Digests are compared in constant time.
 */

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '@ipc/core';

/** Frames the handshake sends and receives. */
export interface HandshakeChannel {
  send(bytes: Uint8Array): void;
  /** The next frame, of at most `limit` bytes; rejects with an AuthenticationError when there is none. */
  receive(limit: number): Promise<Uint8Array>;
}

const CHALLENGE = Buffer.from('#CHALLENGE#');
const WELCOME = Buffer.from('#WELCOME#');
const FAILURE = Buffer.from('#FAILURE#');

/** The largest handshake frame either side accepts (CPython's `recv_bytes(256)`). */
const HANDSHAKE_FRAME_LIMIT = 256;
/** Random bytes in a challenge; CPython 3.12 requires more than 20, so that it is not taken as legacy. */
const CHALLENGE_RANDOM_BYTES = 40;
/** The digest this side asks for. */
const CHALLENGE_DIGEST = 'sha256';

/** A legacy challenge is exactly 20 bytes; a legacy answer exactly 16 (an HMAC-MD5). */
const LEGACY_CHALLENGE_BYTES = 20;
const LEGACY_ANSWER_BYTES = 16;

/** The digests CPython allows, by their names on the wire, with Node's names for them. */
const DIGESTS: ReadonlyMap<string, string> = new Map([
  ['md5', 'md5'],
  ['sha256', 'sha256'],
  ['sha384', 'sha384'],
  ['sha3_256', 'sha3-256'],
  ['sha3_384', 'sha3-384'],
]);
const LONGEST_DIGEST_NAME = Math.max(...[...DIGESTS.keys()].map((name) => name.length));
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * The digest named by a challenge or answer, and the MAC (or random bytes) after the name. The digest is ''
 * for a legacy message (exactly 20 or 16 bytes: no modern message is that short).
 *
 * @throws {AuthenticationError} for a message that is neither legacy nor `{digest}` with an allowed digest.
 */
export function digestAndPayload(message: Uint8Array): { digest: string; payload: Uint8Array } {
  if (message.length === LEGACY_CHALLENGE_BYTES || message.length === LEGACY_ANSWER_BYTES) {
    return { digest: '', payload: message };
  }
  if (message[0] === OPEN_BRACE) {
    const close = message.subarray(0, LONGEST_DIGEST_NAME + 2).indexOf(CLOSE_BRACE, 1);
    const name = close > 0 ? Buffer.from(message.subarray(1, close)).toString('latin1') : '';
    if (DIGESTS.has(name)) return { digest: name, payload: message.subarray(close + 1) };
  }
  throw new AuthenticationError(
    `unsupported handshake message of ${message.length} bytes: not a legacy one, and no {digest} prefix with ` +
      `one of ${[...DIGESTS.keys()].join(', ')}`,
  );
}

/** HMAC of `message` keyed with `authkey`, by the digest's wire name. */
function hmac(digest: string, authkey: Uint8Array, message: Uint8Array): Buffer {
  try {
    return createHmac(DIGESTS.get(digest) ?? digest, authkey)
      .update(message)
      .digest();
  } catch (error) {
    throw new AuthenticationError(`the ${digest} digest is not available here`, { cause: error });
  }
}

/**
 * The answer to a challenge (its random bytes with their `{digest}` prefix, or 20 legacy bytes): a bare
 * HMAC-MD5 for a legacy challenge, else `{digest}` and the HMAC with that digest, of the whole challenge.
 */
export function answerFor(authkey: Uint8Array, challenge: Uint8Array): Buffer {
  const { digest } = digestAndPayload(challenge);
  if (digest === '') return hmac('md5', authkey, challenge);
  return Buffer.concat([Buffer.from(`{${digest}}`, 'latin1'), hmac(digest, authkey, challenge)]);
}

/**
 * Checks the peer's answer to our `challenge`, in constant time once the lengths agree.
 *
 * @throws {AuthenticationError} when the answer is malformed or its MAC is not the authkey's.
 */
export function checkAnswer(authkey: Uint8Array, challenge: Uint8Array, answer: Uint8Array): void {
  const { digest, payload } = digestAndPayload(answer);
  const expected = hmac(digest || 'md5', authkey, challenge);
  if (expected.length !== payload.length) {
    throw new AuthenticationError(
      `the peer's answer is not a ${digest || 'md5'} digest (${payload.length} bytes instead of ${expected.length})`,
    );
  }
  if (!timingSafeEqual(expected, payload)) {
    throw new AuthenticationError("digest received was wrong: the peer's authkey is not this one");
  }
}

/**
 * Sends a challenge and checks the answer; tells the peer whether it passed. **Python equivalent:**
 * `multiprocessing.connection.deliver_challenge`.
 *
 * @throws {AuthenticationError} when the answer is wrong (after sending #FAILURE#), or is not one.
 */
export async function deliverChallenge(channel: HandshakeChannel, authkey: Uint8Array): Promise<void> {
  const challenge = Buffer.concat([
    Buffer.from(`{${CHALLENGE_DIGEST}}`, 'latin1'),
    randomBytes(CHALLENGE_RANDOM_BYTES),
  ]);
  channel.send(Buffer.concat([CHALLENGE, challenge]));
  const answer = await channel.receive(HANDSHAKE_FRAME_LIMIT);
  try {
    checkAnswer(authkey, challenge, answer);
  } catch (error) {
    channel.send(FAILURE);
    throw error;
  }
  channel.send(WELCOME);
}

/**
 * Answers the peer's challenge and waits for its verdict. **Python equivalent:**
 * `multiprocessing.connection.answer_challenge`.
 *
 * @throws {AuthenticationError} when the peer sends something other than a challenge, or rejects the answer.
 */
export async function answerChallenge(channel: HandshakeChannel, authkey: Uint8Array): Promise<void> {
  const message = await channel.receive(HANDSHAKE_FRAME_LIMIT);
  if (!startsWith(message, CHALLENGE)) {
    throw new AuthenticationError(
      `expected an authentication challenge, got a message of ${message.length} bytes: ` +
        'does the other end use an authkey?',
    );
  }
  const challenge = message.subarray(CHALLENGE.length);
  if (challenge.length < LEGACY_CHALLENGE_BYTES) {
    throw new AuthenticationError(`the challenge is too short: ${challenge.length} bytes`);
  }
  channel.send(answerFor(authkey, challenge));
  const verdict = await channel.receive(HANDSHAKE_FRAME_LIMIT);
  if (!WELCOME.equals(verdict)) {
    throw new AuthenticationError("digest sent was rejected: the peer's authkey is not this one");
  }
}

/**
 * True for the first frame a peer that wants a handshake sends (a challenge) or answers with (a failure):
 * what a connection without an authkey receives from a listener that has one.
 */
export function isHandshakeFrame(bytes: Uint8Array): boolean {
  return startsWith(bytes, CHALLENGE) || FAILURE.equals(bytes);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && Buffer.compare(bytes.subarray(0, prefix.length), prefix) === 0;
}
