import { SECRET_COMPLIANCE, captured } from '../match.ts';
import { secretPattern } from '../pattern.ts';

// The secret is the path after the kind: team id T…, a second id, then the secret itself.
const SLACK_WEBHOOK = /https?:\/\/hooks\.slack\.com\/(services|workflows|triggers)\/(T[A-Z0-9]+\/[A-Z0-9]+\/[A-Za-z0-9/]{10,})/dg;

export default secretPattern({
  id: 'SECRET-07',
  severity: 'high',
  title: 'Slack webhook URL',
  description: 'A Slack incoming webhook, workflow or trigger URL (hooks.slack.com/services/T…/…/…) appears in a file; anyone holding it can post to the channel.',
  remediation: 'Regenerate the webhook in the Slack app settings (which invalidates this URL) and load it at run time from a secrets manager.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    if (!text.includes('hooks.slack.com/')) return;
    for (const match of text.matchAll(SLACK_WEBHOOK)) {
      yield { ...captured(match, 2), message: `Slack webhook URL (hooks.slack.com/${match[1]}/)` };
    }
  },
});
