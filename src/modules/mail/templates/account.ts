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
