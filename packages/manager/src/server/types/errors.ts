/**
 * Python's `KeyError` and `AttributeError`, which have no JavaScript class: thrown by managed objects, they
 * reach the client as a `RemoteError` whose `remoteName` is the Python name.
 */

export class KeyError extends Error {
  override readonly name = 'KeyError';
}

export class AttributeError extends Error {
  override readonly name = 'AttributeError';
}
