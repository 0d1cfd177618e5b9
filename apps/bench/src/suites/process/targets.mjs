// The trivial Process target of the start-up benchmark: the child imports this module and calls it.
export function noop() {}
