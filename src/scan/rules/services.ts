// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are false-positive fixtures, not templates
// Service credentials found missing when the catalogue was compared with gitleaks, TruffleHog and GitHub's secret
// types: Sidekiq Enterprise/Pro gem credentials, Sumo Logic access ids and keys, Notion integration tokens, NuGet
// `ClearTextPassword`, Facebook page/user access tokens and app secrets, Slack legacy bot tokens, PostHog personal API
// keys, and `sk_live_` keys of vendors other than Stripe. Written from each vendor's published format; example values
// are fake and assembled at run time.
import { isPlaceholder, isStandIn, shannonEntropy } from '../filters.ts';
import type { Rule, Validity } from '../types.ts';
import { FIXTURE_ALPHABETS as A, fx, inSyntaxes, validatePassword } from '../validate/structure.ts';
import { ASSIGN, TOKEN_END as E, TOKEN_START as B, named } from './syntax.ts';
import { lazyExamples } from './examples.ts';

const sidekiq = `${fx('skq1', 8, A.hex)}:${fx('skq2', 8, A.hex)}`;
const sumoId = `su${fx('sumo1', 12)}`;
const sumoKey = fx('sumo2', 64);
const notion = `${'ntn'}_${fx('ntn1', 11, A.digits)}${fx('ntn2', 35)}`;
const notionLegacy = `${'secret'}_${fx('ntn3', 43)}`;
const posthogPersonal = `${'phx'}_${fx('phx1', 20)}_${fx('phx2', 22)}`;
const posthogProject = `${'phc'}_${fx('phc1', 43)}`;
const fbPage = `${'EAA'}G${fx('fb1', 160)}`;
const fbSecret = fx('fb2', 32, A.hex);
const slackLegacyBot = `${'xoxb'}-${fx('slb1', 11, A.digits)}-${fx('slb2', 24)}`;
const liveKey = (seed: string) => `${'sk_live'}_${fx(`${seed}a`, 12)}-${fx(`${seed}b`, 20)}`;
const contentfulPat = `${'CFPAT'}-${fx('cfp1', 43, A.base64url)}`;
const appsyncKey = `${'da2'}-${fx('as1', 26, A.lowerAlnum)}`;

/**
 * Random enough to be a key body: not a placeholder or stand-in, two character classes at least, and spread (3.5
 * bits per character; 3 for hex, whose 16 symbols cap it at 4). A shape, never a proof: 'unknown' or 'invalid'.
 */
export function validateRandomBody(secret: string): Validity {
  const body = secret.replace(/^[a-z]+_(?:live|test)_/, '');
  if (isPlaceholder(body) || isStandIn(body)) return 'invalid';
  const classes = Number(/[a-z]/.test(body)) + Number(/[A-Z]/.test(body)) + Number(/[0-9]/.test(body));
  const floor = /^[0-9a-f-]+$/i.test(body) ? 3 : 3.5;
  return classes >= 2 && shannonEntropy(body) >= floor ? 'unknown' : 'invalid';
}

export const serviceRules: Rule[] = [
  {
    id: 'sidekiq-enterprise-credentials',
    title: 'Sidekiq Enterprise/Pro gem server credentials',
    severity: 'high',
    keywords: ['contribsys__com'],
    pattern: `(?i:BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM)${ASSIGN}([0-9a-f]{8}:[0-9a-f]{8})${E}`,
    help:
      'The `user:password` Bundler uses for the Sidekiq Enterprise or Pro gem server ' +
      '(`BUNDLE_ENTERPRISE__CONTRIBSYS__COM`, `BUNDLE_GEMS__CONTRIBSYS__COM`): it is the paid licence. Ask ' +
      'Contributed Systems to rotate it and set it as a CI secret.',
    examples: lazyExamples(() => ({
      tp: [
        `BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${sidekiq}`,
        `  BUNDLE_GEMS__CONTRIBSYS__COM: "${sidekiq}"`,
        `ENV BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${sidekiq}`,
      ],
      fp: [
        'BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${SIDEKIQ_CREDS}',
        'bundle config enterprise.contribsys.com $SIDEKIQ_USER:$SIDEKIQ_PASSWORD',
      ],
    })),
  },
  {
    id: 'sumologic-access-id',
    title: 'Sumo Logic access id',
    severity: 'medium',
    keywords: ['sumo'],
    pattern: named('sumo(?:_?logic)?', 'su[A-Za-z0-9]{12}'),
    validate: validateRandomBody,
    help:
      'A Sumo Logic access id (`su` + 12 characters), half of an access key pair; the access key is reported ' +
      'separately. Placeholder-like ids are not reported. Delete the access key pair in Sumo Logic ' +
      '(Administration → Security → Access Keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: inSyntaxes('SUMO_ACCESS_ID', sumoId).slice(0, 3),
      fp: ['SUMO_ACCESS_ID=${SUMO_ID}', 'sumo_access_id: suXXXXXXXXXXXX', `SUMO_ACCESS_ID=su${'abcdefghijkl'}`],
    })),
  },
  {
    id: 'sumologic-access-key',
    title: 'Sumo Logic access key',
    severity: 'high',
    keywords: ['sumo'],
    pattern: named('sumo(?:_?logic)?', '[A-Za-z0-9]{64}'),
    validate: validateRandomBody,
    help:
      'A Sumo Logic access key (64 characters) under a Sumo Logic name: with its access id it calls the Sumo ' +
      'Logic API as the key’s user. Placeholders are not reported. Delete it under Administration → Security → ' +
      'Access Keys and create a new pair.',
    examples: lazyExamples(() => ({
      tp: inSyntaxes('SUMO_ACCESS_KEY', sumoKey).slice(0, 3),
      fp: ['SUMO_ACCESS_KEY=${SUMO_KEY}', `sumo_access_key: ${'x'.repeat(64)}`],
    })),
  },
  {
    id: 'notion-integration-token',
    title: 'Notion integration token',
    severity: 'high',
    keywords: ['ntn_'],
    pattern: `${B}(ntn_[0-9]{11}[A-Za-z0-9]{35})${E}`,
    help:
      'A Notion internal integration token (`ntn_` + 11 digits + 35 characters): it reads and edits every page ' +
      'shared with the integration. Refresh the secret on the integration’s page at notion.so/my-integrations.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('NOTION_TOKEN', notion).slice(0, 3), `curl -H 'Authorization: Bearer ${notion}'`],
      fp: [`NOTION_TOKEN=ntn_${fx('ntnf', 11, A.digits)}`, 'NOTION_TOKEN=ntn_<your token>'],
    })),
  },
  {
    id: 'notion-integration-token-legacy',
    title: 'Notion integration token (legacy secret_)',
    severity: 'high',
    keywords: ['notion'],
    pattern: named('notion', 'secret_[A-Za-z0-9]{43}'),
    validate: validateRandomBody,
    help:
      'A Notion internal integration secret in the older `secret_` + 43 characters form, under a Notion name. ' +
      'Placeholders are not reported. Refresh it at notion.so/my-integrations.',
    examples: lazyExamples(() => ({
      tp: inSyntaxes('NOTION_API_KEY', notionLegacy).slice(0, 3),
      fp: ['NOTION_API_KEY=secret_${NOTION}', `NOTION_API_KEY=secret_${'X'.repeat(43)}`],
    })),
  },
  {
    id: 'posthog-personal-api-key',
    title: 'PostHog personal API key',
    severity: 'high',
    keywords: ['phx_'],
    pattern: `${B}(phx_[A-Za-z0-9_]{43,48})${E}`,
    validate: validateRandomBody,
    help:
      'A PostHog personal API key (`phx_` + 43 to 48 characters): it reads and changes the data of the projects its user ' +
      'can reach, within the scopes it was given. Placeholders are not reported, nor the project key (`phc_`), which ' +
      'client code sends events with and is public by design. Delete the key in PostHog (Settings → Personal API ' +
      'keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [
        ...inSyntaxes('POSTHOG_PERSONAL_API_KEY', posthogPersonal).slice(0, 3),
        `curl -H 'Authorization: Bearer ${posthogPersonal}' https://us.posthog.com/api/projects/`,
      ],
      fp: [
        `POSTHOG_API_KEY=${posthogProject}`,
        'POSTHOG_PERSONAL_API_KEY=phx_<your personal API key>',
        `POSTHOG_PERSONAL_API_KEY=phx_${'x'.repeat(43)}`,
      ],
    })),
  },
  {
    id: 'nuget-cleartext-password',
    title: 'NuGet feed password (NuGet.Config ClearTextPassword)',
    severity: 'high',
    keywords: ['cleartextpassword'],
    pattern: String.raw`<add\s+key=["'](?i:ClearTextPassword)["']\s+value=["']([^"'\s]{4,})["']`,
    validate: validatePassword,
    help:
      'A `NuGet.Config` `packageSourceCredentials` entry with `ClearTextPassword`: the feed’s password or token ' +
      '(Azure Artifacts, GitHub Packages, a private feed) in plain text. Placeholders and `%VAR%` references are ' +
      'not reported. Revoke the token and use `dotnet nuget update source --store-password-in-clear-text` only ' +
      'from a CI secret.',
    examples: lazyExamples(() => ({
      tp: [
        `<add key="ClearTextPassword" value="${fx('nug1', 24)}" />`,
        `      <add key="Username" value="ci" />\n      <add key="ClearTextPassword" value="${fx('nug2', 52, A.lowerAlnum)}" />`,
      ],
      fp: [
        '<add key="ClearTextPassword" value="%NUGET_PAT%" />',
        '<add key="ClearTextPassword" value="$(NuGetPassword)" />',
        '<add key="ClearTextPassword" value="password" />',
      ],
    })),
  },
  {
    id: 'facebook-access-token',
    title: 'Facebook (Meta) page or user access token',
    severity: 'high',
    keywords: ['eaa'],
    pattern: `${B}(EAA[B-Z0-9][A-Za-z0-9]{90,})${E}`,
    validate: validateRandomBody,
    help:
      'A Facebook Graph API access token (`EAA…`): page and long-lived user tokens post and read as the page or ' +
      'user. Placeholder-like values are not reported. Invalidate it by changing the app secret or removing the ' +
      'app from the page, and keep tokens in a secret store.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('FACEBOOK_PAGE_TOKEN', fbPage).slice(0, 3), `graph.facebook.com/me?access_token=${fbPage}`],
      fp: [`FACEBOOK_PAGE_TOKEN=EAAG${'x'.repeat(120)}`, 'FACEBOOK_PAGE_TOKEN=EAAG<your page token>'],
    })),
  },
  {
    id: 'facebook-app-secret',
    title: 'Facebook (Meta) app secret',
    severity: 'high',
    keywords: ['facebook', 'fb_app_secret', 'fb_secret'],
    pattern: String.raw`(?i:facebook|fb)[\w.-]{0,20}(?i:secret)${ASSIGN}([0-9a-f]{32})${E}`,
    validate: validateRandomBody,
    help:
      'A Facebook app secret (32 hex) under a Facebook name: it signs app access tokens and verifies webhooks. ' +
      'Placeholders are not reported. Reset it in the app’s Basic settings on developers.facebook.com.',
    examples: lazyExamples(() => ({
      tp: inSyntaxes('FACEBOOK_APP_SECRET', fbSecret).slice(0, 3),
      fp: ['FACEBOOK_APP_SECRET=${FB_SECRET}', `FACEBOOK_APP_SECRET=${'0'.repeat(32)}`],
    })),
  },
  {
    id: 'slack-legacy-bot-token',
    title: 'Slack legacy bot token',
    severity: 'high',
    keywords: ['xoxb-'],
    pattern: `${B}(xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26})${E}`,
    validate: validateRandomBody,
    help:
      'A Slack bot token of the older two-part form (`xoxb-<digits>-<secret>`), from legacy custom bot ' +
      'integrations. Placeholder-like values are not reported. Remove the custom integration in the workspace’s ' +
      'app management and move to a Slack app.',
    examples: lazyExamples(() => ({
      tp: inSyntaxes('SLACK_BOT_TOKEN', slackLegacyBot).slice(0, 3),
      fp: [`SLACK_BOT_TOKEN=xoxb-${'1'.repeat(11)}-${'x'.repeat(24)}`, 'SLACK_BOT_TOKEN=xoxb-<your token>'],
    })),
  },
  {
    id: 'live-secret-key',
    title: 'Live secret key (sk_live_, non-Stripe layout)',
    severity: 'high',
    keywords: ['sk_live_'],
    pattern: `${B}(sk_live_[A-Za-z0-9]*[-_][A-Za-z0-9_-]{8,})${E}`,
    validate: validateRandomBody,
    help:
      'A live-mode secret key with the `sk_live_` prefix whose body holds `-` or `_` (Paystack, Clerk, Lemon ' +
      'Squeezy and others use the prefix Stripe made common; Stripe’s own keys have their own rule). ' +
      'Placeholder-like keys are not reported. Roll the key in the vendor’s dashboard.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('CLERK_SECRET_KEY', liveKey('lk1')).slice(0, 3), `secretKey: '${liveKey('lk2')}'`],
      fp: ['CLERK_SECRET_KEY=sk_live_your-secret-key-here', 'CLERK_SECRET_KEY=sk_live_xxxxxxxx-xxxxxxxxxxxxxxxx'],
    })),
  },
  {
    id: 'contentful-personal-access-token',
    title: 'Contentful personal access token',
    severity: 'high',
    keywords: ['cfpat-'],
    pattern: `${B}(CFPAT-[A-Za-z0-9_-]{43})${E}`,
    validate: validateRandomBody,
    help:
      'A Contentful personal access token (`CFPAT-` + 43 characters) calls the Content Management API as its user: ' +
      'it reads and changes every space the user can reach. Placeholder-like values are not reported. Revoke it ' +
      'under Settings → CMA tokens.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('CONTENTFUL_MANAGEMENT_TOKEN', contentfulPat).slice(0, 3), `  cmaToken: '${contentfulPat}',`],
      fp: [`CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-${'x'.repeat(43)}`, 'CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-<your token>'],
    })),
  },
  {
    id: 'aws-appsync-api-key',
    title: 'AWS AppSync API key',
    severity: 'medium',
    keywords: ['da2-'],
    pattern: `${B}(da2-[a-z0-9]{26})${E}`,
    validate: validateRandomBody,
    help:
      'An AWS AppSync API key (`da2-` + 26 characters): it calls the GraphQL API it was made for, as far as the ' +
      'schema lets an API key (queries, often mutations). Placeholder-like values are not reported. Delete it in the ' +
      'AppSync console (Settings → API keys) and create a new one; prefer IAM or Cognito auth.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('APPSYNC_API_KEY', appsyncKey).slice(0, 3), `    "aws_appsync_apiKey": "${appsyncKey}",`],
      fp: ['APPSYNC_API_KEY=da2-xxxxxxxxxxxxxxxxxxxxxxxxxx', 'APPSYNC_API_KEY=da2-abcdefghijklmnopqrstuvwxyz'],
    })),
  },
];
