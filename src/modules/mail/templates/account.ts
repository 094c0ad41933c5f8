import { z } from 'zod';
import { defineTemplate } from './layout.js';

export const verifyEmail = defineTemplate(z.object({ token: z.string().min(1) }), ({ token }, { publicUrl }) => ({
  subject: 'Confirm your e-mail address',
  blocks: [
    { kind: 'paragraph', text: 'Welcome to the Technology Database. Please confirm your e-mail address to submit listings and send expressions of interest.' },
    { kind: 'action', label: 'Confirm my e-mail address', url: `${publicUrl}/verify-email?token=${encodeURIComponent(token)}` },
    { kind: 'paragraph', text: 'The link is valid for 7 days. If you did not create an account, ignore this message.' },
  ],
}));

export const passwordReset = defineTemplate(
  z.object({ token: z.string().min(1), expiresInMinutes: z.number().int().positive() }),
  ({ token, expiresInMinutes }, { publicUrl }) => ({
    subject: 'Reset your password',
    blocks: [
      { kind: 'paragraph', text: 'Someone asked to reset the password of your Technology Database account.' },
      { kind: 'action', label: 'Choose a new password', url: `${publicUrl}/reset-password?token=${encodeURIComponent(token)}` },
      {
        kind: 'paragraph',
        text: `The link works once and expires in ${expiresInMinutes} minutes. If you did not ask for it, ignore this message: your password stays as it is.`,
      },
    ],
  }),
);

/** To the owner of an address someone tried to register again: no account is made, nothing is revealed to the registrant. */
export const registrationAttempt = defineTemplate(z.object({}), (_data, { publicUrl }) => ({
  subject: 'Someone tried to register with your e-mail address',
  blocks: [
    {
      kind: 'paragraph',
      text: 'Someone tried to create a Technology Database account with your e-mail address, which already has one. No new account was made and your account is unchanged.',
    },
    { kind: 'paragraph', text: 'If it was you and you have forgotten your password, you can choose a new one:' },
    { kind: 'action', label: 'Reset my password', url: `${publicUrl}/reset-password` },
    { kind: 'paragraph', text: 'If it was not you, you need not do anything.' },
  ],
}));

/** A refresh token was used twice: someone else may hold a copy, so every session of that log-in was ended. */
export const sessionReuseDetected = defineTemplate(z.object({}), (_data, { publicUrl }) => ({
  subject: 'We signed you out to protect your account',
  blocks: [
    {
      kind: 'paragraph',
      text: 'A session key of your Technology Database account was used after it had already been replaced, which happens when someone else has a copy of it. We have ended that session on every device; please log in again.',
    },
    { kind: 'paragraph', text: 'If this keeps happening, change your password:' },
    { kind: 'action', label: 'Reset my password', url: `${publicUrl}/reset-password` },
  ],
}));
