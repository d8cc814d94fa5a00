/**
 * A request body read once and shared by everyone who needs it on the way through the hub: the
 * request-context middleware (the GraphQL operation name for metrics and the request log), the
 * schema-browsing check and GraphQL's request parser. Each used to read its own copy
 * (`request.clone()`), which turns the server's lightweight request into a full web-standard one
 * with a tee'd stream: on a small translation, about a tenth of the hub's CPU.
 *
 * A body is only shared once `bodyText` has read it; a caller that never does leaves the request
 * untouched for the default parsers.
 *
 * @example
 * ```ts
 * const text = await bodyText(c.req.raw); // reads the body
 * await bodyText(c.req.raw);              // the same text, not read again
 * ```
 */
const bodies = new WeakMap<Request, Promise<string>>();

export function bodyText(request: Request): Promise<string> {
  let text = bodies.get(request);
  if (!text) bodies.set(request, (text = request.text()));
  return text;
}

/** Whether the body of this request was read through `bodyText` (and can only be had from it now). */
export function bodyWasRead(request: Request): boolean {
  return bodies.has(request);
}
