import type { z } from 'zod';
import { AppError } from '../../../lib/errors.js';
import { verifyEmail, passwordReset, registrationAttempt, sessionReuseDetected } from './account.js';
import { alertDigest, alertInstant } from './alerts.js';
import { interestAccepted, interestDeclined, interestReceived, interestWithdrawn } from './interests.js';
import { render, type MailTemplate, type RenderedMail, type TemplateContext } from './layout.js';
import { listingRenewalReminder } from './listings.js';
import { webhookDisabled } from './webhooks.js';
import { techmonitorFeatured, techmonitorIssue, techmonitorSubscriptionConfirm } from './techmonitor.js';

export type { RenderedMail, TemplateContext } from './layout.js';

/**
 * Every mail the platform sends, by the template name callers pass to MailOutbox.enqueue. To add a
 * mail: write it with defineTemplate (a zod schema for its data and a build function) and add it here.
 * The names and data types are checked where mail is enqueued (OutgoingMail), so a wrong template
 * name or a missing or mistyped field fails the type check, not a user's mail.
 */
export const MAIL_TEMPLATES = {
  verify_email: verifyEmail,
  password_reset: passwordReset,
  registration_attempt: registrationAttempt,
  session_reuse_detected: sessionReuseDetected,
  listing_renewal_reminder: listingRenewalReminder,
  interest_received: interestReceived,
  interest_accepted: interestAccepted,
  interest_declined: interestDeclined,
  interest_withdrawn: interestWithdrawn,
  techmonitor_subscription_confirm: techmonitorSubscriptionConfirm,
  techmonitor_issue: techmonitorIssue,
  techmonitor_featured: techmonitorFeatured,
  alert_instant: alertInstant,
  alert_digest: alertDigest,
  webhook_disabled: webhookDisabled,
} satisfies Record<string, MailTemplate>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;
/**
 * What a template's data must hold, as its caller writes it (before the schema's defaults). Any mail
 * may carry its one-click unsubscribe link; the mail service turns it into List-Unsubscribe headers.
 */
export type MailData<Name extends MailTemplateName> = z.input<(typeof MAIL_TEMPLATES)[Name]['data']> & { unsubscribeUrl?: string };

/** A programming error in the caller (unknown template, data that does not fit it): fails the enqueueing transaction. */
export class MailTemplateError extends AppError {
  constructor(message: string) {
    super('mail_template_error', 500, message);
  }
}

export function renderMail(template: string, data: unknown, context: TemplateContext): RenderedMail {
  // Still checked when it runs: a template name stored with an older message may be gone.
  const definition: MailTemplate | undefined = Object.hasOwn(MAIL_TEMPLATES, template) ? MAIL_TEMPLATES[template as MailTemplateName] : undefined;
  if (!definition) throw new MailTemplateError(`Unknown mail template "${template}"`);
  const parsed = definition.data.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`).join('; ');
    throw new MailTemplateError(`Mail template "${template}" got invalid data: ${problems}`);
  }
  return render(definition.build(parsed.data, context), context);
}
