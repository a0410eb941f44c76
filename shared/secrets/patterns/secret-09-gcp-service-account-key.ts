import { CLOUD_CREDENTIAL_COMPLIANCE } from '../match.ts';
import { secretPattern } from '../pattern.ts';

// The three keys are checked independently: key order in the JSON does not matter.
const SERVICE_ACCOUNT_TYPE = /"type"\s*:\s*"service_account"/;
const PRIVATE_KEY = /"private_key"\s*:\s*"-----BEGIN PRIVATE KEY-----([^"]*)"/;
const CLIENT_EMAIL = /"client_email"\s*:\s*"([^"@]+@[a-z0-9-]+\.iam\.gserviceaccount\.com)"/;

export default secretPattern({
  id: 'SECRET-09',
  severity: 'critical',
  title: 'GCP service-account key',
  description: 'A Google Cloud service-account key file (JSON with type service_account, a PEM private_key and a client_email ending .iam.gserviceaccount.com) appears in a file.',
  remediation: 'Delete the key in IAM > Service accounts > Keys, review its use in Cloud Audit Logs, and prefer Workload Identity to downloaded keys.',
  compliance: [...CLOUD_CREDENTIAL_COMPLIANCE, 'MITRE T1552.004'],
  *find(text) {
    if (!text.includes('service_account') || !text.includes('.iam.gserviceaccount.com')) return;
    const privateKey = PRIVATE_KEY.exec(text);
    const clientEmail = CLIENT_EMAIL.exec(text);
    if (!privateKey || !clientEmail || !SERVICE_ACCOUNT_TYPE.test(text)) return;
    const material = privateKey[1].split('-----END')[0].replace(/\\[nr]|\s/g, '');
    yield { index: privateKey.index, secret: material, message: `GCP service-account key for ${clientEmail[1]}` };
  },
});
