// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are false-positive fixtures, not templates
// AI and ML platforms: OpenAI (user, project, service-account, admin), Anthropic (API, admin, OAuth), Hugging Face,
// Replicate, Groq, Perplexity, xAI, OpenRouter, Together, LangSmith, Pinecone, Tavily, and vendors whose keys have
// no prefix (Cohere, Mistral, DeepSeek, Weights & Biases, ElevenLabs, Deepgram, AssemblyAI) when named as theirs.
// Example values are assembled at run time from fixture helpers, so no token-shaped literal lives in this file.
import type { Rule } from '../types.ts';
import { TOKEN_END as E, TOKEN_START as B, named } from './syntax.ts';
import { FIXTURE_ALPHABETS as A, fx, inSyntaxes, validateMixedCase } from '../validate/structure.ts';
import { lazyExamples } from './examples.ts';

// "T3BlbkFJ" is base64 of "OpenAI": OpenAI embeds it in the middle of its secret keys.
const OAI = ['T3Blbk', 'FJ'].join('');
const openaiLegacy = `sk-${fx('oa1', 20)}${OAI}${fx('oa2', 20)}`;
const openaiProject = `sk-${'proj'}-${fx('oa3', 74, A.base64url)}${OAI}${fx('oa4', 74, A.base64url)}`;
const openaiSvc = `sk-${'svcacct'}-${fx('oa5', 74, A.base64url)}${OAI}${fx('oa6', 74, A.base64url)}`;
const openaiAdmin = `sk-${'admin'}-${fx('oa7', 74, A.base64url)}${OAI}${fx('oa8', 74, A.base64url)}`;
const anthropic = `sk-${'ant'}-api03-${fx('an1', 93, A.base64url)}AA`;
const anthropicAdmin = `sk-${'ant'}-admin01-${fx('an2', 93, A.base64url)}AA`;
const anthropicOauth = `sk-${'ant'}-oat01-${fx('an3', 93, A.base64url)}AA`;
const hf = `${'hf'}_${fx('hf1', 34, A.letters)}`;
const hfOrg = `${'api_org'}_${fx('hf2', 34, A.letters)}`;
const replicate = `${'r8'}_${fx('rp1', 37)}`;
const groq = `${'gsk'}_${fx('gq1', 52)}`;
const pplx = `${'pplx'}-${fx('px1', 48)}`;
const xai = `${'xai'}-${fx('xa1', 80)}`;
const openrouter = `sk-${'or'}-v1-${fx('or1', 64, A.hex)}`;
const together = `${'tgp'}_v1_${fx('tg1', 43, A.base64url)}`;
const langsmith = `${'lsv2'}_pt_${fx('ls1', 32, A.hex)}_${fx('ls2', 10, A.hex)}`;
const pinecone = `${'pcsk'}_${fx('pc1', 6)}_${fx('pc2', 67)}`;
const tavily = `${'tvly'}-dev-${fx('tv1', 32)}`;
const cohere = fx('co1', 40);
const mistral = fx('mi1', 32);
const deepseek = `sk-${fx('ds1', 32, A.hex)}`;
const wandb = fx('wb1', 40, A.hex);
const eleven = `sk_${fx('el1', 48, A.hex)}`;
const deepgram = fx('dg1', 40, A.hex);
const assembly = fx('aa1', 32, A.hex);

const openaiHelp = (kind: string) =>
  `An OpenAI ${kind}: it spends the organization’s credits and reads its data (files, fine-tunes, assistants). ` +
  'Revoke it on the API keys page of the OpenAI platform and create a new key scoped to one project.';

export const aiRules: Rule[] = [
  {
    id: 'openai-api-key',
    title: 'OpenAI API key (user key)',
    severity: 'high',
    keywords: [OAI.toLowerCase()],
    pattern: `${B}(sk-[A-Za-z0-9]{20}${OAI}[A-Za-z0-9]{20})${E}`,
    entropy: 3.5,
    help: openaiHelp('user API key (`sk-…` with the `T3BlbkFJ` marker)'),
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('OPENAI_API_KEY', openaiLegacy), `client = OpenAI(api_key="${openaiLegacy}")`],
      fp: [
        'OPENAI_API_KEY=sk-...',
        `openai_api_key: "sk-${fx('oaf', 20)}${fx('oaf2', 28)}"`,
        `OPENAI_API_KEY=sk-${fx('oaf3', 19)}${OAI}${fx('oaf4', 20)}`,
        'api_key = os.environ["OPENAI_API_KEY"]',
      ],
    })),
  },
  {
    id: 'openai-project-key',
    title: 'OpenAI project API key',
    severity: 'high',
    keywords: ['sk-proj-', 'sk-none-'],
    pattern: `${B}(sk-(?:proj|None)-[A-Za-z0-9_-]{20,200}${OAI}[A-Za-z0-9_-]{20,200})${E}`,
    entropy: 4,
    help: openaiHelp('project API key (`sk-proj-`)'),
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('OPENAI_API_KEY', openaiProject)],
      fp: [
        'OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        `openai_key: "sk-proj-${fx('opf', 120, A.base64url)}"`,
        'OPENAI_API_KEY="sk-proj-<your key>"',
      ],
    })),
  },
  {
    id: 'openai-service-account-key',
    title: 'OpenAI service account key',
    severity: 'high',
    keywords: ['sk-svcacct-'],
    pattern: `${B}(sk-svcacct-[A-Za-z0-9_-]{20,200}${OAI}[A-Za-z0-9_-]{20,200})${E}`,
    entropy: 4,
    help: openaiHelp('service account key (`sk-svcacct-`), not tied to a person'),
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('OPENAI_API_KEY', openaiSvc)],
      fp: ['OPENAI_API_KEY=sk-svcacct-...', `openai: "sk-svcacct-${fx('osf', 100, A.base64url)}"`],
    })),
  },
  {
    id: 'openai-admin-key',
    title: 'OpenAI admin key',
    severity: 'critical',
    keywords: ['sk-admin-'],
    pattern: `${B}(sk-admin-[A-Za-z0-9_-]{20,200}${OAI}[A-Za-z0-9_-]{20,200})${E}`,
    entropy: 4,
    help:
      'An OpenAI admin API key (`sk-admin-`): it manages the organization itself (users, projects, API keys, ' +
      'usage). Delete it under Organization → Admin keys and audit the keys and members it could have created.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('OPENAI_ADMIN_KEY', openaiAdmin)],
      fp: ['OPENAI_ADMIN_KEY=sk-admin-<key>', `admin_key: "sk-admin-${fx('oaf5', 100, A.base64url)}"`],
    })),
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    severity: 'high',
    keywords: ['sk-ant-api'],
    pattern: `${B}(sk-ant-api[0-9]{2}-[A-Za-z0-9_-]{80,120}AA)${E}`,
    entropy: 4,
    help:
      'An Anthropic API key (`sk-ant-api03-…AA`): it spends the workspace’s credits. Delete it in the Claude ' +
      'Console (Settings → API keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('ANTHROPIC_API_KEY', anthropic), `client = anthropic.Anthropic(api_key="${anthropic}")`],
      fp: [
        'ANTHROPIC_API_KEY=sk-ant-api03-...',
        `anthropic_api_key: "sk-ant-api03-${fx('anf', 40, A.base64url)}AA"`,
        'ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAA',
      ],
    })),
  },
  {
    id: 'anthropic-admin-key',
    title: 'Anthropic Admin API key',
    severity: 'critical',
    keywords: ['sk-ant-admin'],
    pattern: `${B}(sk-ant-admin[0-9]{2}-[A-Za-z0-9_-]{80,120}AA)${E}`,
    entropy: 4,
    help:
      'An Anthropic Admin API key (`sk-ant-admin01-`): it manages the organization (members, workspaces, API ' +
      'keys). Delete it in the Claude Console and review what it changed.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('ANTHROPIC_ADMIN_KEY', anthropicAdmin)],
      fp: ['ANTHROPIC_ADMIN_KEY=sk-ant-admin01-<key>', `admin: "sk-ant-admin01-${fx('anf2', 50, A.base64url)}"`],
    })),
  },
  {
    id: 'anthropic-oauth-token',
    title: 'Anthropic OAuth token',
    severity: 'high',
    keywords: ['sk-ant-oat', 'sk-ant-ort'],
    pattern: `${B}(sk-ant-o(?:at|rt)[0-9]{2}-[A-Za-z0-9_-]{80,200})${E}`,
    entropy: 4,
    help:
      'An Anthropic OAuth access or refresh token (`sk-ant-oat01-`, `sk-ant-ort01-`), e.g. from Claude Code: it ' +
      'acts as the signed-in user. Sign out of the session (or revoke the app’s access) to invalidate it.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('CLAUDE_CODE_OAUTH_TOKEN', anthropicOauth)],
      fp: ['CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-...', `token: "sk-ant-oat01-${fx('anf3', 40, A.base64url)}"`],
    })),
  },
  {
    id: 'huggingface-access-token',
    title: 'Hugging Face access token',
    severity: 'high',
    keywords: ['hf_'],
    pattern: `${B}(hf_[A-Za-z]{34})${E}`,
    entropy: 3.5,
    validate: validateMixedCase,
    help:
      'A Hugging Face user access token (`hf_` + 34 letters): read or write access to the user’s models, datasets ' +
      'and Spaces. Single-case letter runs (identifiers) are not reported. Invalidate it under Settings → Access ' +
      'Tokens and create a fine-grained replacement.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('HF_TOKEN', hf), `huggingface-cli login --token ${hf}`],
      fp: [
        'HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        'from utils import hf_downloadmodelweightsfromtheremotehub',
        `HF_TOKEN=hf_${fx('hff', 30, A.letters)}`,
      ],
    })),
  },
  {
    id: 'huggingface-org-token',
    title: 'Hugging Face organization API token',
    severity: 'high',
    keywords: ['api_org_'],
    pattern: `${B}(api_org_[A-Za-z]{34})${E}`,
    entropy: 3.5,
    validate: validateMixedCase,
    help:
      'A legacy Hugging Face organization API token (`api_org_`): access to the organization’s private repos. ' +
      'Single-case letter runs are not reported. Regenerate it in the organization settings.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('HF_ORG_TOKEN', hfOrg)],
      fp: ['HF_ORG_TOKEN=api_org_<token>', 'def api_org_settingsforthecurrentuserpage(): pass'],
    })),
  },
  {
    id: 'replicate-api-token',
    title: 'Replicate API token',
    severity: 'high',
    keywords: ['r8_'],
    pattern: `${B}(r8_[A-Za-z0-9]{37})${E}`,
    entropy: 3.5,
    help:
      'A Replicate API token (`r8_`): it runs models on the account’s bill. Disable it under Account → API tokens ' +
      'and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('REPLICATE_API_TOKEN', replicate)],
      fp: ['REPLICATE_API_TOKEN=r8_<your token>', `REPLICATE_API_TOKEN=r8_${fx('rpf', 30)}`],
    })),
  },
  {
    id: 'groq-api-key',
    title: 'Groq API key',
    severity: 'high',
    keywords: ['gsk_'],
    pattern: `${B}(gsk_[A-Za-z0-9]{52})${E}`,
    entropy: 4,
    help: 'A Groq API key (`gsk_` + 52 characters). Delete it in the GroqCloud console (API Keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('GROQ_API_KEY', groq)],
      fp: ['GROQ_API_KEY=gsk_...', `GROQ_API_KEY=gsk_${fx('gqf', 40)}`],
    })),
  },
  {
    id: 'perplexity-api-key',
    title: 'Perplexity API key',
    severity: 'high',
    keywords: ['pplx-'],
    pattern: `${B}(pplx-[A-Za-z0-9]{48})${E}`,
    entropy: 4,
    help: 'A Perplexity API key (`pplx-`). Delete it in the API settings of your Perplexity account and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('PERPLEXITY_API_KEY', pplx)],
      fp: [
        'PERPLEXITY_API_KEY=pplx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        `model = "pplx-${fx('pxf', 12, A.lowerAlnum)}-online"`,
      ],
    })),
  },
  {
    id: 'xai-api-key',
    title: 'xAI API key',
    severity: 'high',
    keywords: ['xai-'],
    pattern: `${B}(xai-[A-Za-z0-9]{80})${E}`,
    entropy: 4,
    help: 'An xAI (Grok) API key (`xai-` + 80 characters). Revoke it in the xAI console (API Keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('XAI_API_KEY', xai)],
      fp: ['XAI_API_KEY=xai-<key>', `XAI_API_KEY=xai-${fx('xaf', 60)}`],
    })),
  },
  {
    id: 'openrouter-api-key',
    title: 'OpenRouter API key',
    severity: 'high',
    keywords: ['sk-or-v1-'],
    pattern: `${B}(sk-or-v1-[0-9a-f]{64})${E}`,
    entropy: 3,
    help: 'An OpenRouter API key (`sk-or-v1-` + 64 hex): it spends the account’s credits. Delete it under Keys and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('OPENROUTER_API_KEY', openrouter)],
      fp: ['OPENROUTER_API_KEY=sk-or-v1-...', `OPENROUTER_API_KEY=sk-or-v1-${fx('orf', 60, A.hex)}`],
    })),
  },
  {
    id: 'together-api-key',
    title: 'Together AI API key',
    severity: 'high',
    keywords: ['tgp_v1_'],
    pattern: `${B}(tgp_v1_[A-Za-z0-9_-]{40,50})${E}`,
    entropy: 4,
    help: 'A Together AI API key (`tgp_v1_`). Revoke it in the Together dashboard (Settings → API Keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('TOGETHER_API_KEY', together)],
      fp: ['TOGETHER_API_KEY=tgp_v1_<key>', `TOGETHER_API_KEY=tgp_v1_${fx('tgf', 20)}`],
    })),
  },
  {
    id: 'langsmith-api-key',
    title: 'LangSmith API key',
    severity: 'high',
    keywords: ['lsv2_'],
    pattern: `${B}(lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10})${E}`,
    entropy: 3,
    help:
      'A LangSmith personal access token or service key (`lsv2_pt_`, `lsv2_sk_`): traces, datasets and prompts of ' +
      'the workspace. Delete it under Settings → API Keys.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('LANGSMITH_API_KEY', langsmith)],
      fp: ['LANGSMITH_API_KEY=lsv2_pt_...', `LANGCHAIN_API_KEY=lsv2_pt_${fx('lsf', 32, A.hex)}`],
    })),
  },
  {
    id: 'pinecone-api-key',
    title: 'Pinecone API key',
    severity: 'high',
    keywords: ['pcsk_'],
    pattern: `${B}(pcsk_[A-Za-z0-9]{5,7}_[A-Za-z0-9]{60,75})${E}`,
    entropy: 4,
    help: 'A Pinecone API key (`pcsk_`): read and write access to the project’s indexes. Delete it in the Pinecone console (API keys).',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('PINECONE_API_KEY', pinecone)],
      fp: ['PINECONE_API_KEY=pcsk_<key>', `PINECONE_API_KEY=pcsk_${fx('pcf', 6)}_${fx('pcf2', 30)}`],
    })),
  },
  {
    id: 'tavily-api-key',
    title: 'Tavily API key',
    severity: 'high',
    keywords: ['tvly-'],
    pattern: `${B}(tvly-(?:dev-|prod-)?[A-Za-z0-9]{32})${E}`,
    entropy: 4,
    help: 'A Tavily search API key (`tvly-`): it spends the account’s credits. Delete it in the Tavily dashboard and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('TAVILY_API_KEY', tavily)],
      fp: ['TAVILY_API_KEY=tvly-YOUR_API_KEY', `TAVILY_API_KEY=tvly-${fx('tvf', 20)}`],
    })),
  },
  {
    id: 'cohere-api-key',
    title: 'Cohere API key',
    severity: 'high',
    keywords: ['cohere'],
    pattern: named('cohere', '[A-Za-z0-9]{40}'),
    entropy: 4,
    help: 'A Cohere API key (40 characters, named as Cohere’s). Delete it in the Cohere dashboard (API Keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('COHERE_API_KEY', cohere)],
      fp: [
        'COHERE_API_KEY=<your-cohere-api-key>',
        `cohere_model: "command-r-plus-${fx('cof', 10, A.lowerAlnum)}"`,
        `COHERE_API_KEY=${fx('cof2', 32)}`,
      ],
    })),
  },
  {
    id: 'mistral-api-key',
    title: 'Mistral AI API key',
    severity: 'high',
    keywords: ['mistral'],
    pattern: named('mistral', '[A-Za-z0-9]{32}'),
    entropy: 4,
    help: 'A Mistral AI API key (32 characters, named as Mistral’s). Revoke it in La Plateforme (API Keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('MISTRAL_API_KEY', mistral)],
      fp: [
        'MISTRAL_API_KEY=your-mistral-key',
        'mistral_model: "mistral-large-latest"',
        `MISTRAL_API_KEY=${fx('mif', 24)}`,
      ],
    })),
  },
  {
    id: 'deepseek-api-key',
    title: 'DeepSeek API key',
    severity: 'high',
    keywords: ['deepseek'],
    pattern: named('deepseek', 'sk-[0-9a-f]{32}'),
    entropy: 3,
    help: 'A DeepSeek API key (`sk-` + 32 hex, named as DeepSeek’s). Delete it on the DeepSeek platform (API keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('DEEPSEEK_API_KEY', deepseek)],
      fp: ['DEEPSEEK_API_KEY=sk-<key>', `DEEPSEEK_API_KEY=sk-${fx('dsf', 24, A.hex)}`],
    })),
  },
  {
    id: 'wandb-api-key',
    title: 'Weights & Biases API key',
    severity: 'high',
    keywords: ['wandb'],
    pattern: named('wandb', '[0-9a-f]{40}'),
    entropy: 3,
    help:
      'A Weights & Biases API key (40 hex, named as W&B’s): runs, artifacts and models of the user’s projects. ' +
      'Revoke it under User settings → API keys.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('WANDB_API_KEY', wandb)],
      fp: [
        'WANDB_API_KEY=$WANDB_KEY',
        `wandb_run_id: "${fx('wbf', 8, A.lowerAlnum)}"`,
        'WANDB_API_KEY=0000000000000000000000000000000000000000',
      ],
    })),
  },
  {
    id: 'elevenlabs-api-key',
    title: 'ElevenLabs API key',
    severity: 'high',
    keywords: ['elevenlabs', 'xi-api-key', 'xi_api_key'],
    pattern: String.raw`(?i:elevenlabs|xi[_-]api[_-]key)[\w.-]{0,30}["']?\s*(?:[:=,]|:=|=>)\s*["']?(sk_[0-9a-f]{48})${E}`,
    entropy: 3,
    help: 'An ElevenLabs API key (`sk_` + 48 hex). Delete it in the ElevenLabs settings (API Keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('ELEVENLABS_API_KEY', eleven), `headers = {"xi-api-key": "${eleven}"}`],
      fp: ['ELEVENLABS_API_KEY=sk_<key>', `ELEVENLABS_VOICE_ID=${fx('elf', 20)}`],
    })),
  },
  {
    id: 'deepgram-api-key',
    title: 'Deepgram API key',
    severity: 'high',
    keywords: ['deepgram'],
    pattern: named('deepgram', '[0-9a-f]{40}'),
    entropy: 3,
    help: 'A Deepgram API key (40 hex, named as Deepgram’s). Delete it in the Deepgram console (API Keys) and create a new one.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('DEEPGRAM_API_KEY', deepgram)],
      fp: ['DEEPGRAM_API_KEY=YOUR_DEEPGRAM_API_KEY', `DEEPGRAM_PROJECT_ID=${fx('dgf', 36, A.hex)}`],
    })),
  },
  {
    id: 'assemblyai-api-key',
    title: 'AssemblyAI API key',
    severity: 'high',
    keywords: ['assemblyai', 'assembly_ai'],
    pattern: named('assembly_?ai', '[0-9a-f]{32}'),
    entropy: 3,
    help: 'An AssemblyAI API key (32 hex, named as AssemblyAI’s). Reset it in the AssemblyAI dashboard.',
    examples: lazyExamples(() => ({
      tp: [...inSyntaxes('ASSEMBLYAI_API_KEY', assembly)],
      fp: ['ASSEMBLYAI_API_KEY=<your key>', `ASSEMBLYAI_API_KEY=${fx('aaf', 30, A.hex)}`],
    })),
  },
];
