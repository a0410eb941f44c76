import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, slackBlocks, slackDigestBlocks, slackMessage, type SlackBlock } from '../../shared/notify/slack.ts';
import { storedFinding } from './fixtures.ts';

/** Every text of the blocks, in order. */
function texts(blocks: SlackBlock[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'header') return [b.text.text];
    if (b.type === 'section') return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === 'context') return b.elements.map((e) => e.text);
    return [];
  });
}
const allText = (blocks: SlackBlock[]) => texts(blocks).join('\n');

describe('escapeMrkdwn', () => {
  it('escapes the three characters Slack reads as control sequences', () => {
    expect(escapeMrkdwn('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
    expect(escapeMrkdwn('<!channel> <!here> <@U123> <#C123> <https://evil|click>')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C123&gt; &lt;https://evil|click&gt;',
    );
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });

  it('neutralises @channel, @here and @everyone with a zero-width joiner, and leaves other words alone', () => {
    expect(escapeMrkdwn('ping @channel and @here, @Everyone!')).toBe('ping @\u200dchannel and @\u200dhere, @\u200dEveryone!');
    expect(escapeMrkdwn('@admin @channels mail@here.example')).toBe('@admin @channels mail@\u200dhere.example');
  });
});

describe('slackBlocks', () => {
  it('shows severity, rule, title, message, where (linked) and remediation', () => {
    const finding = storedFinding();
    const blocks = slackBlocks(finding);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🟥 Critical finding: K8S-001', emoji: true } });
    const text = allText(blocks);
    expect(text).toContain('*Privileged container*\nContainer "web" of Deployment/web runs privileged.');
    expect(text).toContain('*Severity*\n🟥 Critical');
    expect(text).toContain('*Rule*\nK8S-001');
    expect(text).toContain('*Source*\niac');
    expect(text).toContain('<https://github.com/acme/shop/blob/0123456789abcdef/deploy/web.yaml#L27|acme/shop PR #42>');
    expect(text).toContain('deploy/web.yaml:27');
    expect(text).toContain('Deployment/web in namespace prod');
    expect(text).toContain('container web');
    expect(text).toContain('*Remediation*\nSet securityContext.privileged to false.');
    expect(text).toContain('CIS-K8S 5.2.1, NIST-800-190 4.4.3');
  });

  it('says where image and cluster findings are', () => {
    const image = storedFinding({
      source: 'image',
      ruleId: 'CVE-2024-3094',
      scope: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop' },
      image: { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', repository: 'shop', tag: '1.4.2', digest: null },
      vulnerability: { id: 'CVE-2024-3094', package: 'xz-utils', installedVersion: '5.6.0-0.2' },
      location: null,
      resource: null,
      container: null,
      url: null,
    });
    const imageText = allText(slackBlocks(image));
    expect(imageText).toContain('*Where*\nimage 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.4.2\npackage xz-utils 5.6.0-0.2');
    expect(imageText).toContain('*Source*\nimage');

    const cluster = storedFinding({
      source: 'audit',
      ruleId: 'AUDIT-009',
      scope: { cluster: 'prod-eu' },
      location: null,
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'payments', name: 'api-7d9' },
      container: null,
      url: null,
    });
    expect(allText(slackBlocks(cluster))).toContain('*Where*\ncluster prod-eu\nPod/api-7d9 in namespace payments');
  });

  it('links only http(s) URLs, and keeps the link syntax intact', () => {
    const notHttp = allText(slackBlocks(storedFinding({ url: 'javascript:alert(1)' })));
    expect(notHttp).toContain('*Where*\nacme/shop PR #42');
    expect(notHttp).not.toContain('javascript');
    const odd = allText(slackBlocks(storedFinding({ url: 'https://git.example/a|b?x=1&y=<2>' })));
    expect(odd).toContain('<https://git.example/a%7Cb?x=1&amp;y=%3C2%3E|acme/shop PR #42>');
  });

  it('escapes untrusted text: a resource named `<!channel> @admin <https://evil|click>` arrives inert', () => {
    const name = '<!channel> @admin <https://evil|click>';
    const finding = storedFinding({
      resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: '<!here>', name },
      title: 'Credential in <@U123> ConfigMap',
      message: `ConfigMap ${name} holds a credential; tell @channel & <#C123>`,
      remediation: 'Move it to a Secret <https://evil.example|docs>.',
    });
    const blocks = slackBlocks(finding);
    const text = allText(blocks);
    expect(text).toContain('ConfigMap/&lt;!channel&gt; @admin &lt;https://evil|click&gt; in namespace &lt;!here&gt;');
    expect(text).toContain('*Credential in &lt;@U123&gt; ConfigMap*');
    expect(text).toContain('tell @\u200dchannel &amp; &lt;#C123&gt;');
    expect(text).toContain('Move it to a Secret &lt;https://evil.example|docs&gt;.');
    // The only control sequence left is our own link.
    const sequences = texts(blocks).flatMap((t) => t.match(/<[^>]*>/g) ?? []);
    expect(sequences).toEqual(['<https://github.com/acme/shop/blob/0123456789abcdef/deploy/web.yaml#L27|acme/shop PR #42>']);
    expect(slackMessage(finding).text).not.toMatch(/[<>]/);
  });

  it('never includes the evidence', () => {
    const blocks = slackBlocks(storedFinding({ ruleId: 'SECRET-01', evidence: 'AKIA************WXYZ' }));
    expect(JSON.stringify(blocks)).not.toContain('AKIA');
  });

  it('stays within Slack limits for very long text', () => {
    const long = '&'.repeat(5000);
    for (const block of slackBlocks(storedFinding({ message: long, remediation: long }))) {
      if (block.type === 'section' && block.text) {
        expect(block.text.text.length).toBeLessThanOrEqual(3000);
        expect(block.text.text).toMatch(/(&amp;)+…$/);
      }
    }
  });
});

describe('slackDigestBlocks', () => {
  it('counts by severity and by source and lists the most severe first', () => {
    const findings = [
      ...Array.from({ length: 9 }, (_, i) => storedFinding({ severity: 'high', ruleId: `K8S-0${10 + i}`, title: `high ${i}` })),
      ...Array.from({ length: 3 }, () => storedFinding({ severity: 'critical', source: 'image', ruleId: 'CVE-2024-3094', title: 'xz backdoor' })),
    ];
    const blocks = slackDigestBlocks(findings);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: '🟥 Shipwatch: 12 new findings' } });
    const text = allText(blocks);
    expect(text).toContain('*By severity*\n🟥 Critical: *3*\n🟧 High: *9*');
    expect(text).toContain('*By source*\niac: *9*\nimage: *3*');
    const listed = texts(blocks).find((t) => t.startsWith('*Most severe*'))!.split('\n').slice(1);
    expect(listed).toHaveLength(10);
    expect(listed.slice(0, 3).every((line) => line.startsWith('🟥 *CVE-2024-3094* xz backdoor'))).toBe(true);
    expect(text).toContain('…and 2 more');
  });

  it('escapes the listed findings', () => {
    const text = allText(slackDigestBlocks([storedFinding({ title: '<!channel> pwned' }), storedFinding()]));
    expect(text).toContain('&lt;!channel&gt; pwned');
    expect(text).not.toContain('<!channel>');
  });
});
