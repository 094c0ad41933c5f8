import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { ZOrganizationInput } from '../../modules/organizations/organizations.schemas.js';
import { ZEmail, ZPassword, ZRegisterBody } from '../../modules/users/users.schemas.js';
import { emptyForm, fOptionalText, fText, formBody, formStateFromError, parseForm } from '../forms.js';
import { m } from '../messages.js';
import { AccountPage, ForgotPasswordPage, LoginPage, RegisterPage, ResetPasswordPage, VerifyEmailPage } from '../pages/account.js';
import { clearSessionCookie, requireUser, safeNext, setSessionCookie } from '../session.js';
import type { WebKit } from '../web.plugin.js';

const ZLoginForm = z.object({ email: fText(z.string().trim().max(254)), password: fText(z.string().max(200)) });

// The registration form's flat fields, turned into the service's body (with its organisation).
const ZRegisterForm = z
  .object({
    name: fText(ZRegisterBody.shape.name),
    email: fText(ZEmail),
    password: fText(ZPassword),
    organizationName: fText(ZOrganizationInput.shape.name),
    organizationCountry: fText(ZOrganizationInput.shape.country),
    organizationType: fText(ZOrganizationInput.shape.type),
    organizationSize: fOptionalText(ZOrganizationInput.shape.size.unwrap().unwrap()),
    organizationWebsite: fOptionalText(ZOrganizationInput.shape.website.unwrap().unwrap()),
  })
  .transform((form) => ({
    name: form.name,
    email: form.email,
    password: form.password,
    organization: {
      name: form.organizationName,
      country: form.organizationCountry,
      type: form.organizationType,
      size: form.organizationSize ?? null,
      website: form.organizationWebsite ?? null,
    },
  }));

const registerLabels = {
  name: m.auth.name,
  email: m.auth.email,
  password: m.auth.newPassword,
  organizationName: m.auth.organizationName,
  organizationCountry: m.auth.organizationCountry,
  organizationType: m.auth.organizationType,
  organizationSize: m.auth.organizationSize,
  organizationWebsite: m.auth.organizationWebsite,
};
const fieldOfRegisterIssue = (path: string) => {
  const segments = path.split('.').filter((segment) => segment !== 'body');
  if (segments[0] === 'organization' && segments[1]) return `organization${segments[1].charAt(0).toUpperCase()}${segments[1].slice(1)}`;
  return segments[0] ?? '_form';
};

export function accountRoutes(web: FastifyInstance, kit: WebKit) {
  const { users, browserSessions, organizations } = web.services;
  // Log-in, registration and reset forms are limited like their API counterparts.
  const limited = { config: { rateLimit: { max: web.config.auth.rateLimitPerMinute, timeWindow: '1 minute' } } };

  web.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    const next = safeNext(request.query.next);
    if (request.actor) return reply.redirect(next, 303);
    return kit.render(reply, <LoginPage ctx={kit.ctx(request, reply)} state={emptyForm()} next={next} />);
  });

  web.post<{ Querystring: { next?: string } }>('/login', limited, async (request, reply) => {
    const next = safeNext(request.query.next);
    const values = formBody(request.body);
    const parsed = parseForm(ZLoginForm, values, { email: m.auth.email, password: m.auth.password });
    const fail = (message: string, status: number) =>
      kit.render(reply, <LoginPage ctx={kit.ctx(request, reply)} state={{ values: { email: values.email }, errors: { _form: message } }} next={next} />, status);
    if (!parsed.ok) return kit.render(reply, <LoginPage ctx={kit.ctx(request, reply)} state={{ ...parsed.state, values: { email: values.email } }} next={next} />, 400);
    let session;
    try {
      session = await users.login(parsed.data.email, parsed.data.password);
    } catch (error) {
      if (error instanceof AppError && error.statusCode === 401) return fail(m.auth.wrongCredentials, 401);
      if (error instanceof AppError && error.code === 'account_disabled') return fail(m.auth.disabled, 403);
      if (error instanceof AppError && error.statusCode === 429) return fail(error.message, 429);
      throw error;
    }
    // The pages keep their own session; the API token pair the service issued is not needed.
    await users.logout(session.refreshToken);
    if (request.sessionToken) await browserSessions.end(request.sessionToken);
    setSessionCookie(reply, kit.cookies, await browserSessions.start(session.user.id));
    return kit.redirect(reply, next, 'loggedIn');
  });

  web.post('/logout', async (request, reply) => {
    if (request.sessionToken) await browserSessions.end(request.sessionToken);
    clearSessionCookie(reply, kit.cookies);
    return kit.redirect(reply, '/', 'loggedOut');
  });

  web.get('/register', async (request, reply) => {
    if (request.actor) return reply.redirect('/my', 303);
    return kit.render(reply, <RegisterPage ctx={kit.ctx(request, reply)} state={emptyForm()} />);
  });

  web.post('/register', limited, async (request, reply) => {
    const values = formBody(request.body);
    const parsed = parseForm(ZRegisterForm, values, registerLabels);
    const again = (state: ReturnType<typeof emptyForm>) => kit.render(reply, <RegisterPage ctx={kit.ctx(request, reply)} state={state} />, 400);
    if (!parsed.ok) return again(parsed.state);
    try {
      await users.register(parsed.data);
    } catch (error) {
      return again(formStateFromError(error, values, registerLabels, fieldOfRegisterIssue));
    }
    // The same answer whether or not the address already has an account (the API's rule): the
    // person confirms the address from the mail, then logs in.
    return kit.redirect(reply, '/login', 'registered');
  });

  // The mailed link opens a page with a button: a mail scanner that fetches links does not use up the token.
  web.get<{ Querystring: { token?: string } }>('/verify-email', async (request, reply) => {
    const token = typeof request.query.token === 'string' ? request.query.token.slice(0, 200) : '';
    return kit.render(reply, <VerifyEmailPage ctx={kit.ctx(request, reply)} token={token} failed={!token} />, token ? 200 : 400);
  });

  web.post('/verify-email', async (request, reply) => {
    const token = String(formBody(request.body).token ?? '');
    try {
      await users.verifyEmail(token);
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode !== 400) throw error;
      return kit.render(reply, <VerifyEmailPage ctx={kit.ctx(request, reply)} token="" failed />, 400);
    }
    return kit.redirect(reply, request.actor ? '/my' : '/login?next=%2Fmy', 'emailVerified');
  });

  web.post('/verify-email/resend', async (request, reply) => {
    await users.resendVerification(requireUser(request));
    return kit.redirect(reply, '/account', 'verificationSent');
  });

  web.get('/forgot-password', async (request, reply) => kit.render(reply, <ForgotPasswordPage ctx={kit.ctx(request, reply)} state={emptyForm()} />));

  web.post('/forgot-password', limited, async (request, reply) => {
    const values = formBody(request.body);
    const parsed = parseForm(z.object({ email: fText(ZEmail) }), values, { email: m.auth.email });
    if (!parsed.ok) return kit.render(reply, <ForgotPasswordPage ctx={kit.ctx(request, reply)} state={parsed.state} />, 400);
    await users.requestPasswordReset(parsed.data.email);
    return kit.redirect(reply, '/login', 'resetRequested');
  });

  web.get<{ Querystring: { token?: string } }>('/reset-password', async (request, reply) => {
    const token = typeof request.query.token === 'string' ? request.query.token.slice(0, 200) : '';
    const state = token ? emptyForm() : { values: {}, errors: { _form: m.auth.resetFailed } };
    return kit.render(reply, <ResetPasswordPage ctx={kit.ctx(request, reply)} state={state} token={token} />, token ? 200 : 400);
  });

  web.post('/reset-password', limited, async (request, reply) => {
    const values = formBody(request.body);
    const token = String(values.token ?? '');
    const parsed = parseForm(z.object({ password: fText(ZPassword) }), values, { password: m.auth.newPassword });
    if (!parsed.ok) return kit.render(reply, <ResetPasswordPage ctx={kit.ctx(request, reply)} state={parsed.state} token={token} />, 400);
    try {
      await users.confirmPasswordReset(token, parsed.data.password);
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode !== 400) throw error;
      return kit.render(reply, <ResetPasswordPage ctx={kit.ctx(request, reply)} state={{ values: {}, errors: { _form: m.auth.resetFailed } }} token="" />, 400);
    }
    // The reset ended every session, this browser's included.
    clearSessionCookie(reply, kit.cookies);
    return kit.redirect(reply, '/login', 'passwordReset');
  });

  async function accountPage(request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply, states: { name?: ReturnType<typeof emptyForm>; password?: ReturnType<typeof emptyForm> } = {}) {
    const actor = requireUser(request);
    const organization = actor.organizationId ? await organizations.find(actor.organizationId) : null;
    const data = { email: actor.email, role: actor.role, emailVerified: actor.emailVerified, organizationName: organization?.name ?? null };
    const status = states.name || states.password ? 400 : 200;
    return kit.render(
      reply,
      <AccountPage ctx={kit.ctx(request, reply)} data={data} nameState={states.name ?? emptyForm({ name: actor.name })} passwordState={states.password ?? emptyForm()} />,
      status,
    );
  }

  web.get('/account', async (request, reply) => accountPage(request, reply));

  web.post('/account/name', async (request, reply) => {
    const actor = requireUser(request);
    const values = formBody(request.body);
    const parsed = parseForm(z.object({ name: fText(ZRegisterBody.shape.name) }), values, { name: m.auth.name });
    if (!parsed.ok) return accountPage(request, reply, { name: parsed.state });
    await users.updateProfile(actor, parsed.data);
    return kit.redirect(reply, '/account', 'profileSaved');
  });

  web.post('/account/password', async (request, reply) => {
    const actor = requireUser(request);
    const values = formBody(request.body);
    const labels = { currentPassword: m.auth.currentPassword, password: m.auth.newPassword };
    const parsed = parseForm(z.object({ currentPassword: fText(z.string().max(200)), password: fText(ZPassword) }), values, labels);
    if (!parsed.ok) return accountPage(request, reply, { password: { values: {}, errors: parsed.state.errors } });
    try {
      await users.changePassword(actor, parsed.data.currentPassword, parsed.data.password);
    } catch (error) {
      return accountPage(request, reply, { password: { ...formStateFromError(error, {}, labels), values: {} } });
    }
    if (request.sessionToken) await browserSessions.endOthers(actor.id, request.sessionToken);
    return kit.redirect(reply, '/account', 'passwordChanged');
  });
}
