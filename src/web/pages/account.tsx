import { COUNTRIES } from '../../modules/vocabularies/countries.js';
import { ORGANIZATION_SIZES, ORGANIZATION_TYPES, SECTORS } from '../../modules/vocabularies/enums.js';
import { ErrorSummary, PostForm, Select, TextField } from '../components.js';
import type { PageContext } from '../context.js';
import type { FormState } from '../forms.js';
import { Layout } from '../layout.js';
import { m } from '../messages.js';

/** Choices of the controlled lists, in the order of the lists. */
export const countryOptions = COUNTRIES.map((country) => ({ value: country.code, label: country.name }));
export const sectorOptions = SECTORS.map((sector) => ({ value: sector.code, label: sector.label }));
export const organizationTypeOptions = ORGANIZATION_TYPES.map((type) => ({ value: type.code, label: type.label }));
export const organizationSizeOptions = ORGANIZATION_SIZES.map((size) => ({ value: size.code, label: size.label }));

export function LoginPage({ ctx, state, next }: { ctx: PageContext; state: FormState; next: string }) {
  return (
    <Layout ctx={ctx} meta={{ title: m.auth.loginTitle, noindex: true }}>
      <div class="narrow">
        <h1>{m.auth.loginTitle}</h1>
        <PostForm ctx={ctx} action={`/login?next=${encodeURIComponent(next)}`} novalidate>
          <ErrorSummary state={state} />
          <TextField name="email" type="email" label={m.auth.email} state={state} autocomplete="email" required />
          <TextField name="password" type="password" label={m.auth.password} state={state} autocomplete="current-password" required />
          <button type="submit" class="button">
            {m.auth.loginButton}
          </button>
        </PostForm>
        <p>
          <a href="/forgot-password">{m.auth.forgot}</a>
        </p>
        <p>
          {m.auth.noAccount} <a href="/register">{m.nav.register}</a>
        </p>
      </div>
    </Layout>
  );
}

export function RegisterPage({ ctx, state }: { ctx: PageContext; state: FormState }) {
  return (
    <Layout ctx={ctx} meta={{ title: m.auth.registerTitle, description: m.auth.registerIntro, canonical: '/register' }}>
      <div class="narrow">
        <h1>{m.auth.registerTitle}</h1>
        <p class="lead">{m.auth.registerIntro}</p>
        <PostForm ctx={ctx} action="/register" novalidate>
          <ErrorSummary state={state} />
          <TextField name="name" label={m.auth.name} state={state} autocomplete="name" maxLength={120} required />
          <TextField name="email" type="email" label={m.auth.email} state={state} autocomplete="email" required />
          <TextField name="password" type="password" label={m.auth.newPassword} hint={m.auth.passwordHint} state={state} autocomplete="new-password" required />
          <fieldset class="group">
            <legend>{m.auth.organization}</legend>
            <TextField name="organizationName" label={m.auth.organizationName} state={state} autocomplete="organization" maxLength={200} required />
            <Select name="organizationCountry" label={m.auth.organizationCountry} state={state} options={countryOptions} placeholder="" />
            <Select
              name="organizationType"
              label={m.auth.organizationType}
              state={state}
              options={organizationTypeOptions}
              placeholder=""
            />
            <Select
              name="organizationSize"
              label={m.auth.organizationSize}
              state={state}
              options={organizationSizeOptions}
              placeholder=""
            />
            <TextField name="organizationWebsite" type="url" label={m.auth.organizationWebsite} state={state} autocomplete="url" />
          </fieldset>
          <button type="submit" class="button">
            {m.auth.registerButton}
          </button>
        </PostForm>
        <p>
          {m.auth.haveAccount} <a href="/login">{m.nav.login}</a>
        </p>
      </div>
    </Layout>
  );
}

export function VerifyEmailPage({ ctx, token, failed }: { ctx: PageContext; token: string; failed: boolean }) {
  return (
    <Layout ctx={ctx} meta={{ title: m.auth.verifyTitle, noindex: true }}>
      <div class="narrow">
        <h1>{m.auth.verifyTitle}</h1>
        {failed ? (
          <>
            <p class="lead">{m.auth.verifyFailed}</p>
            {ctx.actor && !ctx.actor.emailVerified ? (
              <PostForm ctx={ctx} action="/verify-email/resend">
                <button type="submit" class="button">
                  {m.auth.verifyResend}
                </button>
              </PostForm>
            ) : !ctx.actor ? (
              <p>
                <a href="/login?next=%2Faccount">{m.auth.verifyLogin}</a>
              </p>
            ) : null}
          </>
        ) : (
          <PostForm ctx={ctx} action="/verify-email">
            <input type="hidden" name="token" value={token} />
            <button type="submit" class="button">
              {m.auth.verifyTitle}
            </button>
          </PostForm>
        )}
      </div>
    </Layout>
  );
}

export function ForgotPasswordPage({ ctx, state }: { ctx: PageContext; state: FormState }) {
  return (
    <Layout ctx={ctx} meta={{ title: m.auth.forgotTitle, noindex: true }}>
      <div class="narrow">
        <h1>{m.auth.forgotTitle}</h1>
        <p>{m.auth.forgotIntro}</p>
        <PostForm ctx={ctx} action="/forgot-password" novalidate>
          <ErrorSummary state={state} />
          <TextField name="email" type="email" label={m.auth.email} state={state} autocomplete="email" required />
          <button type="submit" class="button">
            {m.auth.forgotButton}
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}

export function ResetPasswordPage({ ctx, state, token }: { ctx: PageContext; state: FormState; token: string }) {
  return (
    <Layout ctx={ctx} meta={{ title: m.auth.resetTitle, noindex: true }}>
      <div class="narrow">
        <h1>{m.auth.resetTitle}</h1>
        <PostForm ctx={ctx} action="/reset-password" novalidate>
          <ErrorSummary state={state} />
          <input type="hidden" name="token" value={token} />
          <TextField name="password" type="password" label={m.auth.newPassword} hint={m.auth.passwordHint} state={state} autocomplete="new-password" required />
          <button type="submit" class="button">
            {m.auth.resetButton}
          </button>
        </PostForm>
        {state.errors._form ? (
          <p>
            <a href="/forgot-password">{m.auth.forgotTitle}</a>
          </p>
        ) : null}
      </div>
    </Layout>
  );
}

export interface AccountData {
  email: string;
  role: string;
  emailVerified: boolean;
  organizationName: string | null;
}

export function AccountPage({ ctx, data, nameState, passwordState }: { ctx: PageContext; data: AccountData; nameState: FormState; passwordState: FormState }) {
  return (
    <Layout ctx={ctx} meta={{ title: m.auth.accountTitle, noindex: true }}>
      <div class="narrow">
        <h1>{m.auth.accountTitle}</h1>
        <dl class="summary-list">
          <dt>{m.auth.emailStatus}</dt>
          <dd>
            {data.email} ({data.emailVerified ? m.auth.verified : m.auth.notVerified})
          </dd>
          <dt>{m.auth.role}</dt>
          <dd>{m.auth.roles[data.role] ?? data.role}</dd>
          {data.organizationName ? (
            <>
              <dt>{m.auth.organizationOf}</dt>
              <dd>{data.organizationName}</dd>
            </>
          ) : null}
        </dl>
        {!data.emailVerified ? (
          <PostForm ctx={ctx} action="/verify-email/resend">
            <button type="submit" class="button button--secondary">
              {m.my.resend}
            </button>
          </PostForm>
        ) : null}
        <section aria-labelledby="profile">
          <h2 id="profile">{m.auth.profile}</h2>
          <PostForm ctx={ctx} action="/account/name" novalidate>
            <ErrorSummary state={nameState} />
            <TextField name="name" label={m.auth.name} state={nameState} autocomplete="name" maxLength={120} required />
            <button type="submit" class="button">
              {m.auth.saveName}
            </button>
          </PostForm>
        </section>
        <section aria-labelledby="password">
          <h2 id="password">{m.auth.changePassword}</h2>
          <PostForm ctx={ctx} action="/account/password" novalidate>
            <ErrorSummary state={passwordState} />
            <TextField name="currentPassword" type="password" label={m.auth.currentPassword} state={passwordState} autocomplete="current-password" required />
            <TextField name="password" type="password" label={m.auth.newPassword} hint={m.auth.passwordHint} state={passwordState} autocomplete="new-password" required />
            <button type="submit" class="button">
              {m.auth.changePassword}
            </button>
          </PostForm>
        </section>
      </div>
    </Layout>
  );
}
