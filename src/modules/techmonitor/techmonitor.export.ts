import { countryName } from '../vocabularies/countries.js';
import { IPR_STATUSES, labelOf, PARTNERSHIP_TYPES, STAGES, TRL_LEVELS } from '../vocabularies/enums.js';
import type { z } from 'zod';
import type { EntryListing, ExportFormat, ZIssueDetail } from './techmonitor.schemas.js';
import { sectorLabel } from './techmonitor.suggestions.js';
import { escapeHtml } from '../../lib/html.js';

// The published issue as documents: a print-ready HTML page, Markdown and JSON. Both text formats
// print exactly what the frozen snapshot holds, which for an anonymous listing never includes the
// owner: readers are told to contact the centre instead.

/** The issue as its schema describes it (the service's own type would make an import cycle: it serves these documents). */
type IssueDetail = z.infer<typeof ZIssueDetail>;

export const CONTACT_THROUGH_CENTRE = 'Contact through the centre';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "October–December 2026", or with both years when the period spans two. */
export function periodLabel(start: string, end: string): string {
  const [startYear, startMonth] = start.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = end.split('-').map(Number) as [number, number];
  const first = MONTHS[startMonth - 1]!;
  const last = MONTHS[endMonth - 1]!;
  if (startYear !== endYear) return `${first} ${startYear}–${last} ${endYear}`;
  return startMonth === endMonth ? `${first} ${startYear}` : `${first}–${last} ${startYear}`;
}

export function issueHeading(issue: Pick<IssueDetail, 'volume' | 'number'>) {
  return `Asia-Pacific Tech Monitor · Vol. ${issue.volume} No. ${issue.number}`;
}

export function exportFileName(issue: Pick<IssueDetail, 'volume' | 'number'>, extension: string) {
  return `tech-monitor-vol${issue.volume}-no${issue.number}.${extension}`;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** An issue as one of its documents; the API and the editors' pages serve the very same. */
export interface IssueDocument {
  contentType: string;
  fileName: string;
  /** HTML or Markdown text, or the issue itself for JSON. */
  body: string | IssueDetail;
}

export function issueDocument(issue: IssueDetail, format: ExportFormat): IssueDocument {
  const body = format === 'html' ? renderIssueHtml(issue) : format === 'md' ? renderIssueMarkdown(issue) : issue;
  return { contentType: CONTENT_TYPES[format], fileName: exportFileName(issue, format), body };
}

interface EntryFacts {
  kindLabel: string;
  country: string;
  areas: string;
  detailsLabel: string;
  details: string | null;
  stage: string;
  ipr: string;
  partnership: string;
  organization: string;
}

/** The printed facts of an entry, as plain text (each format escapes them its own way). */
function factsOf(listing: EntryListing): EntryFacts {
  const offer = listing.kind === 'offer';
  const ipr = labelOf(IPR_STATUSES, listing.iprStatus);
  return {
    kindLabel: offer ? 'Technology offer' : 'Technology request',
    country: countryName(listing.country) ?? listing.country,
    areas: listing.sectors.map(sectorLabel).join(', '),
    detailsLabel: offer ? 'Advantages and innovations' : 'Specification sought',
    details: offer ? listing.advantages : listing.specificationSought,
    stage: `${labelOf(STAGES, listing.stage)}; TRL ${listing.trl} (${labelOf(TRL_LEVELS, listing.trl)})`,
    ipr: listing.iprNotes ? `${ipr} (${listing.iprNotes})` : ipr,
    partnership: listing.partnershipTypes.map((type) => labelOf(PARTNERSHIP_TYPES, type)).join(', '),
    organization: listing.organization
      ? [listing.organization.name, listing.organization.website].filter(Boolean).join(', ')
      : CONTACT_THROUGH_CENTRE,
  };
}


const paragraphs = (text: string) =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((part) => `<p>${escapeHtml(part.trim()).replace(/\r?\n/g, '<br>')}</p>`)
    .join('');

const STYLE = `
  @page { size: A4; margin: 18mm 16mm 20mm; }
  :root { color-scheme: light; }
  body { font-family: Georgia, 'Times New Roman', serif; font-size: 11pt; line-height: 1.45; color: #111; max-width: 180mm; margin: 0 auto; padding: 12mm 0; }
  header.cover { border-bottom: 3px solid #1d4f91; margin-bottom: 8mm; padding-bottom: 4mm; }
  header.cover .masthead { font-family: Arial, Helvetica, sans-serif; font-size: 10pt; letter-spacing: .08em; text-transform: uppercase; color: #1d4f91; margin: 0; }
  h1 { font-size: 22pt; margin: 2mm 0 1mm; }
  .period { font-family: Arial, Helvetica, sans-serif; color: #444; margin: 0; }
  .theme { margin: 4mm 0 0; font-style: italic; }
  nav.toc { page-break-after: always; break-after: page; }
  nav.toc h2, article h2 { font-family: Arial, Helvetica, sans-serif; }
  nav.toc ol { padding-left: 6mm; }
  nav.toc li { margin: 1mm 0; }
  nav.toc a { color: #111; text-decoration: none; }
  nav.toc .ref { font-family: Arial, Helvetica, sans-serif; font-size: 9pt; color: #555; }
  article.entry { break-inside: avoid; page-break-inside: avoid; border-top: 1px solid #c8d3e0; padding-top: 4mm; margin-top: 6mm; }
  article.entry h2 { font-size: 14pt; margin: 0 0 2mm; }
  .kind { font-family: Arial, Helvetica, sans-serif; font-size: 8.5pt; text-transform: uppercase; letter-spacing: .06em; color: #fff; background: #1d4f91; padding: .5mm 2mm; border-radius: 1mm; }
  .kind.request { background: #8a4b08; }
  dl { display: grid; grid-template-columns: 48mm 1fr; gap: 1mm 4mm; margin: 3mm 0; }
  dt { font-family: Arial, Helvetica, sans-serif; font-size: 9.5pt; font-weight: 600; color: #333; }
  dd { margin: 0; }
  aside.note { border-left: 3px solid #1d4f91; padding: 1mm 4mm; margin: 3mm 0; background: #f3f6fa; }
  footer { margin-top: 10mm; font-family: Arial, Helvetica, sans-serif; font-size: 9pt; color: #555; }
  @media print { body { padding: 0; } a { color: inherit; } }
`;

export function renderIssueHtml(issue: IssueDetail): string {
  const title = `${issueHeading(issue)}: ${issue.title}`;
  const toc = issue.entries
    .map(
      (entry) =>
        `<li><a href="#entry-${entry.position}">${escapeHtml(entry.listing.title)}</a> <span class="ref">${escapeHtml(entry.listing.reference)} · ${
          entry.listing.kind === 'offer' ? 'offer' : 'request'
        }</span></li>`,
    )
    .join('\n');
  const articles = issue.entries
    .map((entry) => {
      const { listing } = entry;
      const facts = factsOf(listing);
      const rows: [string, string][] = [
        ['Reference', escapeHtml(listing.reference)],
        ['Country', escapeHtml(facts.country)],
        ['Areas of application', escapeHtml(facts.areas)],
      ];
      if (facts.details) rows.push([facts.detailsLabel, paragraphs(facts.details)]);
      rows.push(
        ['Development stage', escapeHtml(facts.stage)],
        ['IPR status', escapeHtml(facts.ipr)],
        ['Partnership sought', escapeHtml(facts.partnership)],
        [listing.anonymous ? 'Contact' : 'Organisation', escapeHtml(facts.organization)],
      );
      return [
        `<article class="entry" id="entry-${entry.position}">`,
        `<p><span class="kind ${listing.kind}">${facts.kindLabel}</span></p>`,
        `<h2>${entry.position}. ${escapeHtml(listing.title)}</h2>`,
        `<div class="summary">${paragraphs(listing.summary)}</div>`,
        `<dl>${rows.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${value}</dd>`).join('')}</dl>`,
        entry.note ? `<aside class="note"><strong>Editor’s note.</strong> ${paragraphs(entry.note)}</aside>` : '',
        '</article>',
      ]
        .filter(Boolean)
        .join('\n');
    })
    .join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header class="cover">',
    `<p class="masthead">${escapeHtml(issueHeading(issue))}</p>`,
    `<h1>${escapeHtml(issue.title)}</h1>`,
    `<p class="period">${escapeHtml(periodLabel(issue.periodStart, issue.periodEnd))}</p>`,
    `<div class="theme">${paragraphs(issue.theme.text)}</div>`,
    issue.theme.sectors.length ? `<p class="period">${escapeHtml(issue.theme.sectors.map(sectorLabel).join(' · '))}</p>` : '',
    '</header>',
    '<nav class="toc" aria-label="Contents">',
    '<h2>Contents</h2>',
    `<ol>\n${toc}\n</ol>`,
    '</nav>',
    '<main>',
    articles,
    '</main>',
    `<footer>${escapeHtml(issueHeading(issue))}. Anonymous entries: contact through the centre, quoting the reference.</footer>`,
    '</body>',
    '</html>\n',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Backslash-escapes what Markdown would read as markup or raw HTML. */
export function escapeMarkdown(value: string): string {
  return value.replace(/([\\`*_[\]<>#|~])/g, '\\$1').replace(/^(\s*)([-+=])/gm, '$1\\$2').replace(/^(\s*\d+)\./gm, '$1\\.');
}

export function renderIssueMarkdown(issue: IssueDetail): string {
  const lines: string[] = [
    `# ${escapeMarkdown(issueHeading(issue))}: ${escapeMarkdown(issue.title)}`,
    '',
    `*${escapeMarkdown(periodLabel(issue.periodStart, issue.periodEnd))}*`,
    '',
    escapeMarkdown(issue.theme.text),
    '',
    '## Contents',
    '',
    ...issue.entries.map(
      (entry) => `${entry.position}. [${escapeMarkdown(entry.listing.title)}](#entry-${entry.position}) (${escapeMarkdown(entry.listing.reference)})`,
    ),
    '',
  ];
  for (const entry of issue.entries) {
    const { listing } = entry;
    const facts = factsOf(listing);
    lines.push(
      `<a id="entry-${entry.position}"></a>`,
      '',
      `## ${entry.position}. ${escapeMarkdown(listing.title)}`,
      '',
      `*${facts.kindLabel}*`,
      '',
      escapeMarkdown(listing.summary),
      '',
      `- **Reference:** ${escapeMarkdown(listing.reference)}`,
      `- **Country:** ${escapeMarkdown(facts.country)}`,
      `- **Areas of application:** ${escapeMarkdown(facts.areas)}`,
      ...(facts.details ? [`- **${facts.detailsLabel}:** ${escapeMarkdown(facts.details).replace(/\r?\n/g, ' ')}`] : []),
      `- **Development stage:** ${escapeMarkdown(facts.stage)}`,
      `- **IPR status:** ${escapeMarkdown(facts.ipr)}`,
      `- **Partnership sought:** ${escapeMarkdown(facts.partnership)}`,
      `- **${listing.anonymous ? 'Contact' : 'Organisation'}:** ${escapeMarkdown(facts.organization)}`,
      '',
    );
    if (entry.note) lines.push(`> **Editor’s note.** ${escapeMarkdown(entry.note).replace(/\r?\n/g, '\n> ')}`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
