// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are false-positive fixtures, not templates
// Payments and commerce: Stripe, Shopify, Square, Braintree/PayPal, Adyen, Plaid, Flutterwave, Razorpay, Paddle,
// Mollie, GoCardless. Live payment keys are critical, test/sandbox keys low.
// Example values are assembled at run time from fixture helpers, so no token-shaped literal lives in this file.
import type { Rule } from '../types.ts';
import { ASSIGN, TOKEN_END as E, TOKEN_START as B } from './syntax.ts';
import {
  FIXTURE_ALPHABETS as A,
  fixtureBytes,
  fx,
  fxUuid,
  inSyntaxes,
  validateAdyenKey,
} from '../validate/structure.ts';
import { lazyExamples } from './examples.ts';

const stripe = (kind: string, mode: string, seed: string, n = 99) => `${kind}_${mode}_${fx(seed, n)}`;
const skLive = stripe('sk', 'live', 'st1');
const rkLive = stripe('rk', 'live', 'st2');
const skTest = stripe('sk', 'test', 'st3', 24);
const rkTest = stripe('rk', 'test', 'st4');
const whsec = `${'whsec'}_${fx('st5', 32)}`;
const svixWhsec = `${'whsec'}_${fixtureBytes('st6', 24).toString('base64')}`;
const shop = (p: string, seed: string) => `${p}_${fx(seed, 32, A.hex)}`;
const squareToken = `${'EAAA'}${fx('sq1', 60, A.base64url)}`;
const squareLegacy = `${'sq0atp'}-${fx('sq2', 22, A.base64url)}`;
const squareSecret = `${'sq0csp'}-${fx('sq3', 43, A.base64url)}`;
const btProd = ['access_token', 'production', fx('bt1', 16, A.lowerAlnum), fx('bt2', 32, A.hex)].join('$');
const btSandbox = ['access_token', 'sandbox', fx('bt3', 16, A.lowerAlnum), fx('bt4', 32, A.hex)].join('$');
const btPrivate = fx('bt5', 32, A.hex);
const paypalSecret = `E${fx('pp1', 79, A.base64url)}`;
const adyen = `${Buffer.concat([Buffer.from([1, 1, 0x21]), fixtureBytes('ad1', 70)]).toString('base64')}-${fixtureBytes('ad2', 32).toString('base64')}`;
const adyenFull = `${adyen}-${fx('ad3', 16, `${A.base62}%;{}`)}`;
const plaidAccess = `access-${'production'}-${fxUuid('pl1')}`;
const plaidSecret = fx('pl2', 30, A.hex);
const flwLive = `${'FLWSECK'}-${fx('fw1', 32, A.hex)}-X`;
const flwTest = `${'FLWSECK_TEST'}-${fx('fw2', 32, A.hex)}-X`;
const razorpaySecret = fx('rz1', 24);
const paddle = `pdl_${'live'}_apikey_${fx('pd1', 26, A.lowerAlnum)}_${fx('pd2', 22)}_${fx('pd3', 3)}`;
const paddleSandbox = `pdl_${'sdbx'}_apikey_${fx('pd4', 26, A.lowerAlnum)}_${fx('pd5', 22)}_${fx('pd6', 3)}`;
const mollie = `live_${fx('ml1', 30)}`;
const gocardless = `live_${fx('gc1', 40, A.base64url)}`;

export const commerceRules: Rule[] = [
  {
    id: 'stripe-live-secret-key',
    title: 'Stripe live secret key',
    severity: 'critical',
    keywords: ['sk_live_'],
    pattern: `${B}(sk_live_[A-Za-z0-9]{24,247})${E}`,
    entropy: 3.5,
    help:
      'A Stripe live-mode secret key (`sk_live_`): full API access to charges, payouts and customer data. Roll it ' +
      'in the Dashboard (Developers → API keys → Roll key) and move it to a secret store.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('STRIPE_SECRET_KEY', skLive), `curl https://api.stripe.com/v1/charges -u ${skLive}:`],
      fp: [
        'STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
        `STRIPE_PUBLISHABLE_KEY=pk_live_${fx('stf', 99)}`,
        `const mask_live_${fx('stf2', 30)} = 1;`,
        `stripe_key: "sk_live_${fx('stf3', 20)}"`,
        'stripe:\n  secret_key: ${STRIPE_SECRET_KEY}',
      ],
    })),
  },
  {
    id: 'stripe-live-restricted-key',
    title: 'Stripe live restricted key',
    severity: 'high',
    keywords: ['rk_live_'],
    pattern: `${B}(rk_live_[A-Za-z0-9]{24,247})${E}`,
    entropy: 3.5,
    help:
      'A Stripe live-mode restricted key (`rk_live_`): API access limited to the permissions it was created with. ' +
      'Roll or delete it in the Dashboard (Developers → API keys).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('STRIPE_RESTRICTED_KEY', rkLive)],
      fp: ['STRIPE_RESTRICTED_KEY=rk_live_...', `work_live_${fx('rkf', 30)}`, `rk_live_${fx('rkf2', 10)}`],
    })),
  },
  {
    id: 'stripe-test-key',
    title: 'Stripe test-mode secret or restricted key',
    severity: 'low',
    keywords: ['sk_test_', 'rk_test_'],
    pattern: `${B}([sr]k_test_[A-Za-z0-9]{24,247})${E}`,
    entropy: 3.5,
    help:
      'A Stripe test-mode secret or restricted key: no real money, but it reads and writes your test data and ' +
      'reveals the account. Roll it in the Dashboard if the repository is public.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('STRIPE_TEST_KEY', skTest), `stripe.api_key = "${rkTest}"`],
      fp: [
        'STRIPE_TEST_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx',
        `pk_test_${fx('stt', 99)}`,
        `def task_test_${fx('stt2', 30)}(): pass`,
        'STRIPE_TEST_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc_your_key',
      ],
    })),
  },
  {
    id: 'webhook-signing-secret',
    title: 'Webhook signing secret (Stripe, Svix)',
    severity: 'high',
    keywords: ['whsec_'],
    pattern: `${B}(whsec_[A-Za-z0-9+/]{32,86}={0,2})(?:[^A-Za-z0-9+/=_-]|$)`,
    entropy: 3.5,
    help:
      'A webhook endpoint signing secret (`whsec_`, Stripe and Svix-based services): whoever holds it can forge ' +
      'webhook events your endpoint will trust. Roll the endpoint’s secret in the provider’s dashboard.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('STRIPE_WEBHOOK_SECRET', whsec), `SVIX_WEBHOOK_SECRET=${svixWhsec}`],
      fp: [
        'STRIPE_WEBHOOK_SECRET=whsec_...',
        `endpoint_secret = 'whsec_${fx('whf', 20)}'`,
        'whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      ],
    })),
  },
  {
    id: 'shopify-access-token',
    title: 'Shopify Admin API access token',
    severity: 'high',
    keywords: ['shpat_'],
    pattern: `${B}(shpat_[a-fA-F0-9]{32})${E}`,
    entropy: 3,
    help:
      'A Shopify Admin API access token (`shpat_`): store data and orders with the app’s scopes. Uninstall and ' +
      'reinstall the app (or rotate the token in the app’s API credentials) to revoke it.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SHOPIFY_ACCESS_TOKEN', shop('shpat', 'sh1'))],
      fp: [
        'SHOPIFY_ACCESS_TOKEN=shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        `shpat_${fx('shf', 32, A.lowerAlnum)}`,
        `shpat_${fx('shf2', 31, A.hex)}`,
      ],
    })),
  },
  {
    id: 'shopify-custom-app-token',
    title: 'Shopify custom app access token',
    severity: 'high',
    keywords: ['shpca_'],
    pattern: `${B}(shpca_[a-fA-F0-9]{32})${E}`,
    entropy: 3,
    help:
      'A Shopify custom app access token (`shpca_`). Uninstall the custom app or rotate its credentials in the ' +
      'Shopify admin to revoke it.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SHOPIFY_CUSTOM_APP_TOKEN', shop('shpca', 'sh2'))],
      fp: ['SHOPIFY_CUSTOM_APP_TOKEN=shpca_<token>', `shpca_${fx('shf3', 20, A.hex)}`],
    })),
  },
  {
    id: 'shopify-private-app-token',
    title: 'Shopify private app access token',
    severity: 'high',
    keywords: ['shppa_'],
    pattern: `${B}(shppa_[a-fA-F0-9]{32})${E}`,
    entropy: 3,
    help:
      'A Shopify (legacy) private app password/access token (`shppa_`). Delete the private app or regenerate its ' +
      'password in the Shopify admin.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SHOPIFY_PASSWORD', shop('shppa', 'sh3'))],
      fp: ['SHOPIFY_PASSWORD=shppa_${SHOPIFY_TOKEN}', `shppa_${fx('shf4', 32, A.lowerAlnum)}`],
    })),
  },
  {
    id: 'shopify-shared-secret',
    title: 'Shopify app shared secret',
    severity: 'high',
    keywords: ['shpss_'],
    pattern: `${B}(shpss_[a-fA-F0-9]{32})${E}`,
    entropy: 3,
    help:
      'A Shopify app shared secret (`shpss_`): it signs OAuth and webhook HMACs, so it lets an attacker forge ' +
      'requests to your app. Rotate the client secret in the Partner Dashboard.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SHOPIFY_API_SECRET', shop('shpss', 'sh4'))],
      fp: ['SHOPIFY_API_SECRET=shpss_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', `shpss_${fx('shf5', 16, A.hex)}`],
    })),
  },
  {
    id: 'square-access-token',
    title: 'Square access token',
    severity: 'high',
    keywords: ['eaaa'],
    pattern: `${B}(EAAA[A-Za-z0-9_-]{60})${E}`,
    entropy: 4,
    help:
      'A Square production or sandbox access token (`EAAA` + 60 characters): payments, customers and catalog ' +
      'access. Revoke it in the Developer Dashboard (Credentials → Replace) or through the OAuth revoke endpoint.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SQUARE_ACCESS_TOKEN', squareToken)],
      fp: [
        'SQUARE_ACCESS_TOKEN=EAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        `square_token: "EAAA${fx('sqf', 40, A.base64url)}"`,
        `facebook_token: "EAAB${fx('sqf2', 60, A.base64url)}"`,
      ],
    })),
  },
  {
    id: 'square-legacy-access-token',
    title: 'Square legacy access token',
    severity: 'high',
    keywords: ['sq0atp-'],
    pattern: `${B}(sq0atp-[A-Za-z0-9_-]{22})${E}`,
    entropy: 3.5,
    help:
      'A Square access token in the legacy `sq0atp-` form. Revoke it in the Developer Dashboard and use a current ' +
      'OAuth or personal access token.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SQUARE_TOKEN', squareLegacy)],
      fp: ['SQUARE_TOKEN=sq0atp-<token>', `sq0atp-${fx('sqf3', 10, A.base64url)}`],
    })),
  },
  {
    id: 'square-oauth-secret',
    title: 'Square OAuth application secret',
    severity: 'high',
    keywords: ['sq0csp-'],
    pattern: `${B}(sq0csp-[A-Za-z0-9_-]{43})${E}`,
    entropy: 3.5,
    help:
      'A Square OAuth application secret (`sq0csp-`): it exchanges authorization codes for merchant tokens. ' +
      'Replace it in the Developer Dashboard (OAuth → Replace secret).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('SQUARE_APP_SECRET', squareSecret)],
      fp: [
        'SQUARE_APP_SECRET=sq0csp-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        `sq0csp-${fx('sqf4', 20, A.base64url)}`,
      ],
    })),
  },
  {
    id: 'braintree-access-token',
    title: 'Braintree / PayPal production access token',
    severity: 'critical',
    keywords: ['access_token$production$'],
    pattern: String.raw`(access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32})(?:[^A-Za-z0-9]|$)`,
    entropy: 3,
    help:
      'A Braintree (PayPal) production access token (`access_token$production$…`): live payment API access. ' +
      'Revoke it in the Braintree Control Panel (or PayPal developer dashboard) and issue a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('BRAINTREE_ACCESS_TOKEN', btProd)],
      fp: [
        'BRAINTREE_ACCESS_TOKEN=access_token$production$<merchant>$<token>',
        `access_token$production$${fx('btf', 16, A.lowerAlnum)}$${fx('btf2', 20, A.hex)}`,
      ],
    })),
  },
  {
    id: 'braintree-sandbox-access-token',
    title: 'Braintree / PayPal sandbox access token',
    severity: 'low',
    keywords: ['access_token$sandbox$'],
    pattern: String.raw`(access_token\$sandbox\$[a-z0-9]{16}\$[a-f0-9]{32})(?:[^A-Za-z0-9]|$)`,
    entropy: 3,
    help:
      'A Braintree (PayPal) sandbox access token: no real money, but it exposes the sandbox account. Revoke it in ' +
      'the sandbox Control Panel if the repository is public.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('BRAINTREE_SANDBOX_TOKEN', btSandbox)],
      fp: [
        'BRAINTREE_SANDBOX_TOKEN=access_token$sandbox$<merchant>$<token>',
        `access_token$sandbox$${fx('btf3', 10, A.lowerAlnum)}$${fx('btf4', 32, A.hex)}`,
      ],
    })),
  },
  {
    id: 'braintree-private-key',
    title: 'Braintree API private key',
    severity: 'high',
    keywords: ['braintree'],
    pattern: String.raw`(?i:braintree)[\w.-]{0,30}(?i:private[_-]?key)${ASSIGN}([0-9a-f]{32})(?:[^0-9A-Za-z]|$)`,
    entropy: 3,
    help:
      'A Braintree API private key (32 hex, named as Braintree’s): with the public key and merchant id it has ' +
      'full gateway access. Delete the API key in the Control Panel (Settings → API) and generate a new pair.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('BRAINTREE_PRIVATE_KEY', btPrivate)],
      fp: [
        'BRAINTREE_PRIVATE_KEY=use_your_private_key',
        `BRAINTREE_PUBLIC_KEY=${fx('btf5', 16, A.lowerAlnum)}`,
        'braintree_private_key: "${BT_PRIVATE_KEY}"',
      ],
    })),
  },
  {
    id: 'paypal-client-secret',
    title: 'PayPal REST client secret',
    severity: 'high',
    keywords: ['paypal'],
    pattern: String.raw`(?i:paypal)[\w.-]{0,30}(?i:secret)${ASSIGN}([A-Za-z0-9_-]{80})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help:
      'A PayPal REST API app secret (80 characters, named as PayPal’s): with the client id it obtains OAuth ' +
      'tokens for the app. Generate a new secret and disable the old one under Apps & Credentials.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('PAYPAL_CLIENT_SECRET', paypalSecret)],
      fp: [
        'PAYPAL_CLIENT_SECRET=<client secret from developer.paypal.com>',
        `PAYPAL_CLIENT_ID=A${fx('ppf', 79, A.base64url)}`,
        `paypal_secret: "${fx('ppf2', 40, A.base64url)}"`,
      ],
    })),
  },
  {
    id: 'adyen-api-key',
    title: 'Adyen API key',
    severity: 'high',
    keywords: ['aqe'],
    pattern: `(?:^|[^A-Za-z0-9+/_-])(AQE[A-Za-z0-9+/]{20,300}={0,2}-[A-Za-z0-9+/]{43}=)`,
    validate: validateAdyenKey,
    help:
      'An Adyen API key (`AQE…-<base64>=-…`): payment and management API access for its company or merchant ' +
      'account. Reported only when both base64 segments decode. Generate a new key for the API credential in the ' +
      'Customer Area and delete the old one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('ADYEN_API_KEY', adyenFull), `x-api-key: ${adyen}`],
      fp: [
        'ADYEN_API_KEY=AQE_YOUR_API_KEY',
        `adyen_api_key: "AQE${fx('adf', 60, A.base62)}-${fx('adf2', 20)}"`,
        `data: "AQEB${fx('adf3', 40, A.base62)}"`,
      ],
    })),
  },
  {
    id: 'plaid-access-token',
    title: 'Plaid access token',
    severity: 'high',
    keywords: ['access-production-', 'access-development-'],
    pattern: `${B}(access-(?:production|development)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[^0-9a-f-]|$)`,
    entropy: 3,
    help:
      'A Plaid Item access token (`access-production-<uuid>`): it reads the linked bank account’s data. Rotate it ' +
      'with `/item/access_token/invalidate` or remove the Item with `/item/remove`.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('PLAID_ACCESS_TOKEN', plaidAccess)],
      fp: [
        `PLAID_ACCESS_TOKEN=access-sandbox-${fxUuid('plf')}`,
        'plaid_access_token: "access-production-00000000-0000-0000-0000-000000000000"',
        'access-production-<item-token>',
      ],
    })),
  },
  {
    id: 'plaid-secret',
    title: 'Plaid API secret',
    severity: 'high',
    keywords: ['plaid'],
    pattern: String.raw`(?i:plaid)[\w.-]{0,30}(?i:secret)${ASSIGN}([0-9a-f]{30})(?:[^0-9A-Za-z]|$)`,
    entropy: 3,
    help:
      'A Plaid API secret (30 hex, named as Plaid’s): with the client id it calls the Plaid API for every linked ' +
      'Item. Rotate it in the Plaid Dashboard (Team Settings → Keys).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('PLAID_SECRET', plaidSecret)],
      fp: [
        'PLAID_SECRET=your-plaid-secret',
        `PLAID_CLIENT_ID=${fx('plf2', 24, A.hex)}`,
        'plaid_secret: "000000000000000000000000000000"',
      ],
    })),
  },
  {
    id: 'flutterwave-secret-key',
    title: 'Flutterwave live secret key',
    severity: 'critical',
    keywords: ['flwseck-'],
    pattern: `${B}(FLWSECK-[0-9a-f]{32}-X)${E}`,
    entropy: 3,
    help:
      'A Flutterwave live secret key (`FLWSECK-…-X`): live payments and transfers. Regenerate the API keys in the ' +
      'Flutterwave dashboard (Settings → API).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('FLW_SECRET_KEY', flwLive)],
      fp: ['FLW_SECRET_KEY=FLWSECK-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-X', `FLWPUBK-${fx('fwf', 32, A.hex)}-X`],
    })),
  },
  {
    id: 'flutterwave-test-secret-key',
    title: 'Flutterwave test secret key',
    severity: 'low',
    keywords: ['flwseck_test-'],
    pattern: `${B}(FLWSECK_TEST-[0-9a-f]{32}-X)${E}`,
    entropy: 3,
    help:
      'A Flutterwave test-mode secret key (`FLWSECK_TEST-`): no real money, but it exposes the test account. ' +
      'Regenerate the test keys if the repository is public.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('FLW_TEST_SECRET_KEY', flwTest)],
      fp: ['FLW_TEST_SECRET_KEY=FLWSECK_TEST-<key>-X', `FLWPUBK_TEST-${fx('fwf2', 32, A.hex)}-X`],
    })),
  },
  {
    id: 'razorpay-key-secret',
    title: 'Razorpay key secret',
    severity: 'high',
    keywords: ['razorpay'],
    pattern: String.raw`(?i:razorpay)[\w.-]{0,30}(?i:secret)${ASSIGN}([A-Za-z0-9]{24})(?:[^A-Za-z0-9]|$)`,
    entropy: 3.5,
    help:
      'A Razorpay API key secret (24 characters, named as Razorpay’s): with the `rzp_` key id it has payment API ' +
      'access. Regenerate the key in the Razorpay Dashboard (Account & Settings → API Keys).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('RAZORPAY_KEY_SECRET', razorpaySecret)],
      fp: [
        'RAZORPAY_KEY_SECRET=YOUR_KEY_SECRET',
        `RAZORPAY_KEY_ID=rzp_live_${fx('rzf', 14)}`,
        'razorpay_secret: "aaaaaaaaaaaaaaaaaaaaaaaa"',
      ],
    })),
  },
  {
    id: 'paddle-api-key',
    title: 'Paddle Billing live API key',
    severity: 'critical',
    keywords: ['pdl_live_apikey_'],
    pattern: `${B}(pdl_live_apikey_[a-z0-9]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3})${E}`,
    entropy: 3.5,
    help:
      'A Paddle Billing live API key (`pdl_live_apikey_…`): live transactions, subscriptions and customers, within ' +
      'its permissions. Revoke it under Developer Tools → Authentication in the Paddle dashboard and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('PADDLE_API_KEY', paddle), `Authorization: Bearer ${paddle}`],
      fp: [
        'PADDLE_API_KEY=pdl_live_apikey_<key>',
        `pdl_live_apikey_${fx('pdf', 26, A.lowerAlnum)}`,
        `PADDLE_API_KEY=${paddleSandbox}`,
      ],
    })),
  },
  {
    id: 'paddle-sandbox-api-key',
    title: 'Paddle Billing sandbox API key',
    severity: 'low',
    keywords: ['pdl_sdbx_apikey_'],
    pattern: `${B}(pdl_sdbx_apikey_[a-z0-9]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3})${E}`,
    entropy: 3.5,
    help:
      'A Paddle Billing sandbox API key (`pdl_sdbx_apikey_…`): no real money, but it exposes the sandbox account. ' +
      'Revoke it in the sandbox dashboard if the repository is public.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('PADDLE_SANDBOX_API_KEY', paddleSandbox)],
      fp: ['PADDLE_API_KEY=pdl_sdbx_apikey_...', `PADDLE_API_KEY=${paddle.slice(0, -4)}`],
    })),
  },
  {
    id: 'mollie-api-key',
    title: 'Mollie live API key',
    severity: 'critical',
    keywords: ['mollie'],
    pattern: String.raw`(?i:mollie)[\w.-]{0,30}${ASSIGN}(live_[A-Za-z0-9]{30})(?:[^A-Za-z0-9]|$)`,
    entropy: 3.5,
    help:
      'A Mollie live API key (`live_` + 30 characters, named as Mollie’s): live payments and refunds. Reset it in ' +
      'the Mollie Dashboard (Developers → API keys).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('MOLLIE_API_KEY', mollie)],
      fp: [`MOLLIE_API_KEY=test_${fx('mlf', 30)}`, 'mollie_api_key: "live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"'],
    })),
  },
  {
    id: 'gocardless-access-token',
    title: 'GoCardless live access token',
    severity: 'critical',
    keywords: ['gocardless'],
    pattern: String.raw`(?i:gocardless)[\w.-]{0,30}${ASSIGN}(live_[A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3.5,
    help:
      'A GoCardless live access token (`live_` + 40 characters, named as GoCardless’s): Direct Debit mandates and ' +
      'payments. Revoke it in the GoCardless Dashboard (Developers → Access tokens).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('GOCARDLESS_ACCESS_TOKEN', gocardless)],
      fp: [`GOCARDLESS_ACCESS_TOKEN=sandbox_${fx('gcf', 40, A.base64url)}`, 'gocardless_token: "live_<token>"'],
    })),
  },
];
