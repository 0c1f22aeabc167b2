import { SMTPServer } from 'smtp-server';

/** A message as the SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The Message-ID header, without the angle brackets. */
  messageId: string;
  /** A header's value (unfolded, encoded words decoded), by its name. */
  header(name: string): string | undefined;
  /** The message with quoted-printable undone: the text and HTML parts as written. */
  decoded: string;
}

/** Undoes quoted-printable (soft line breaks, =XX bytes) over a UTF-8 text. */
export function decodeQuotedPrintable(text: string): string {
  const latin1 = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header value. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

/**
 * A real SMTP server in the test process, on a free port of 127.0.0.1: Styrman sends to it through SMTP_URL as it
 * would to any server. `failNext` makes the next messages fail with a 451 (a temporary refusal).
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  failNext = 0;
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.failNext > 0) {
            this.failNext--;
            const error = new Error('Try again later') as Error & { responseCode: number };
            error.responseCode = 451;
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
          const headers = new Map<string, string>();
          for (const line of head.split(/\r?\n/)) {
            const colon = line.indexOf(':');
            if (colon > 0 && !headers.has(line.slice(0, colon).toLowerCase()))
              headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
          }
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: (headers.get('message-id') ?? '').replace(/^<|>$/g, ''),
            header: (name) => {
              const value = headers.get(name.toLowerCase());
              return value === undefined ? undefined : decodeWords(value);
            },
            decoded: decodeQuotedPrintable(raw),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages to an address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
