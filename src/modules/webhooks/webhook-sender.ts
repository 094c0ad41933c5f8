import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './webhook-targets.js';

export type AttemptOutcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

export interface SendOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
}

export const USER_AGENT = 'TechnologyDatabase-Webhooks/1.0';

/**
 * Resolves like dns.lookup, but fails when any address of the name is not public: the check
 * happens on the very addresses the connection uses, so a name that changed its answer since it
 * was registered (DNS rebinding) still cannot reach the internal network.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return (callback as (error: Error) => void)(error);
    if (addresses.some((entry) => !isPublicAddress(entry.address))) {
      return (callback as (error: Error) => void)(Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: 'ENONPUBLIC' }));
    }
    if ((options as LookupOptions).all) return (callback as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    const [first] = addresses;
    if (!first) return (callback as (error: Error) => void)(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }));
    return callback(null, first.address, first.family);
  });
};

/**
 * POSTs one delivery. A 2xx answer is success; anything else (redirects included: they are not
 * followed) is a failure with the status, and no answer within the timeout a failure without one.
 * The answer's body is read and dropped.
 */
export async function postDelivery(rawUrl: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<AttemptOutcome> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, statusCode: null, error: 'the address is not a valid URL' };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateTargets && isIP(host) && !isPublicAddress(host)) {
    return { ok: false, statusCode: null, error: `${host} is not a public address` };
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const request = send(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': USER_AGENT },
      lookup: options.allowPrivateTargets ? undefined : publicOnlyLookup,
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
    let settled = false;
    const settle = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    request.on('response', (response: IncomingMessage) => {
      const statusCode = response.statusCode ?? 0;
      response.resume();
      const done = () =>
        settle(
          statusCode >= 200 && statusCode < 300
            ? { ok: true, statusCode }
            : { ok: false, statusCode, error: statusCode >= 300 && statusCode < 400 ? `HTTP ${statusCode}: redirects are not followed` : `HTTP ${statusCode}` },
        );
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    request.on('error', (error: NodeJS.ErrnoException) => settle({ ok: false, statusCode: null, error: error.message || error.code || 'connection failed' }));
    request.end(body);
  });
}
