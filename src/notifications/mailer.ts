import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { Environment, publicUrl } from '../config/environment.js';

/** One email to send, as the worker hands it over. */
export interface OutgoingEmail {
  /** The email row's id: the stable Message-ID and the outbox file's name. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The one-click unsubscribe link (RFC 8058); none on a confirmation. */
  unsubscribeUrl?: string;
}

/**
 * Sends emails: through SMTP_URL with nodemailer, or, without it, as .eml files in EMAIL_OUTBOX_DIR (the embedded
 * database's development setup), written by nodemailer's stream transport so that they are the bytes SMTP would
 * carry. Without either, nothing can be sent (`configured` is false and POST /subscriptions answers 503).
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger('Email');
  private readonly transport?: Transporter;
  private readonly outbox?: string;
  private readonly from: string;
  private readonly domain: string;

  constructor(env: Environment) {
    this.from = env.EMAIL_FROM;
    this.domain = new URL(publicUrl(env)).hostname || 'styrman.localhost';
    if (env.SMTP_URL) {
      // Pooled: the connection (and its TLS handshake) is kept for the next email instead of made for each one.
      this.transport = nodemailer.createTransport({ url: env.SMTP_URL, pool: true, maxConnections: 2 });
    } else if (env.EMAIL_OUTBOX_DIR) {
      this.outbox = env.EMAIL_OUTBOX_DIR;
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  /** Whether emails can be sent at all. */
  get configured(): boolean {
    return this.transport !== undefined;
  }

  /** Where the .eml files go, without SMTP_URL. */
  get outboxDir(): string | undefined {
    return this.outbox;
  }

  /** The Message-ID of an email: the same at every attempt, so a receiver can tell a resend. */
  messageId(id: string): string {
    return `<${id}@${this.domain}>`;
  }

  async send(email: OutgoingEmail): Promise<void> {
    if (!this.transport) throw new Error('No way to send emails: set SMTP_URL.');
    const info = (await this.transport.sendMail({
      from: this.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: this.messageId(email.id),
      headers: email.unsubscribeUrl
        ? { 'List-Unsubscribe': `<${email.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {},
    })) as { message?: Buffer };
    if (this.outbox) {
      await mkdir(this.outbox, { recursive: true });
      const file = join(this.outbox, `${new Date().toISOString().replace(/[:.]/g, '-')}-${email.id}.eml`);
      await writeFile(file, info.message ?? Buffer.alloc(0));
      // The address stays out of the log: the file has it.
      this.logger.log(`Email ${email.id} written to ${file}: ${email.subject}`);
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
