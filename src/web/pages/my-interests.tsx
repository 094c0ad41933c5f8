import { AGREEMENT_TYPES, DECLINE_REASONS } from '../../modules/vocabularies/enums.js';
import { ErrorSummary, offsetHref, Pager, PostForm, Select, Tag, TextArea, TextField, Time } from '../components.js';
import type { PageContext } from '../context.js';
import { emptyForm, type FormState } from '../forms.js';
import { label, m, type FlashKey } from '../messages.js';
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

export interface InterestListData {
  items: InterestView[];
  total: number;
  offset: number;
  limit: number;
  /** The list is of one listing's EOIs (linked from its counts). */
  listingId?: string | undefined;
}

const interestListHref = (box: 'received' | 'sent', listingId: string | undefined, offset: number) => {
  const params = new URLSearchParams();
  if (listingId) params.set('listingId', listingId);
  if (offset > 0) params.set('offset', String(offset));
  return `/my/interests/${box}${params.size ? `?${params}` : ''}`;
};

/** The cards and their pager: on the page, and alone as the answer to "show more" (see Pager). */
export function InterestList({ ctx, box, data, appended = false }: { ctx: PageContext; box: 'received' | 'sent'; data: InterestListData; appended?: boolean }) {
  return (
    <>
      <div id="interest-list">
        {data.items.map((interest) => (
          <InterestCard ctx={ctx} box={box} interest={interest} key={interest.id} />
        ))}
      </div>
      <Pager
        ctx={ctx}
        id="interest-pager"
        listId="interest-list"
        offset={data.offset}
        limit={data.limit}
        total={data.total}
        hrefAt={(offset) => interestListHref(box, data.listingId, offset)}
        appended={appended}
      />
    </>
  );
}

export function InterestListPage({ ctx, box, data }: { ctx: PageContext; box: 'received' | 'sent'; data: InterestListData }) {
  const title = box === 'received' ? m.my.interestsReceived : m.my.interestsSent;
  return (
    <MyLayout ctx={ctx} title={title} current={`/my/interests/${box}`}>
      <h1>{title}</h1>
      {data.total === 0 ? <p class="empty">{m.my.noInterests}</p> : null}
      <InterestList ctx={ctx} box={box} data={data} />
    </MyLayout>
  );
}

/** What an inline answer did, in the part it replaced (a page's flash, for the part alone); app.js focuses it. */
function InlineNotice({ notice }: { notice: FlashKey | undefined }) {
  return notice ? (
    <p class="flash" role="status" tabIndex={-1} data-autofocus>
      {m.flash[notice]}
    </p>
  ) : null;
}

/**
 * One EOI in a list. On the received list, a pending one carries its answers: accept, or decline
 * with a reason and a note. With htmx they post in place and the answer replaces this card (the
 * form again with the mistake beside its field, or the card in its new state); without it they
 * post and the browser lands on the EOI's page.
 */
export function InterestCard(props: { ctx: PageContext; box: 'received' | 'sent'; interest: InterestView; declineState?: FormState; notice?: FlashKey | undefined }) {
  const { ctx, box, interest, declineState = emptyForm(), notice } = props;
  const cardId = `interest-${interest.id}`;
  const answerable = box === 'received' && interest.status === 'pending' && interest.viewerSides.includes('owner');
  const hasErrors = Object.keys(declineState.errors).length > 0;
  const inline = { 'hx-target': `#${cardId}`, 'hx-swap': 'outerHTML' };
  return (
    <article class="card" id={cardId}>
      <InlineNotice notice={notice} />
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
      {interest.status === 'declined' && interest.declineReason ? (
        <p class="muted">
          {m.my.declineReason}: {label.declineReason(interest.declineReason)}
        </p>
      ) : null}
      {interest.status === 'accepted' ? (
        <p>
          <a href={`/my/interests/${interest.id}#contacts`}>{m.my.seeContacts}</a>
        </p>
      ) : null}
      {declineState.errors._form ? (
        <p class="field-error" role="alert">
          {declineState.errors._form}
        </p>
      ) : null}
      {answerable ? (
        <div class="card__actions">
          <PostForm ctx={ctx} action={`/my/interests/${interest.id}/accept`} hx-post={`/my/interests/${interest.id}/accept`} {...inline} class="inline-form">
            <button type="submit" class="button">
              {m.my.accept}
            </button>
          </PostForm>
          <details class="inline-decline" open={hasErrors}>
            <summary>{m.my.declineEllipsis}</summary>
            <PostForm ctx={ctx} action={`/my/interests/${interest.id}/decline`} hx-post={`/my/interests/${interest.id}/decline`} {...inline} novalidate class="panel">
              <DeclineFields state={declineState} suffix={`-${interest.id}`} />
            </PostForm>
          </details>
        </div>
      ) : null}
    </article>
  );
}

/** The reason (a coded choice) and the note of a decline; `suffix` keeps ids unique on a list. */
function DeclineFields({ state, suffix = '' }: { state: FormState; suffix?: string }) {
  return (
    <>
      <Select
        name="reason"
        id={`reason${suffix}`}
        label={m.my.declineReason}
        state={state}
        placeholder=""
        options={DECLINE_REASONS.map((reason) => ({ value: reason.code, label: reason.label }))}
      />
      <TextArea name="note" id={`note${suffix}`} label={m.my.declineNote} state={state} maxLength={2000} rows={3} />
      <button type="submit" class="button button--secondary">
        {m.my.decline}
      </button>
    </>
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
        <dt>{m.my.contactName}</dt>
        <dd>{contact.contactName}</dd>
        <dt>{m.auth.email}</dt>
        <dd>
          <a href={`mailto:${contact.contactEmail}`}>{contact.contactEmail}</a>
        </dd>
        {contact.phone ? (
          <>
            <dt>{m.my.phone}</dt>
            <dd>{contact.phone}</dd>
          </>
        ) : null}
        {contact.website ? (
          <>
            <dt>{m.my.website}</dt>
            <dd>{contact.website}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

export function InterestPage({ ctx, interest, declineState }: { ctx: PageContext; interest: InterestView; declineState: FormState }) {
  const isOwner = interest.viewerSides.includes('owner');
  return (
    <MyLayout ctx={ctx} title={interest.listing.title} current={isOwner ? '/my/interests/received' : '/my/interests/sent'}>
      <InterestDetail ctx={ctx} interest={interest} declineState={declineState} />
    </MyLayout>
  );
}

/** The EOI page's content: with htmx, accept and decline post in place and the answer replaces it. */
export function InterestDetail({ ctx, interest, declineState, notice }: { ctx: PageContext; interest: InterestView; declineState: FormState; notice?: FlashKey | undefined }) {
  const isOwner = interest.viewerSides.includes('owner');
  const isSender = interest.viewerSides.includes('sender');
  const inline = { 'hx-target': '#interest-detail', 'hx-swap': 'outerHTML' };
  return (
    <div id="interest-detail">
      <InlineNotice notice={notice} />
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
      {declineState.errors._form && !(isOwner && interest.status === 'pending') ? (
        <p class="field-error" role="alert">
          {declineState.errors._form}
        </p>
      ) : null}
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
          <PostForm ctx={ctx} action={`/my/interests/${interest.id}/accept`} hx-post={`/my/interests/${interest.id}/accept`} {...inline}>
            <button type="submit" class="button">
              {m.my.accept}
            </button>
          </PostForm>
          <PostForm ctx={ctx} action={`/my/interests/${interest.id}/decline`} hx-post={`/my/interests/${interest.id}/decline`} {...inline} novalidate class="panel">
            <h2>{m.my.decline}</h2>
            <ErrorSummary state={declineState} />
            <DeclineFields state={declineState} />
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
    </div>
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

export interface IntroductionListData {
  items: IntroductionView[];
  total: number;
  offset: number;
  limit: number;
}

/** The introductions and their pager: on the page, and alone as the answer to "show more". */
export function IntroductionList({ ctx, data, appended = false }: { ctx: PageContext; data: IntroductionListData; appended?: boolean }) {
  return (
    <>
      <div id="introduction-list">
        {data.items.map((introduction) => (
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
      </div>
      <Pager
        ctx={ctx}
        id="introduction-pager"
        listId="introduction-list"
        offset={data.offset}
        limit={data.limit}
        total={data.total}
        hrefAt={offsetHref('/my/introductions')}
        appended={appended}
      />
    </>
  );
}

export function IntroductionListPage({ ctx, data }: { ctx: PageContext; data: IntroductionListData }) {
  return (
    <MyLayout ctx={ctx} title={m.my.introductions} current="/my/introductions">
      <h1>{m.my.introductions}</h1>
      {data.total === 0 ? <p class="empty">{m.my.noInterests}</p> : null}
      <IntroductionList ctx={ctx} data={data} />
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
