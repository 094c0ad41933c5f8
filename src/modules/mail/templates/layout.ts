import type { z } from 'zod';
import { escapeHtml } from '../../../lib/html.js';

// Every mail is written once as a list of blocks and rendered to both plain text and HTML from it,
// so the two parts always say the same thing and every piece of data in the HTML is escaped.

export type MailBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'quote'; text: string }
  | { kind: 'action'; label: string; url: string }
  | { kind: 'details'; rows: [label: string, value: string | null | undefined][] };

export interface MailContent {
  subject: string;
  blocks: MailBlock[];
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface TemplateContext {
  recipient: { email: string; name?: string | null };
  /** The web address of the platform, without a trailing slash, for the links in the mail. */
  publicUrl: string;
  unsubscribeUrl: string | null;
}

export interface MailTemplate<S extends z.ZodType = z.ZodType> {
  /** Checks the message data at enqueue time, so a bad call fails in the caller, not in the worker. */
  data: S;
  build(data: z.infer<S>, context: TemplateContext): MailContent;
}

/** Typed template definition: `build` receives the data as its schema parsed it. */
export function defineTemplate<S extends z.ZodType>(data: S, build: (data: z.infer<S>, context: TemplateContext) => MailContent): MailTemplate<S> {
  return { data, build };
}

const SIGNATURE = 'The Technology Database team';


/** Long dates in words ("16 March 2027"), so no reader mistakes the day for the month. */
export function formatDate(value: Date | string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(value));
}

export function render(content: MailContent, context: TemplateContext): RenderedMail {
  const name = context.recipient.name?.trim();
  const greeting = name ? `Dear ${name},` : 'Hello,';
  return { subject: content.subject, text: renderText(content, context, greeting), html: renderHtml(content, context, greeting) };
}

function renderText(content: MailContent, context: TemplateContext, greeting: string): string {
  const parts = [greeting];
  for (const block of content.blocks) {
    switch (block.kind) {
      case 'paragraph':
        parts.push(block.text);
        break;
      case 'quote':
        parts.push(block.text.split('\n').map((line) => `> ${line}`).join('\n'));
        break;
      case 'action':
        parts.push(`${block.label}:\n${block.url}`);
        break;
      case 'details':
        parts.push(presentRows(block.rows).map(([label, value]) => `${label}: ${value}`).join('\n'));
        break;
    }
  }
  parts.push(`${SIGNATURE}\n${context.publicUrl}`);
  if (context.unsubscribeUrl) parts.push(`To stop receiving these messages: ${context.unsubscribeUrl}`);
  return `${parts.join('\n\n')}\n`;
}

function renderHtml(content: MailContent, context: TemplateContext, greeting: string): string {
  const body: string[] = [`<p>${escapeHtml(greeting)}</p>`];
  for (const block of content.blocks) {
    switch (block.kind) {
      case 'paragraph':
        body.push(`<p>${multiline(block.text)}</p>`);
        break;
      case 'quote':
        body.push(`<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #c8d3e0;color:#333">${multiline(block.text)}</blockquote>`);
        break;
      case 'action':
        body.push(
          `<p><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:10px 18px;background:#1d4f91;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(block.label)}</a></p>` +
            `<p style="font-size:12px;color:#555">If the button does not work, copy this address into your browser:<br>${escapeHtml(block.url)}</p>`,
        );
        break;
      case 'details':
        body.push(
          `<table style="border-collapse:collapse;margin:0 0 16px">${presentRows(block.rows)
            .map(([label, value]) => `<tr><th align="left" style="padding:2px 12px 2px 0;font-weight:600">${escapeHtml(label)}</th><td style="padding:2px 0">${escapeHtml(value)}</td></tr>`)
            .join('')}</table>`,
        );
        break;
    }
  }
  body.push(`<p>${escapeHtml(SIGNATURE)}<br><a href="${escapeHtml(context.publicUrl)}">${escapeHtml(context.publicUrl)}</a></p>`);
  if (context.unsubscribeUrl) {
    body.push(`<p style="font-size:12px;color:#555"><a href="${escapeHtml(context.unsubscribeUrl)}">Unsubscribe</a> from these messages.</p>`);
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(content.subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#111;max-width:640px">',
    ...body,
    '</body></html>',
  ].join('\n');
}

function multiline(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>');
}

function presentRows(rows: [string, string | null | undefined][]): [string, string][] {
  return rows.filter((row): row is [string, string] => typeof row[1] === 'string' && row[1].length > 0);
}
