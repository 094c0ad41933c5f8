import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';

// The matches of one's own listing on the web page say what the API says: the calibrated label of
// each match, the sentence about the whole list ("No strong offer match yet…"), and the same
// explanation text.

let ctx: TestContext;
let seeker: TestUser;
const ids: Record<string, string> = {};

const decode = (html: string) =>
  html.replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

beforeAll(async () => {
  ctx = await createTestApp();
  const editor = await createUser(ctx, { role: 'editor' });
  seeker = await createUser(ctx, { country: 'KH' });
  const provider = await createUser(ctx, { country: 'TH' });
  ids.cooling = (
    await publishListing(
      ctx,
      seeker,
      editor,
      requestBody({
        title: 'Solar cold room to keep vegetables cool without grid power',
        summary: 'Our cooperative loses a third of its tomatoes before they reach the market. We need a cold room at the village collection point, where there is no grid electricity.',
        description: 'Farmers bring 2 tonnes of vegetables a day. Produce waits up to two days for the truck and spoils in the heat; diesel generators cost too much.',
        specificationSought: 'A solar-powered cold room for 2–5 tonnes of vegetables at 4–10 °C, without grid power.',
        sectors: ['agriculture_food'],
        keywords: ['cold room', 'vegetables', 'off-grid', 'solar'],
        stage: 'on_the_market',
        trl: 9,
        partnershipTypes: ['commercial_agreement_with_technical_assistance'],
        targetCountries: [],
      }),
    )
  ).id;
  ids.elephants = (
    await publishListing(
      ctx,
      seeker,
      editor,
      requestBody({
        title: 'Wild elephants raid our fields at night',
        summary: 'Herds come out of the forest and trample the paddy before harvest.',
        description: 'Villagers stay awake with torches and firecrackers; people have been hurt.',
        specificationSought: 'A way to keep elephants away from the fields safely.',
        sectors: ['agriculture_food'],
        keywords: ['elephants', 'crop raiding'],
        targetCountries: [],
      }),
    )
  ).id;
  await publishListing(ctx, provider, editor, offerBody({ targetCountries: [] }));
  await publishListing(
    ctx,
    provider,
    editor,
    offerBody({
      title: 'Night-vision camera traps for forest wildlife surveys',
      summary: 'Motion-triggered cameras photograph animals at night along forest trails.',
      description: 'Rangers set the cameras along trails; images are collected weekly to count the animals of the forest.',
      advantages: 'Long battery life, weatherproof.',
      keywords: ['camera traps', 'wildlife'],
      sectors: ['environment'],
      targetCountries: [],
    }),
  );
  // The search index, where candidates come from, is kept by queued jobs.
  await ctx.app.services.jobs.drain();
});

afterAll(async () => {
  await ctx?.close();
});

async function pageAndApi(id: string) {
  const web = await WebClient.signedIn(ctx, seeker);
  const page = await web.get(`/my/listings/${id}`);
  const api = (await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${id}/matches?limit=10`, headers: seeker.auth })).json();
  return { html: decode(page.body), api };
}

describe('the matches of my listing on the web', () => {
  it('show the calibrated label, the sentence about the list and the explanation the API gives', async () => {
    const { html, api } = await pageAndApi(ids.cooling!);
    expect(api.items[0].label).toBe('strong');
    expect(html).toContain(api.summary.message);
    expect(api.summary.message).toMatch(/^1 strong offer match/);
    expect(html).toContain('Strong match');
    expect(html).toContain(api.items[0].explanation.summary);
    for (const fit of api.items[0].explanation.fits) expect(html).toContain(fit);
  });

  it('explain each match in the same plain sentences as the API, the one read first in view', async () => {
    const { html, api } = await pageAndApi(ids.cooling!);
    const [best, other] = api.items;
    const sentence = "A strong offer match: both are about cold storage ('cold room'); both look for commercial agreement with technical assistance.";
    expect(best.explanation.summary).toBe(sentence);
    expect(best.explanation.fits.slice(0, 5)).toEqual([
      "Both are about cold storage ('cold room')",
      "Both are about off-grid power and energy access ('without grid power')",
      "Both are about solar energy ('solar' and 'solar power')",
      'Both mention vegetables and collection',
      'Both look for commercial agreement with technical assistance',
    ]);
    expect(other.explanation.summary).toBe('A weak offer match: few words or topics in common.');
    expect(other.explanation.gaps).toEqual([
      'Few words or topics in common',
      'Different sectors: the request is in Agriculture and food; the offer in Environment and pollution control',
    ]);
    for (const item of [best, other]) {
      for (const text of [item.explanation.summary, ...item.explanation.fits, ...item.explanation.gaps]) expect(html).toContain(text);
    }
    // Not folded away: the sentence comes before the reasons behind "Why it matches".
    const before = html.slice(0, html.indexOf(sentence));
    expect(before.lastIndexOf('<details')).toBeLessThanOrEqual(before.lastIndexOf('</details>'));
    expect(html.indexOf(sentence)).toBeLessThan(html.indexOf('Why it matches'));
  });

  it('say there is no strong match yet when nothing answers the need, and call no match strong', async () => {
    const { html, api } = await pageAndApi(ids.elephants!);
    expect(api.items.length).toBeGreaterThan(0);
    expect(api.summary.noStrongMatch).toBe(true);
    expect(html).toContain(api.summary.message);
    expect(html).toMatch(/No strong offer match yet/);
    expect(html).not.toContain('Strong match');
  });
});
