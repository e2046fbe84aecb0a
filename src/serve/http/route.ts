// The route table of the HTTP endpoint: exact paths to handlers that answer synchronously from
// memory. Paths are matched as sent, never decoded or normalised, so `//metrics`, `/a/../metrics` and
// `/%6detrics` name no route (404) and nothing here ever maps a request to a file.

export interface Request {
  /** The query string's parameters; empty for a route that takes none (the server refuses one). */
  readonly query: URLSearchParams;
  /** The Accept header, '' when absent. */
  readonly accept: string;
  /** When the request arrived, ms since the epoch. */
  readonly now: number;
}

export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Route {
  /** Whether the path takes a query string; one on a path that takes none is a 400. */
  readonly query: boolean;
  /** Synchronous: the server answers one request at a time, in the HTTP worker's thread. */
  answer(req: Request): Answer;
}

export class Routes {
  private readonly table = new Map<string, Route>();

  /** `path` as clients send it; the status page registers `/` this way. */
  add(path: string, route: Route): this {
    if (!/^\/[A-Za-z0-9/_.-]*$/.test(path) || path.includes('//') || path.includes('/.')) throw new RangeError(`not a plain path: ${path}`);
    if (this.table.has(path)) throw new RangeError(`route ${path} registered twice`);
    this.table.set(path, route);
    return this;
  }

  get(path: string): Route | undefined {
    return this.table.get(path);
  }
}

/** Thrown by a handler whose data is out of reach for a moment (the store being recreated): a 503. */
export class Unavailable extends Error {}

export const TEXT = 'text/plain; charset=utf-8';

export function text(status: number, body: string, headers?: Record<string, string>): Answer {
  return { status, type: TEXT, body: `${body}\n`, ...(headers === undefined ? {} : { headers }) };
}

export function json(value: unknown, status = 200): Answer {
  return { status, type: 'application/json; charset=utf-8', body: `${JSON.stringify(value)}\n` };
}
