/**
 * Runs the authentication handshake (handshake.ts) on a freshly connected socket, under a deadline, before
 * any connection object exists: the socket's bytes go to a FrameReader that the handshake reads one frame
 * at a time, and whatever the peer sent after its last handshake frame stays in the reader for the
 * connection.
 */

import type { Socket } from 'node:net';
import { AuthenticationError } from '@ipc/core';
import { FrameLengthError, FrameReader, headerBytes, writeHeader } from './frame.ts';
import { answerChallenge, deliverChallenge, type HandshakeChannel } from './handshake.ts';

/** The side of the handshake: a listener delivers its challenge first, a client answers first. */
type Role = 'listener' | 'client';

/** A frame reader and writer on a socket, for the handshake only. */
class SocketHandshakeChannel implements HandshakeChannel {
  readonly #socket: Socket;
  readonly reader = new FrameReader();
  #pending: { limit: number; resolve(frame: Uint8Array): void; reject(error: Error): void } | undefined;
  /** Why no more frames will come. */
  #failure: AuthenticationError | undefined;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onEnd);
  }

  send(bytes: Uint8Array): void {
    const frame = Buffer.allocUnsafe(headerBytes(bytes.length) + bytes.length);
    frame.set(bytes, writeHeader(frame, bytes.length));
    this.#socket.write(frame);
  }

  /** The next frame; the handshake waits for each before it asks for the next. */
  receive(limit: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.#pending = { limit, resolve, reject };
      this.#deliver();
    });
  }

  /** Ends the handshake on this channel with `error`: the pending and later receives reject with it. */
  fail(error: AuthenticationError): void {
    this.#failure ??= error;
    this.#deliver();
  }

  /**
   * Hands the socket over: stops reading and pauses it, so that nothing the peer sends next is lost before
   * the connection listens (the connection resumes it). The 'error' listener stays: an error between now and
   * then must not be an unhandled 'error' event (it only marks this finished channel failed).
   */
  detach(): FrameReader {
    const socket = this.#socket;
    socket.pause();
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onEnd);
    return this.reader;
  }

  #onData = (chunk: Buffer): void => {
    this.reader.push(chunk);
    this.#deliver();
  };

  #onEnd = (): void => {
    this.fail(new AuthenticationError('the peer closed the connection during the authentication handshake'));
  };

  #onError = (error: Error): void => {
    this.fail(
      new AuthenticationError(`the connection failed during the authentication handshake: ${error.message}`, {
        cause: error,
      }),
    );
  };

  #deliver(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    let frame: Uint8Array | undefined;
    try {
      frame = this.reader.take(pending.limit);
    } catch (error) {
      if (!(error instanceof FrameLengthError)) throw error;
      this.#failure ??= new AuthenticationError(
        `the peer sent ${error.message} during the authentication handshake: it does not speak this protocol`,
      );
    }
    if (frame === undefined && this.#failure === undefined) return;
    this.#pending = undefined;
    if (frame !== undefined) pending.resolve(frame);
    else pending.reject(this.#failure as AuthenticationError);
  }
}

/**
 * Authenticates the peer on `socket` with `authkey`, both ways, within `timeoutMs` (undefined: no limit).
 * Returns the reader holding what the peer sent after the handshake; the socket is paused.
 *
 * @throws {AuthenticationError} when either side's proof fails, the peer speaks another protocol, closes, or
 * takes longer than the timeout. The socket is closed then (after the #FAILURE# verdict, when there is one).
 */
export async function authenticate(
  socket: Socket,
  role: Role,
  authkey: Uint8Array,
  timeoutMs: number | undefined,
): Promise<FrameReader> {
  const channel = new SocketHandshakeChannel(socket);
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          channel.fail(
            new AuthenticationError(
              `no authentication within ${timeoutMs} ms (handshakeTimeout): the peer did not complete the ` +
                'handshake; does it use an authkey?',
            ),
          );
          socket.destroy();
        }, timeoutMs);
  try {
    if (role === 'listener') {
      await deliverChallenge(channel, authkey);
      await answerChallenge(channel, authkey);
    } else {
      await answerChallenge(channel, authkey);
      await deliverChallenge(channel, authkey);
    }
    return channel.detach();
  } catch (error) {
    channel.detach();
    // end(), then destroy once written: a #FAILURE# verdict just written still reaches the peer, and a peer
    // that keeps its end open does not keep this socket.
    socket.end(() => socket.destroy());
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
