import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A message as the SMTP server received it. */
export interface ReceivedMail {
  /** Envelope recipients (RCPT TO). */
  recipients: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: ParsedMail['headers'];
  raw: string;
}

export interface TestSmtpServer {
  /** SMTP_URL for createTestApp. */
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Messages whose envelope includes the address. */
  to(address: string): ReceivedMail[];
  /** Refuse every recipient with this SMTP code (4xx temporary, 5xx permanent); null accepts again. */
  refuse(code: number | null): void;
  /**
   * Hangs: each message's final answer waits (the sender waits with it) until release(), or, with
   * delayMs, that long per message. `holding` counts the messages waiting now.
   */
  hold(delayMs?: number): void;
  release(): void;
  readonly holding: number;
  /** Stops listening (the server is "down") until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  clear(): void;
}

/** A real SMTP server in the test process, on a random local port. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  let refusal: number | null = null;
  let hold: { delayMs: number | null } | null = null;
  const waiting = new Set<() => void>();
  let server: SMTPServer | null = null;
  let port = 0;

  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(_address, _session, callback) {
        if (refusal === null) return callback();
        const error = Object.assign(new Error(refusal >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: refusal });
        return callback(error);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (hold) {
            const proceed = () => {
              if (waiting.delete(proceed)) accept();
            };
            waiting.add(proceed);
            if (hold.delayMs !== null) setTimeout(proceed, hold.delayMs);
          } else accept();
        });
        const accept = () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          // Parsed before the server answers, so the message is here once the sender's send resolves.
          simpleParser(raw)
            .then((parsed) => {
              messages.push({
                recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                messageId: parsed.messageId ?? '',
                headers: parsed.headers,
                raw,
              });
              callback();
            })
            .catch((error: Error) => callback(error));
        };
      },
    });

  const start = () =>
    new Promise<void>((resolve, reject) => {
      server = create();
      server.on('error', reject);
      const listening = server.listen(port, '127.0.0.1', () => {
        const address = listening.address();
        if (address && typeof address === 'object') port = address.port;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = null;
      if (!current) return resolve();
      current.close(() => resolve());
    });

  await start();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    messages,
    to: (address) => messages.filter((message) => message.recipients.includes(address.toLowerCase())),
    refuse(code) {
      refusal = code;
    },
    hold(delayMs) {
      hold = { delayMs: delayMs ?? null };
    },
    release() {
      hold = null;
      for (const proceed of [...waiting]) proceed();
    },
    get holding() {
      return waiting.size;
    },
    stop,
    start,
    clear() {
      messages.length = 0;
    },
  };
}

/** The first link in a mail's text that starts with the given address. */
export function linkIn(mail: ReceivedMail, prefix: string): URL {
  const match = mail.text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!match) throw new Error(`no link starting with ${prefix} in:\n${mail.text}`);
  return new URL(match);
}
