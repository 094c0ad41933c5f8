import { AGREEMENT_TYPES, DECLINE_REASONS } from '../../modules/vocabularies/enums.js';
import { ErrorSummary, PostForm, Select, Tag, TextArea, TextField, Time } from '../components.js';
import type { PageContext } from '../context.js';
import { emptyForm, type FormState } from '../forms.js';
import { label, m } from '../messages.js';
import { listingPath, type PublicListing } from './listing-parts.js';
import { MyLayout } from './my-listings.js';

interface PartyContact {
  organizationName: string;
  country: string;
  website: string | null;
  organizationEmail: string | null;
  phone: string | null;
  contactName: string;
  contactEmail: string;
}
type Contacts = { owner: PartyContact; sender: PartyContact } | null;
type OrganizationPublic = { id: string; name: string; country: string };

export interface InterestView {
  id: string;
  status: string;
  message: string;
  listing: PublicListing;
  senderOrganization: OrganizationPublic;
  sender: { id: string; name: string };
  sentByIntermediary: boolean;
  declineReason: string | null;
  declineNote: string | null;
  introductionId: string | null;
  viewerSides: ('sender' | 'owner')[];
  createdAt: Date;
  contacts?: Contacts;
}

const interestTone = (status: string) => (status === 'accepted' ? 'ok' : status === 'declined' ? 'bad' : 'status');

export function InterestListPage({ ctx, box, items }: { ctx: PageContext; box: 'received' | 'sent'; items: InterestView[] }) {
  const title = box === 'received' ? m.my.interestsReceived : m.my.interestsSent;
  return (
    <MyLayout ctx={ctx} title={title} current={`/my/interests/${box}`}>
      <h1>{title}</h1>
      {items.length === 0 ? <p class="empty">{m.my.noInterests}</p> : null}
      {items.map((interest) => (
        <article class="card" key={interest.id} id={`interest-${interest.id}`}>
          <p class="card__meta">
            <Tag tone={interestTone(interest.status)}>{label.interestStatus(interest.status)}</Tag> <Time ctx={ctx} value={interest.createdAt} />
          </p>
          <h2 class="card__title">
            <a href={`/my/interests/${interest.id}`}>{interest.listing.title}</a>
          </h2>
          <p class="muted">
            {box === 'received' ? `${m.my.from}: ${interest.senderOrganization.name} (${label.country(interest.senderOrganization.country)})` : `${m.my.about}: ${interest.listing.reference}`}
            {interest.sentByIntermediary ? ` · ${m.my.viaIntermediary}` : ''}
          </p>
          <p class="prose clamp">{interest.message}</p>
        </article>
      ))}
    </MyLayout>
  );
}

function ContactCard({ title, contact }: { title: string; contact: PartyContact }) {
  return (
    <div class="panel">
      <h3>{title}</h3>
      <dl class="summary-list">
        <dt>{m.auth.organizationOf}</dt>
        <dd>
          {contact.organizationName} ({label.country(contact.country)})
        </dd>
        <dt>{m.auth.name}</dt>
        <dd>{contact.contactName}</dd>
        <dt>{m.auth.email}</dt>
        <dd>
          <a href={`mailto:${contact.contactEmail}`}>{contact.contactEmail}</a>
        </dd>
        {contact.phone ? (
          <>
            <dt>Phone</dt>
            <dd>{contact.phone}</dd>
          </>
        ) : null}
        {contact.website ? (
          <>
            <dt>Website</dt>
            <dd>{contact.website}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

export function InterestPage({ ctx, interest, declineState }: { ctx: PageContext; interest: InterestView; declineState: FormState }) {
  const isOwner = interest.viewerSides.includes('owner');
  const isSender = interest.viewerSides.includes('sender');
  return (
    <MyLayout ctx={ctx} title={interest.listing.title} current={isOwner ? '/my/interests/received' : '/my/interests/sent'}>
      <p class="card__meta">
        <Tag tone={interestTone(interest.status)}>{label.interestStatus(interest.status)}</Tag> <Time ctx={ctx} value={interest.createdAt} />
      </p>
      <h1>
        {m.listing.expressInterest}: <a href={listingPath(interest.listing)}>{interest.listing.title}</a>
      </h1>
      <dl class="summary-list">
        <dt>{m.my.from}</dt>
        <dd>
          {interest.sender.name}, {interest.senderOrganization.name} ({label.country(interest.senderOrganization.country)})
          {interest.sentByIntermediary ? ` · ${m.my.viaIntermediary}` : ''}
        </dd>
        <dt>{m.my.about}</dt>
        <dd>
          {interest.listing.reference} · {label.kind(interest.listing.kind)}
        </dd>
      </dl>
      <blockquote class="message prose">{interest.message}</blockquote>
      {interest.status === 'declined' && interest.declineReason ? (
        <p class="banner">
          {m.my.declineReason}: {label.declineReason(interest.declineReason)}
          {interest.declineNote ? ` — ${interest.declineNote}` : ''}
        </p>
      ) : null}
      {interest.contacts ? (
        <section aria-labelledby="contacts">
          <h2 id="contacts">{m.my.contacts}</h2>
          <div class="columns">
            <ContactCard title={m.my.ownerSide} contact={interest.contacts.owner} />
            <ContactCard title={m.my.senderSide} contact={interest.contacts.sender} />
          </div>
          {interest.introductionId ? (
            <p>
              <a href={`/my/introductions/${interest.introductionId}`}>{m.my.introductions}</a>
            </p>
          ) : null}
        </section>
      ) : null}
      {isOwner && interest.status === 'pending' ? (
        <div class="columns">
          <PostForm ctx={ctx} action={`/my/interests/${interest.id}/accept`}>
            <button type="submit" class="button">
              {m.my.accept}
            </button>
          </PostForm>
          <PostForm ctx={ctx} action={`/my/interests/${interest.id}/decline`} novalidate class="panel">
            <h2>{m.my.decline}</h2>
            <ErrorSummary state={declineState} />
            <Select
              name="reason"
              label={m.my.declineReason}
              state={declineState}
              placeholder=""
              options={DECLINE_REASONS.map((reason) => ({ value: reason.code, label: reason.label }))}
            />
            <TextArea name="note" label={m.my.declineNote} state={declineState} maxLength={2000} rows={3} />
            <button type="submit" class="button button--secondary">
              {m.my.decline}
            </button>
          </PostForm>
        </div>
      ) : null}
      {isSender && interest.status === 'pending' ? (
        <PostForm ctx={ctx} action={`/my/interests/${interest.id}/withdraw`}>
          <button type="submit" class="button button--secondary">
            {m.my.withdrawInterest}
          </button>
        </PostForm>
      ) : null}
    </MyLayout>
  );
}

export interface IntroductionView {
  id: string;
  status: string;
  listing: PublicListing;
  ownerOrganization: OrganizationPublic;
  senderOrganization: OrganizationPublic;
  agreementType: string | null;
  agreementDate: string | null;
  viewerSides: ('sender' | 'owner')[];
  createdAt: Date;
  contacts?: Contacts;
}

export function IntroductionListPage({ ctx, items }: { ctx: PageContext; items: IntroductionView[] }) {
  return (
    <MyLayout ctx={ctx} title={m.my.introductions} current="/my/introductions">
      <h1>{m.my.introductions}</h1>
      {items.length === 0 ? <p class="empty">{m.my.noInterests}</p> : null}
      {items.map((introduction) => (
        <article class="card" key={introduction.id}>
          <p class="card__meta">
            <Tag tone={introduction.status === 'agreement_signed' ? 'ok' : 'status'}>{label.introductionStatus(introduction.status)}</Tag>{' '}
            <Time ctx={ctx} value={introduction.createdAt} />
          </p>
          <h2 class="card__title">
            <a href={`/my/introductions/${introduction.id}`}>{introduction.listing.title}</a>
          </h2>
          <p class="muted">
            {introduction.ownerOrganization.name} ↔ {introduction.senderOrganization.name}
          </p>
        </article>
      ))}
    </MyLayout>
  );
}

export function IntroductionPage({ ctx, introduction, agreementState }: { ctx: PageContext; introduction: IntroductionView; agreementState: FormState }) {
  const party = introduction.viewerSides.length > 0;
  return (
    <MyLayout ctx={ctx} title={m.my.introductions} current="/my/introductions">
      <p class="card__meta">
        <Tag tone={introduction.status === 'agreement_signed' ? 'ok' : 'status'}>{label.introductionStatus(introduction.status)}</Tag>
      </p>
      <h1>
        <a href={listingPath(introduction.listing)}>{introduction.listing.title}</a>
      </h1>
      {introduction.agreementType ? (
        <p class="banner">
          {label.agreementType(introduction.agreementType)} · <Time ctx={ctx} value={introduction.agreementDate} />
        </p>
      ) : null}
      {introduction.contacts ? (
        <div class="columns">
          <ContactCard title={m.my.ownerSide} contact={introduction.contacts.owner} />
          <ContactCard title={m.my.senderSide} contact={introduction.contacts.sender} />
        </div>
      ) : null}
      {party && introduction.status === 'in_discussion' ? (
        <div class="columns">
          <PostForm ctx={ctx} action={`/my/introductions/${introduction.id}/agreement`} novalidate class="panel">
            <h2>{m.my.recordAgreement}</h2>
            <ErrorSummary state={agreementState} />
            <Select name="type" label={m.my.agreementType} state={agreementState} placeholder="" options={AGREEMENT_TYPES.map((type) => ({ value: type.code, label: type.label }))} />
            <TextField name="date" type="date" label={m.my.agreementDate} state={agreementState} />
            <TextArea name="note" label={m.my.note} state={agreementState} maxLength={2000} rows={2} />
            <button type="submit" class="button">
              {m.my.recordAgreement}
            </button>
          </PostForm>
          <PostForm ctx={ctx} action={`/my/introductions/${introduction.id}/end`} class="panel">
            <h2>{m.my.end}</h2>
            <TextArea name="endNote" label={m.my.note} state={emptyForm()} maxLength={2000} rows={2} />
            <button type="submit" class="button button--secondary">
              {m.my.end}
            </button>
          </PostForm>
        </div>
      ) : null}
      {party && introduction.status === 'agreement_signed' ? (
        <PostForm ctx={ctx} action={`/my/introductions/${introduction.id}/close`} class="panel">
          <TextArea name="closeNote" label={m.my.note} state={emptyForm()} maxLength={2000} rows={2} />
          <button type="submit" class="button button--secondary">
            {m.my.close}
          </button>
        </PostForm>
      ) : null}
    </MyLayout>
  );
}
