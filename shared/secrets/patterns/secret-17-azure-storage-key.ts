import { CLOUD_CREDENTIAL_COMPLIANCE, captured } from '../match.ts';
import { secretPattern } from '../pattern.ts';

const ACCOUNT_KEY = /AccountKey=([A-Za-z0-9+/]{86}==)/dg;

export default secretPattern({
  id: 'SECRET-17',
  severity: 'critical',
  title: 'Azure storage account key',
  description: 'An Azure storage connection string holds an account key (AccountKey= followed by 88 base64 characters).',
  remediation: 'Rotate the storage account key in the Azure portal (Access keys), and use managed identities or short-lived SAS tokens instead of account keys.',
  compliance: [...CLOUD_CREDENTIAL_COMPLIANCE],
  *find(text) {
    if (!text.includes('AccountKey=')) return;
    for (const match of text.matchAll(ACCOUNT_KEY)) {
      yield { ...captured(match, 1), message: 'Azure storage account key in a connection string (AccountKey=)' };
    }
  },
});
