// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are false-positive fixtures, not templates
// Messaging and e-mail delivery: Slack, Discord, Telegram, Twilio, SendGrid, Mailgun, Mailchimp/Mandrill, Postmark,
// Brevo, Resend, MailerSend, Microsoft Teams and Google Chat webhooks, Zapier hooks.
// Example values are assembled at run time from fixture helpers, so no token-shaped literal lives in this file.
import type { Rule } from '../types.ts';
import { ASSIGN, TOKEN_END as E, TOKEN_START as B } from './syntax.ts';
import {
  FIXTURE_ALPHABETS as A,
  fakeNkeySeed,
  fx,
  fxUuid,
  inSyntaxes,
  validateDiscordBotToken,
  validateIntercomToken,
  validateMixedCase,
  validateNkeySeed,
} from '../validate/structure.ts';
import { lazyExamples } from './examples.ts';

const digits = (seed: string, n: number) =>
  `${1 + (fx(seed, 1, A.digits).charCodeAt(0) % 9)}${fx(seed, n - 1, A.digits)}`;

// Fixtures
const slackBot = ['xoxb', digits('sb1', 12), digits('sb2', 13), fx('sb3', 24)].join('-');
const slackUser = ['xoxp', digits('su1', 12), digits('su2', 12), digits('su3', 13), fx('su4', 32, A.hex)].join('-');
const slackApp = ['xapp', '1', `A${fx('sa1', 10, A.upperAlnum)}`, digits('sa2', 13), fx('sa3', 64, A.hex)].join('-');
const slackConfig = `${['xoxe', 'xoxp'].join('.')}-1-${fx('sc1', 146)}`;
const slackRefresh = `${'xoxe'}-1-${fx('sr1', 146)}`;
const slackLegacy = ['xoxs', digits('sl1', 11), digits('sl2', 11), digits('sl3', 12), fx('sl4', 64, A.hex)].join('-');
const slackHookPath = `T${fx('sh1', 10, A.upperAlnum)}/B${fx('sh2', 10, A.upperAlnum)}/${fx('sh3', 24)}`;
const slackHook = `https://${'hooks.slack.com'}/services/${slackHookPath}`;
const slackTrigger = `https://${'hooks.slack.com'}/triggers/T${fx('st1', 10, A.upperAlnum)}/${digits('st2', 13)}/${fx('st3', 32, A.hex)}`;
const discordId = digits('dc1', 19);
const discordBot = [
  Buffer.from(discordId).toString('base64url'),
  Buffer.from(fx('dc2', 4, A.base62)).toString('base64url'),
  fx('dc3', 38, A.base64url),
].join('.');
const discordBadId = [
  Buffer.from(`x${discordId.slice(1)}`).toString('base64url'),
  Buffer.from('abcd').toString('base64url'),
  fx('dc4', 38, A.base64url),
].join('.');
const discordHook = `https://${'discord.com'}/api/webhooks/${digits('dh1', 19)}/${fx('dh2', 68, A.base64url)}`;
const telegram = `${digits('tg1', 10)}:${'AA'}${fx('tg2', 33, A.base64url)}`;
const twilioToken = fx('tw1', 32, A.hex);
const twilioSid = `AC${fx('tw2', 32, A.hex)}`;
const sendgrid = ['SG', fx('sg1', 22, A.base64url), fx('sg2', 43, A.base64url)].join('.');
const mailgunLegacy = `${'key'}-${fx('mg1', 32, A.hex)}`;
const mailgunKey = `${fx('mg2', 32, A.hex)}-${fx('mg3', 8, A.hex)}-${fx('mg4', 8, A.hex)}`;
const mailchimp = `${fx('mc1', 32, A.hex)}-us${'14'}`;
const mandrill = `${'md'}-${fx('md1', 22, A.base64url)}`;
const postmark = fxUuid('pm1');
const teamsHook = `https://contoso.${'webhook.office.com'}/webhookb2/${fxUuid('tm1')}@${fxUuid('tm2')}/IncomingWebhook/${fx('tm3', 32, A.hex)}/${fxUuid('tm4')}/${fx('tm5', 48, A.base64url)}`;
const teamsFlowSig = fx('tf1', 43, A.base64url);
const teamsFlow = `https://prod-12.westeurope.${'logic.azure.com'}:443/workflows/${fx('tf2', 32, A.hex)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${teamsFlowSig}`;
const gchatToken = fx('gc1', 43, A.base64url);
const gchat = `https://${'chat.googleapis.com'}/v1/spaces/AAAA${fx('gc2', 7, A.base62)}/messages?key=${'AIza'}${fx('gc3', 35, A.base64url)}&token=${gchatToken}`;
const brevo = `${'xkeysib'}-${fx('bv1', 64, A.hex)}-${fx('bv2', 16)}`;
const brevoSmtp = `${'xsmtpsib'}-${fx('bv3', 64, A.hex)}-${fx('bv4', 16)}`;
const resend = `${'re'}_${fx('rs1', 8)}_${fx('rs2', 24)}`;
const mailersend = `${'mlsn'}.${fx('ms1', 64, A.hex)}`;
const zapier = `https://${'hooks.zapier.com'}/hooks/catch/${digits('zp1', 8)}/${fx('zp2', 7, A.lowerAlnum)}/`;
const twilioApiSecret = fx('tw3', 32);
const vonageSecret = fx('vn1', 16);
const pusherSecret = fx('pu1', 20, A.hex);
const intercom = Buffer.from(`tok:${fxUuid('ic1').replace(/-/g, '_')}:1:0`).toString('base64');

export const messagingRules: Rule[] = [
  {
    id: 'slack-bot-token',
    title: 'Slack bot token',
    severity: 'high',
    keywords: ['xoxb-'],
    pattern: `${B}(xoxb-[0-9]{8,13}-[0-9]{8,14}-[A-Za-z0-9]{24})${E}`,
    entropy: 3,
    help:
      'A Slack bot user OAuth token (`xoxb-`): it acts as the app’s bot in the workspace. Revoke it with ' +
      '`auth.revoke` or by reinstalling the app (OAuth & Permissions → Revoke tokens), then store the new one in a ' +
      'secret manager.',
    examples: lazyExamples(() => ({
      tp: [
        ...inSyntaxes('SLACK_BOT_TOKEN', slackBot),
        `curl -H "Authorization: Bearer ${slackBot}" https://slack.com/api/auth.test`,
      ],
      fp: [
        'SLACK_BOT_TOKEN=xoxb-your-bot-token-here',
        `SLACK_BOT_TOKEN=xoxb-${digits('sbf', 12)}-${digits('sbf2', 13)}-${fx('sbf3', 23)}`,
        `slack_token: "myxoxb-${digits('sbf4', 12)}-${digits('sbf5', 13)}-${fx('sbf6', 24)}"`,
      ],
    })),
  },
  {
    id: 'slack-user-token',
    title: 'Slack user token',
    severity: 'high',
    keywords: ['xoxp-'],
    pattern: `${B}(xoxp-[0-9]{8,13}-[0-9]{8,13}-[0-9]{8,14}-[0-9a-f]{32})${E}`,
    entropy: 3,
    help:
      'A Slack user OAuth token (`xoxp-`): it acts as the person who installed the app, with their access. Revoke ' +
      'it with `auth.revoke` or from the app’s OAuth settings, then reinstall to get a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SLACK_USER_TOKEN', slackUser)],
      fp: [
        'SLACK_USER_TOKEN=xoxp-xxxxxxxxxxxx-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        `slack_user_token: "${slackUser.slice(0, -1)}"`,
        `const t = '${slackUser.replace('xoxp-', 'xoxq-')}';`,
      ],
    })),
  },
  {
    id: 'slack-app-token',
    title: 'Slack app-level token',
    severity: 'high',
    keywords: ['xapp-'],
    pattern: `${B}(xapp-[0-9]-A[A-Z0-9]{8,12}-[0-9]{10,14}-[0-9a-f]{64})${E}`,
    entropy: 3,
    help:
      'A Slack app-level token (`xapp-`), used for Socket Mode and app-wide APIs. Revoke it on the app’s Basic ' +
      'Information page (App-Level Tokens) and generate a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SLACK_APP_TOKEN', slackApp)],
      fp: [
        'SLACK_APP_TOKEN=xapp-1-A0123456789-0123456789012-<your-token>',
        `slack_app_token: "${slackApp.slice(0, -3)}"`,
        `appToken = "xapp-1-${fx('saf', 20)}"`,
      ],
    })),
  },
  {
    id: 'slack-config-access-token',
    title: 'Slack configuration access token',
    severity: 'high',
    keywords: ['xoxe.xox'],
    pattern: `${B}(xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{100,250})${E}`,
    entropy: 4,
    help:
      'A Slack app configuration access token (`xoxe.xoxp-`/`xoxe.xoxb-`): it can create and modify apps through ' +
      'the App Manifest API. Revoke it under Your Apps → Your App Configuration Tokens.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SLACK_CONFIG_TOKEN', slackConfig)],
      fp: ['SLACK_CONFIG_TOKEN=xoxe.xoxp-1-...', `slack_config_token: "xoxe.xoxp-1-${fx('scf', 40)}"`],
    })),
  },
  {
    id: 'slack-config-refresh-token',
    title: 'Slack configuration refresh token',
    severity: 'high',
    keywords: ['xoxe-'],
    pattern: `${B}(xoxe-[0-9]-[A-Za-z0-9]{100,250})${E}`,
    entropy: 4,
    help:
      'A Slack configuration refresh token (`xoxe-1-`): it mints new configuration access tokens. Revoke it under ' +
      'Your Apps → Your App Configuration Tokens.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SLACK_CONFIG_REFRESH_TOKEN', slackRefresh)],
      fp: ['SLACK_CONFIG_REFRESH_TOKEN=xoxe-1-<refresh token>', `refresh: "xoxe-1-${fx('srf', 60)}"`],
    })),
  },
  {
    id: 'slack-legacy-token',
    title: 'Slack legacy, session or workspace token',
    severity: 'high',
    keywords: ['xoxa-', 'xoxc-', 'xoxo-', 'xoxr-', 'xoxs-'],
    pattern: `${B}(xox[acors]-[0-9]{1,13}(?:-[0-9]{8,13}){1,3}-[A-Za-z0-9]{24,64})${E}`,
    entropy: 3,
    help:
      'A Slack legacy/workspace (`xoxa-`, `xoxo-`), refresh (`xoxr-`), or browser session (`xoxc-`, `xoxs-`) ' +
      'token. Revoke it (`auth.revoke`, or sign the user out of all sessions) and replace legacy tokens with a ' +
      'Slack app.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SLACK_TOKEN', slackLegacy)],
      fp: ['SLACK_TOKEN=xoxs-0000-0000-0000-<session>', `slack: "xoxs-${fx('slf', 30)}"`],
    })),
  },
  {
    id: 'slack-webhook-url',
    title: 'Slack incoming webhook URL',
    severity: 'high',
    keywords: ['hooks.slack.com/services'],
    pattern: String.raw`hooks\.slack\.com/services/(T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})(?:[^A-Za-z0-9]|$)`,
    entropy: 3,
    help:
      'A Slack incoming webhook: anyone with the URL can post into its channel. Regenerate it (remove and re-add ' +
      'the webhook under the app’s Incoming Webhooks page) and keep the URL in a secret store.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SLACK_WEBHOOK_URL', slackHook), `curl -X POST -d '{"text":"hi"}' ${slackHook}`],
      fp: [
        'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
        'webhook: "https://hooks.slack.com/services/${SLACK_TEAM}/${SLACK_HOOK}"',
        `url = "https://hooks.slack.com/services/T${fx('shf', 10, A.upperAlnum)}/B${fx('shf2', 10, A.upperAlnum)}/${fx('shf3', 12)}"`,
      ],
    })),
  },
  {
    id: 'slack-workflow-webhook-url',
    title: 'Slack workflow webhook URL',
    severity: 'medium',
    keywords: ['hooks.slack.com/workflows', 'hooks.slack.com/triggers'],
    pattern: String.raw`hooks\.slack\.com/(?:workflows|triggers)/(T[A-Z0-9]{8,12}/(?:A[A-Z0-9]{8,12}/)?[0-9]{8,20}/[A-Za-z0-9]{24,32})(?:[^A-Za-z0-9]|$)`,
    entropy: 3,
    help:
      'A Slack Workflow Builder webhook trigger: anyone with the URL can start the workflow with their own input. ' +
      'Delete and recreate the trigger in Workflow Builder.',
    examples: lazyExamples(() => ({
      tp: [
        ...inSyntaxes('SLACK_WORKFLOW_URL', slackTrigger),
        // A workflow webhook with a 24-character secret (Workflow Builder's older URLs).
        `SLACK_WORKFLOW_URL=https://hooks.slack.com/workflows/T${fx('swk1', 10, A.upperAlnum)}/A${fx('swk2', 10, A.upperAlnum)}/${digits('swk3', 18)}/${fx('swk4', 24)}`,
      ],
      fp: [
        'SLACK_WORKFLOW_URL=https://hooks.slack.com/triggers/T0000000000/0000000000000/<secret>',
        `trigger: "https://hooks.slack.com/triggers/T${fx('stf', 10, A.upperAlnum)}/${digits('stf2', 13)}/${fx('stf3', 16, A.hex)}"`,
      ],
    })),
  },
  {
    id: 'discord-bot-token',
    title: 'Discord bot token',
    severity: 'high',
    keywords: ['discord', 'authorization'],
    pattern: String.raw`(?:(?i:discord)[\w.-]{0,30}${ASSIGN}(?:Bot\s+)?|(?i:authorization)["']?\s*[:=,]\s*["']?Bot\s+)([MNO][A-Za-z0-9_-]{22,26}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40})${E}`,
    validate: validateDiscordBotToken,
    requireValid: true,
    help:
      'A Discord bot token: base64 of the bot’s user id, a timestamp and an HMAC. Reported only when the first ' +
      'part decodes to a snowflake id. Reset it on the Developer Portal (Bot → Reset Token).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('DISCORD_BOT_TOKEN', discordBot), `headers = {"Authorization": "Bot ${discordBot}"}`],
      fp: [
        `DISCORD_BOT_TOKEN=${discordBadId}`,
        'discord_token: "MTIzNDU2Nzg5MDEyMzQ1Njc4.your-token-here"',
        `discordToken = process.env.DISCORD_TOKEN // ${fx('dcf', 10)}`,
      ],
    })),
  },
  {
    id: 'discord-webhook-url',
    title: 'Discord webhook URL',
    severity: 'high',
    keywords: ['discord.com/api', 'discordapp.com/api'],
    pattern: String.raw`discord(?:app)?\.com/api(?:/v[0-9]+)?/webhooks/([0-9]{17,20}/[A-Za-z0-9_-]{60,80})${E}`,
    entropy: 3.5,
    help:
      'A Discord channel webhook: anyone with the URL can post as it. Delete the webhook (channel settings → ' +
      'Integrations → Webhooks) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('DISCORD_WEBHOOK', discordHook)],
      fp: [
        'DISCORD_WEBHOOK=https://discord.com/api/webhooks/{webhook.id}/{webhook.token}',
        'discord_webhook: "https://discord.com/api/webhooks/123456789012345678/<token>"',
        `hook = "https://discord.com/api/webhooks/${digits('dhf', 19)}/${fx('dhf2', 30, A.base64url)}"`,
      ],
    })),
  },
  {
    id: 'nats-nkey-seed',
    title: 'NATS nkey seed',
    severity: 'critical',
    // A seed's first three characters name it a seed of a user, account, operator or curve key (`SUA`, `SAA`, `SOA`,
    // `SXA`); the rest is base32 with a CRC-16.
    keywords: ['sua', 'saa', 'soa', 'sxa'],
    pattern: `(?:^|[^A-Za-z0-9])(S[UAOX]A[A-Z2-7]{55})(?:[^A-Za-z0-9]|$)`,
    validate: validateNkeySeed,
    requireValid: true,
    help:
      'A NATS nkey seed (`SU…`, `SA…`, `SO…`, `SX…`, in a `.creds` file, a `.nk` file or a config): the private key ' +
      'that signs as a user, an account or an operator. Reported only when its CRC-16 checks. Revoke the key (nsc ' +
      '`revocations`, or a new account or operator key) and issue new credentials.',
    examples: lazyExamples(() => {
      const user = fakeNkeySeed('nk-user', 20);
      return {
        tp: [
          `-----BEGIN USER NKEY SEED-----\n${user}\n------END USER NKEY SEED------`,
          `authCalloutIssuerSeed = "${fakeNkeySeed('nk-acct', 0)}"`,
          `\tseed1 := []byte("${fakeNkeySeed('nk-op', 14)}")`,
        ],
        fp: [
          `seed: "${fakeNkeySeed('nk-bad', 20, true)}"`,
          // A public nkey (user, account): no seed.
          `nkey: ${'U'}${fx('nk-pub', 55, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
          'SUAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
        ],
      };
    }),
  },
  {
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    severity: 'high',
    keywords: [':aa'],
    pattern: `(?:^|[^0-9A-Za-z_]|bot)([0-9]{8,10}:AA[A-Za-z0-9_-]{33})${E}`,
    entropy: 3,
    help:
      'A Telegram Bot API token (`<bot id>:AA…`): full control of the bot. Revoke it with @BotFather (`/revoke`) ' +
      'and use the new token.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('TELEGRAM_BOT_TOKEN', telegram), `https://api.telegram.org/bot${telegram}/sendMessage`],
      fp: [
        'TELEGRAM_BOT_TOKEN=123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        `telegram_token: "${telegram.slice(0, -2)}"`,
        `mac = "${digits('tgf', 10)}:aa:bb:cc"`,
        'TELEGRAM_BOT_TOKEN=${TELEGRAM_TOKEN}',
      ],
    })),
  },
  {
    id: 'twilio-auth-token',
    title: 'Twilio auth token',
    severity: 'high',
    keywords: ['twilio'],
    pattern: String.raw`(?i:twilio)[\w.-]{0,24}(?i:auth[_-]?token|token|secret)${ASSIGN}([0-9a-f]{32})(?:[^0-9A-Za-z]|$)`,
    entropy: 3,
    help:
      'A Twilio account auth token (32 hex characters) named as such: with the account SID it controls the whole ' +
      'account. Rotate it in the Twilio Console (Account → API keys & tokens → request a secondary token, promote ' +
      'it) and prefer API keys.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('TWILIO_AUTH_TOKEN', twilioToken)],
      fp: [
        'TWILIO_AUTH_TOKEN=your_auth_token',
        'twilio_auth_token: "00000000000000000000000000000000"',
        `twilioAuthToken = "${twilioToken.slice(0, 30)}"`,
        `TWILIO_ACCOUNT_SID=${twilioSid}`,
      ],
    })),
  },
  {
    id: 'twilio-client-auth-token',
    title: 'Twilio auth token passed to a client beside its account SID',
    severity: 'high',
    // The account SID as a call's first argument and the auth token as its second: `twilio('AC…', '…')` (Node),
    // `Client("AC…", "…")` (Python, PHP), `Twilio::REST::Client.new('AC…', '…')`, `Twilio.init("AC…", "…")` (Java),
    // `TwilioClient.Init("AC…", "…")` (C#). The SID names the pair, so the token needs no name of its own.
    keywords: ["('ac", '("ac'],
    pattern: String.raw`\(["']AC[0-9a-f]{32}["']\s*,\s*["']([0-9a-f]{32})["']`,
    window: 160, // the token may be on the next line
    entropy: 3,
    help:
      'A Twilio account auth token written into the call that creates a client, after its account SID: with the ' +
      'SID it controls the whole account. Rotate it in the Twilio Console (Account → API keys & tokens) and read ' +
      'both from the environment (`TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`), or use an API key.',
    examples: lazyExamples(() => ({
      tp: [
        `const client = require('twilio')('${twilioSid}', '${twilioToken}');`,
        `client = Client("${twilioSid}", "${twilioToken}")`,
        `Twilio.init("${twilioSid}",\n    "${twilioToken}");`,
      ],
      fp: [
        `const client = twilio('${twilioSid}', process.env.TWILIO_AUTH_TOKEN);`,
        `client = Client("${twilioSid}", "00000000000000000000000000000000")`,
        'client = Client(account_sid, auth_token)',
        // A 32-hex argument after something that is not an account SID.
        `lookup('${fx('tw3', 34, A.hex)}', '${twilioToken}')`,
      ],
    })),
  },
  {
    id: 'twilio-credentials-url',
    title: 'Twilio credentials in a URL',
    severity: 'high',
    keywords: ['twilio.com'],
    pattern: String.raw`(?:AC|SK)[0-9a-f]{32}:([A-Za-z0-9]{32})@(?:[a-z0-9-]+\.)*twilio\.com`,
    entropy: 3,
    help:
      'A Twilio account SID or API key SID with its secret in a URL’s user-info (`https://AC…:token@api.twilio.com`). ' +
      'Rotate the auth token or delete the API key in the Twilio Console.',
    examples: lazyExamples(() => ({
      tp: [
        `TWILIO_URL=https://${twilioSid}:${twilioToken}@api.twilio.com/2010-04-01/Accounts`,
        `curl "https://${twilioSid}:${twilioToken}@api.twilio.com/2010-04-01/Accounts/${twilioSid}/Messages.json"`,
      ],
      fp: [
        `curl -u ${twilioSid}:$TWILIO_AUTH_TOKEN https://api.twilio.com/2010-04-01/Accounts`,
        'https://ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx:[AuthToken]@api.twilio.com/',
      ],
    })),
  },
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    severity: 'high',
    keywords: ['sg.'],
    pattern: `${B}(SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})${E}`,
    entropy: 3.5,
    help:
      'A SendGrid (Twilio) API key (`SG.<id>.<secret>`): it sends mail as your domain. Delete it under Settings → ' +
      'API Keys and create a new, narrowly scoped key.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SENDGRID_API_KEY', sendgrid)],
      fp: [
        'SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        `sendgrid_api_key: "${sendgrid.slice(0, -5)}"`,
        'const sg = require("@sendgrid/mail"); sg.setApiKey(process.env.SENDGRID_API_KEY);',
      ],
    })),
  },
  {
    id: 'mailgun-api-key',
    title: 'Mailgun API key (legacy key- form)',
    severity: 'high',
    keywords: ['key-'],
    pattern: `${B}(key-[0-9a-f]{32})${E}`,
    entropy: 3,
    help:
      'A Mailgun private API key in the legacy `key-<32 hex>` form: full access to sending and account APIs. ' +
      'Delete it under API Security in the Mailgun dashboard and create a new key.',
    examples: lazyExamples(() => ({
      tp: [
        ...inSyntaxes('MAILGUN_API_KEY', mailgunLegacy),
        `curl -s --user 'api:${mailgunLegacy}' https://api.mailgun.net/v3/domains`,
      ],
      fp: [
        'MAILGUN_API_KEY=key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        `monkey-${fx('mgf', 32, A.hex)}`,
        `"ssh-key-${fx('mgf2', 32, A.hex)}"`,
        `mailgun_api_key: "key-${fx('mgf3', 31, A.hex)}"`,
      ],
    })),
  },
  {
    id: 'mailgun-private-key',
    title: 'Mailgun API key',
    severity: 'high',
    keywords: ['mailgun'],
    // `api:<key>` (curl --user) counts when a Mailgun host follows on the line; leftmost-first alternation keeps it in the match.
    pattern: String.raw`(?:(?i:mailgun)[\w.-]{0,30}${ASSIGN}|api:)([0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?:[^0-9A-Za-z-][^\n]{0,200}?(?i:mailgun)\.net|[^0-9A-Za-z-]|$)`,
    entropy: 3,
    help:
      'A Mailgun API key in the current `<32 hex>-<8 hex>-<8 hex>` form, named as Mailgun’s or used as `api:<key>`. ' +
      'Delete it under API Security in the Mailgun dashboard and create a new key.',
    examples: lazyExamples(() => ({
      tp: [
        ...inSyntaxes('MAILGUN_API_KEY', mailgunKey),
        `curl --user "api:${mailgunKey}" https://api.eu.mailgun.net/v3/domains`,
        `https://api:${mailgunKey}@api.mailgun.net/v3/lists`,
      ],
      fp: [
        'MAILGUN_API_KEY=<mailgun-private-key>',
        `mailgun_request_id: "${fxUuid('mgf4')}"`,
        `build_id = "${mailgunKey}"`,
      ],
    })),
  },
  {
    id: 'mailchimp-api-key',
    title: 'Mailchimp API key',
    severity: 'high',
    keywords: ['-us1', '-us2', '-us3', '-us4', '-us5', '-us6', '-us7', '-us8', '-us9'],
    pattern: `(?:^|[^0-9A-Za-z_-])([0-9a-f]{32}-us[0-9]{1,2})(?:[^0-9A-Za-z_-]|$)`,
    entropy: 3,
    help:
      'A Mailchimp Marketing API key (`<32 hex>-us<N>`, the suffix is the data centre). Revoke it under Profile → ' +
      'Extras → API keys and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('MAILCHIMP_API_KEY', mailchimp)],
      fp: [
        'MAILCHIMP_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-us14',
        `locale: "${fx('mcf', 32, A.hex)}-us-east-1"`,
        `mailchimp_key: "${fx('mcf2', 30, A.hex)}-us14"`,
      ],
    })),
  },
  {
    id: 'mailchimp-transactional-key',
    title: 'Mailchimp Transactional (Mandrill) API key',
    severity: 'high',
    keywords: ['mandrill', 'transactional'],
    pattern: String.raw`(?i:mandrill|mailchimp[_-]?transactional)[\w.-]{0,30}${ASSIGN}((?:md-)?[A-Za-z0-9_-]{22})${E}`,
    entropy: 3.5,
    validate: validateMixedCase,
    help:
      'A Mailchimp Transactional (Mandrill) API key (22 characters, `md-` prefixed in newer keys) named as ' +
      'Mandrill’s: it sends mail as your domains. Values without both upper- and lower-case letters are not reported. Delete ' +
      'it in the Mandrill settings (SMTP & API Info) and create a new key.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('MANDRILL_API_KEY', mandrill)],
      fp: [
        'MANDRILL_API_KEY=md-xxxxxxxxxxxxxxxxxxxxxx',
        'mandrill_template: "md-button-toggle-group-x"',
        `MANDRILL_API_KEY=${fx('mdf', 22, A.lowerAlnum)}`,
        `<div class="${mandrill}">`,
      ],
    })),
  },
  {
    id: 'postmark-server-token',
    title: 'Postmark server or account token',
    severity: 'high',
    keywords: ['postmark'],
    pattern: String.raw`(?i:postmark)[\w.-]{0,30}${ASSIGN}([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[^0-9A-Za-z-]|$)`,
    entropy: 3,
    help:
      'A Postmark server or account API token (a UUID named as Postmark’s, or in an `X-Postmark-Server-Token` ' +
      'header): it sends mail from your servers. Regenerate it under the server’s API Tokens tab.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('POSTMARK_SERVER_TOKEN', postmark), `-H "X-Postmark-Server-Token: ${postmark}"`],
      fp: [
        'POSTMARK_SERVER_TOKEN=POSTMARK_API_TEST',
        'postmark_token: "00000000-0000-0000-0000-000000000000"',
        `postmark_message_stream: outbound # ${fxUuid('pmf')}`,
      ],
    })),
  },
  {
    id: 'microsoft-teams-webhook-url',
    title: 'Microsoft Teams incoming webhook URL',
    severity: 'high',
    keywords: ['office.com/webhook', 'office365.com/webhook'],
    pattern: String.raw`(?:webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/([0-9a-f-]{36}@[0-9a-f-]{36}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f-]{36}(?:/[A-Za-z0-9_-]{20,80})?)`,
    entropy: 3,
    help:
      'A Microsoft Teams (Office 365 connector) incoming webhook: anyone with the URL can post into the channel. ' +
      'Remove the connector from the channel and create a new one (or move to a Workflows webhook).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('TEAMS_WEBHOOK_URL', teamsHook)],
      fp: [
        'TEAMS_WEBHOOK_URL=https://contoso.webhook.office.com/webhookb2/<group>@<tenant>/IncomingWebhook/<id>/<owner>',
        'teams: "https://outlook.office.com/webhook/${TEAMS_WEBHOOK_PATH}"',
      ],
    })),
  },
  {
    id: 'microsoft-teams-workflow-webhook-url',
    title: 'Microsoft Teams / Power Automate workflow webhook URL',
    severity: 'high',
    keywords: ['logic.azure.com', 'powerplatform.com'],
    pattern: String.raw`(?:logic\.azure\.com|api\.powerplatform\.com)(?::443)?/[A-Za-z0-9/_.-]*workflows/[0-9a-f]{32}/triggers/[A-Za-z0-9_]+/paths/invoke\?[^\s"'<>]*?sig=([A-Za-z0-9_%-]{40,90})`,
    entropy: 3.5,
    help:
      'A Power Automate / Logic Apps HTTP trigger URL (the Teams “Workflows” webhook); its `sig` is a SAS ' +
      'signature that lets anyone start the flow. Regenerate the trigger’s access keys (or recreate the flow).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('TEAMS_FLOW_URL', teamsFlow)],
      fp: [
        'TEAMS_FLOW_URL=https://prod-12.westeurope.logic.azure.com:443/workflows/<id>/triggers/manual/paths/invoke?api-version=2016-06-01&sig=<sig>',
        `flow: "https://prod-12.westeurope.logic.azure.com:443/workflows/${fx('tff', 32, A.hex)}/triggers/manual/paths/invoke?api-version=2016-06-01&sig=\${SIG}"`,
      ],
    })),
  },
  {
    id: 'google-chat-webhook-url',
    title: 'Google Chat webhook URL',
    severity: 'medium',
    keywords: ['chat.googleapis.com'],
    pattern: String.raw`chat\.googleapis\.com/v1/spaces/[A-Za-z0-9_-]+/messages\?[^\s"'<>]*?token=([A-Za-z0-9_%-]{40,60})`,
    entropy: 3.5,
    help:
      'A Google Chat incoming webhook (space URL with `key` and `token`): anyone with it can post into the space. ' +
      'Delete the webhook in the space’s Apps & integrations and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('GOOGLE_CHAT_WEBHOOK', gchat)],
      fp: [
        'GOOGLE_CHAT_WEBHOOK=https://chat.googleapis.com/v1/spaces/SPACE_ID/messages?key=KEY&token=TOKEN',
        'webhook: "https://chat.googleapis.com/v1/spaces/AAAA/messages?token={{ chat_token }}"',
      ],
    })),
  },
  {
    id: 'brevo-api-key',
    title: 'Brevo (Sendinblue) API key',
    severity: 'high',
    keywords: ['xkeysib-'],
    pattern: `${B}(xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16})${E}`,
    entropy: 3,
    help:
      'A Brevo (formerly Sendinblue) API v3 key (`xkeysib-`): contacts, campaigns and transactional mail. Delete ' +
      'it under SMTP & API → API Keys and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('BREVO_API_KEY', brevo)],
      fp: ['BREVO_API_KEY=xkeysib-<your-key>', `brevo: "xkeysib-${fx('bvf', 64, A.hex)}"`],
    })),
  },
  {
    id: 'brevo-smtp-key',
    title: 'Brevo (Sendinblue) SMTP key',
    severity: 'high',
    keywords: ['xsmtpsib-'],
    pattern: `${B}(xsmtpsib-[0-9a-f]{64}-[A-Za-z0-9]{16})${E}`,
    entropy: 3,
    help:
      'A Brevo SMTP relay key (`xsmtpsib-`): it sends mail through Brevo’s SMTP relay as your account. Delete it ' +
      'under SMTP & API → SMTP and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('BREVO_SMTP_KEY', brevoSmtp)],
      fp: ['SMTP_PASSWORD=xsmtpsib-xxxxxxxx', `smtp: "xsmtpsib-${fx('bvf2', 60, A.hex)}-${fx('bvf3', 16)}"`],
    })),
  },
  {
    id: 'resend-api-key',
    title: 'Resend API key',
    severity: 'high',
    keywords: ['resend'],
    pattern: String.raw`(?i:resend)[\w.-]{0,30}(?:${ASSIGN}|\(\s*["'])(re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24})${E}`,
    entropy: 3.5,
    help:
      'A Resend API key (`re_<id>_<secret>`, named as Resend’s or passed to `new Resend(…)`): it sends mail from ' +
      'your verified domains. Delete it under API Keys in ' +
      'the Resend dashboard and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('RESEND_API_KEY', resend), `const resend = new Resend('${resend}');`],
      fp: [
        'RESEND_API_KEY=re_123456789',
        'const re_pattern_matcher_for_tokens_abc = 1;',
        `resend_id = "pre_${fx('rsf', 8)}_${fx('rsf2', 24)}"`,
      ],
    })),
  },
  {
    id: 'mailersend-api-token',
    title: 'MailerSend API token',
    severity: 'high',
    keywords: ['mlsn.'],
    pattern: `${B}(mlsn\\.[0-9a-f]{64})${E}`,
    entropy: 3,
    help:
      'A MailerSend API token (`mlsn.` + 64 hex): it sends mail from your domains. Delete it under Integrations → ' +
      'API tokens and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('MAILERSEND_API_KEY', mailersend)],
      fp: ['MAILERSEND_API_KEY=mlsn.<token>', `mailersend: "mlsn.${fx('msf', 40, A.hex)}"`],
    })),
  },
  {
    id: 'zapier-webhook-url',
    title: 'Zapier catch hook URL',
    severity: 'medium',
    keywords: ['hooks.zapier.com'],
    pattern: String.raw`hooks\.zapier\.com/hooks/catch/([0-9]{4,12}/[a-z0-9]{6,8})(?:/|[^A-Za-z0-9]|$)`,
    entropy: 2.5,
    help:
      'A Zapier “Catch Hook” trigger URL: anyone with it can start the Zap with their own data. Turn the Zap off, ' +
      'replace its trigger (a new hook URL is issued) and keep the URL in a secret store.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('ZAPIER_HOOK', zapier)],
      fp: [
        'ZAPIER_HOOK=https://hooks.zapier.com/hooks/catch/123456/',
        'zap: "https://hooks.zapier.com/hooks/catch/<account>/<hook>/"',
      ],
    })),
  },
  {
    id: 'twilio-api-key-secret',
    title: 'Twilio API key secret',
    severity: 'high',
    keywords: ['twilio'],
    pattern: String.raw`(?i:twilio)[\w.-]{0,24}(?i:api[_-]?(?:key[_-]?)?secret)${ASSIGN}([A-Za-z0-9]{32})(?:[^0-9A-Za-z]|$)`,
    entropy: 3.5,
    help:
      'The secret of a Twilio API key (32 characters, named as Twilio’s; the `SK…` key SID is its user name). ' +
      'Delete the API key in the Twilio Console (API keys & tokens) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [
        ...inSyntaxes('TWILIO_API_SECRET', twilioApiSecret),
        ...inSyntaxes('TWILIO_API_KEY_SECRET', twilioApiSecret).slice(0, 1),
      ],
      fp: [
        'TWILIO_API_SECRET=your_api_secret',
        `TWILIO_API_KEY=SK${fx('twf', 32, A.hex)}`,
        `twilio_api_secret: "${fx('twf2', 24)}"`,
      ],
    })),
  },
  {
    id: 'vonage-api-secret',
    title: 'Vonage (Nexmo) API secret',
    severity: 'high',
    keywords: ['vonage', 'nexmo'],
    pattern: String.raw`(?i:vonage|nexmo)[\w.-]{0,24}(?i:secret)${ASSIGN}([A-Za-z0-9]{16})(?:[^0-9A-Za-z]|$)`,
    entropy: 3.3,
    help:
      'A Vonage (formerly Nexmo) API secret (16 characters, named as Vonage’s): with the API key it sends SMS and ' +
      'places calls on the account. Rotate it in the Vonage API dashboard (API settings → secrets).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('VONAGE_API_SECRET', vonageSecret), `NEXMO_API_SECRET=${vonageSecret}`],
      fp: [
        'VONAGE_API_SECRET=<api-secret>',
        `VONAGE_API_KEY=${fx('vnf', 8, A.hex)}`,
        'nexmo_secret: "aaaaaaaaaaaaaaaa"',
      ],
    })),
  },
  {
    id: 'pusher-app-secret',
    title: 'Pusher Channels app secret',
    severity: 'high',
    keywords: ['pusher'],
    pattern: String.raw`(?i:pusher)[\w.-]{0,24}(?i:secret)${ASSIGN}([0-9a-f]{20})(?:[^0-9A-Za-z]|$)`,
    entropy: 3,
    help:
      'A Pusher Channels app secret (20 hex, named as Pusher’s): it signs private/presence channel auth and ' +
      'triggers events. Rotate it under App Keys in the Pusher dashboard.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('PUSHER_APP_SECRET', pusherSecret)],
      fp: [
        'PUSHER_APP_SECRET=${PUSHER_SECRET}',
        `PUSHER_APP_KEY=${fx('puf', 20, A.hex)}`,
        'pusher_secret: "00000000000000000000"',
      ],
    })),
  },
  {
    id: 'intercom-access-token',
    title: 'Intercom access token',
    severity: 'high',
    keywords: ['dg9ro'],
    pattern: `${B}(dG9rO[A-Za-z0-9+/]{30,120}={0,2})(?:[^A-Za-z0-9+/=_-]|$)`,
    validate: validateIntercomToken,
    requireValid: true,
    help:
      'An Intercom access token (base64 of `tok:<uuid>:…`): workspace data through the REST API. Reported only ' +
      'when it decodes to that shape. Revoke it in the Developer Hub (app → Authentication) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('INTERCOM_ACCESS_TOKEN', intercom), `Authorization: Bearer ${intercom}`],
      fp: [
        `INTERCOM_ACCESS_TOKEN=${Buffer.from(`tok:${fx('icf', 20)}`).toString('base64')}`,
        `note = "${Buffer.from('token: this is not one at all, just prose').toString('base64')}"`,
      ],
    })),
  },
];
