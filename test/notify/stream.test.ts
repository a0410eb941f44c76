import type { AttributeValue } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AlertChannel } from '../../shared/notify/alert.ts';
import { deliverStreamAlerts } from '../../shared/notify/deliver.ts';
import { alertsFromStream } from '../../shared/notify/stream.ts';
import type { StoredFinding } from '../../shared/pipeline/model.ts';
import { inserted, modified, otherItemInserted, removed, sequenceNumberOf, storedFinding } from './fixtures.ts';

const fingerprints = (findings: StoredFinding[]) => findings.map((f) => f.fingerprint);

describe('alertsFromStream', () => {
  it('alerts a new open finding at or above the threshold', () => {
    const finding = storedFinding({ severity: 'high' });
    const record = inserted(finding);
    const alerts = alertsFromStream([record]);
    expect(fingerprints(alerts.individual)).toEqual([finding.fingerprint]);
    expect(alerts.digest).toEqual([]);
    expect(alerts.records.get(finding.fingerprint)).toEqual([sequenceNumberOf(record)]);
    expect(alerts.unreadable).toEqual([]);
  });

  it('hands over the finding as stored, without the table keys', () => {
    const finding = storedFinding({ evidence: 'AKIA************MPLE' });
    const [alerted] = alertsFromStream([inserted(finding)]).individual;
    expect(alerted).toEqual(finding);
    expect(alerted).not.toHaveProperty('pk');
    expect(alerted).not.toHaveProperty('gsi2pk');
  });

  it('routes audit findings by their detection routing instead of the severity threshold', () => {
    const routed = (severity: StoredFinding['severity'], routes: string[]) => storedFinding({ source: 'audit', ruleId: 'AUDIT-030', severity, audit: { cluster: 'prod', routes } });
    const medium = routed('medium', ['slack']);
    const low = routed('low', []);
    const silencedCritical = routed('critical', []);
    const alerts = alertsFromStream([inserted(medium), inserted(low), inserted(silencedCritical)], { minSeverity: 'high' });
    expect(fingerprints(alerts.individual)).toEqual([medium.fingerprint]);
  });

  it('does not alert a new finding below the threshold', () => {
    expect(alertsFromStream([inserted(storedFinding({ severity: 'low' }))]).individual).toEqual([]);
    expect(alertsFromStream([inserted(storedFinding({ severity: 'medium' }))]).individual).toEqual([]);
  });

  it('takes the threshold from the options', () => {
    const medium = storedFinding({ severity: 'medium' });
    expect(fingerprints(alertsFromStream([inserted(medium)], { minSeverity: 'medium' }).individual)).toEqual([medium.fingerprint]);
    expect(alertsFromStream([inserted(storedFinding({ severity: 'high' }))], { minSeverity: 'critical' }).individual).toEqual([]);
  });

  it('alerts a finding re-opened from resolved or from suppressed', () => {
    const fromResolved = storedFinding();
    const fromSuppressed = storedFinding();
    const alerts = alertsFromStream([modified(fromResolved, 'resolved'), modified(fromSuppressed, 'suppressed')]);
    expect(fingerprints(alerts.individual).sort()).toEqual([fromResolved.fingerprint, fromSuppressed.fingerprint].sort());
  });

  it('does not alert a finding that was already open (a re-scan updating lastSeen)', () => {
    const finding = storedFinding({ lastSeen: '2026-03-02T10:00:00.000Z' });
    expect(alertsFromStream([modified(finding, 'open')]).individual).toEqual([]);
  });

  it('never alerts a suppressed or resolved finding', () => {
    const records = [
      inserted(storedFinding({ status: 'suppressed', suppressedBy: 'alice', suppressedReason: 'accepted risk' })),
      modified(storedFinding({ status: 'suppressed' }), 'open'),
      modified(storedFinding({ status: 'resolved', resolvedAt: '2026-03-02T10:00:00.000Z' }), 'open'),
      inserted(storedFinding({ status: 'resolved' })),
      // Suppressed inline (annotation or comment) even though the store keeps it open.
      inserted(storedFinding({ suppressed: true, suppression: { source: 'annotation', reason: 'ok', expires: null } })),
    ];
    const alerts = alertsFromStream(records);
    expect(alerts.individual).toEqual([]);
    expect(alerts.digest).toEqual([]);
    expect(alerts.unreadable).toEqual([]);
  });

  it('ignores items that are not the finding itself (sk other than META) and removals', () => {
    const finding = storedFinding();
    const alerts = alertsFromStream([otherItemInserted(finding), removed(finding)]);
    expect(alerts).toEqual({ individual: [], digest: [], records: new Map(), unreadable: [] });
  });

  it('alerts a finding that changes several times in one batch once, mapped to all its records', () => {
    const finding = storedFinding();
    const first = inserted(finding);
    const second = modified({ ...finding, lastSeen: '2026-03-01T11:00:00.000Z' }, 'resolved');
    const alerts = alertsFromStream([first, second]);
    expect(alerts.individual).toHaveLength(1);
    expect(alerts.individual[0].lastSeen).toBe('2026-03-01T11:00:00.000Z');
    expect(alerts.records.get(finding.fingerprint)).toEqual([sequenceNumberOf(first), sequenceNumberOf(second)]);
  });

  it('turns more than digestAbove alerts into one digest, most severe first', () => {
    const findings = [
      ...Array.from({ length: 3 }, () => storedFinding({ severity: 'high' })),
      ...Array.from({ length: 2 }, () => storedFinding({ severity: 'critical' })),
    ];
    const alerts = alertsFromStream(findings.map(inserted), { digestAbove: 4 });
    expect(alerts.individual).toEqual([]);
    expect(alerts.digest.map((f) => f.severity)).toEqual(['critical', 'critical', 'high', 'high', 'high']);
    expect(alerts.records.size).toBe(5);
    // Exactly digestAbove alerts still go one by one.
    expect(alertsFromStream(findings.slice(0, 4).map(inserted), { digestAbove: 4 }).individual).toHaveLength(4);
  });

  it('digests above 10 alerts by default', () => {
    const eleven = Array.from({ length: 11 }, () => inserted(storedFinding()));
    expect(alertsFromStream(eleven).digest).toHaveLength(11);
    expect(alertsFromStream(eleven.slice(0, 10)).individual).toHaveLength(10);
  });

  it('counts only alerting findings towards the digest', () => {
    const records = [
      ...Array.from({ length: 10 }, () => inserted(storedFinding())),
      ...Array.from({ length: 5 }, () => inserted(storedFinding({ severity: 'low' }))),
    ];
    expect(alertsFromStream(records).individual).toHaveLength(10);
  });

  it('reports finding records it cannot read instead of dropping them', () => {
    const notAFinding = inserted(storedFinding());
    notAFinding.dynamodb!.NewImage = { pk: { S: 'F#x' }, sk: { S: 'META' }, severity: { S: 'urgent' } } as Record<string, AttributeValue>;
    const modifyWithoutOldImage = modified(storedFinding(), 'resolved');
    delete modifyWithoutOldImage.dynamodb!.OldImage;
    const alerts = alertsFromStream([notAFinding, modifyWithoutOldImage]);
    expect(alerts.individual).toEqual([]);
    expect(alerts.unreadable).toEqual([sequenceNumberOf(notAFinding), sequenceNumberOf(modifyWithoutOldImage)]);
  });
});

/** Records what it was asked to send; fails for the fingerprints it is told to. */
function recordingChannel(failFor: Set<string> = new Set(), failDigest = false) {
  const sent: { alerts: string[]; digests: string[][] } = { alerts: [], digests: [] };
  const channel: AlertChannel = {
    async alert(f) {
      if (failFor.has(f.fingerprint)) throw new Error(`slack down for ${f.ruleId}`);
      sent.alerts.push(f.fingerprint);
    },
    async digest(findings) {
      if (failDigest) throw new Error('slack down');
      sent.digests.push(fingerprints(findings));
    },
    async notify() {
      throw new Error('not used by the stream delivery');
    },
  };
  return { channel, sent };
}

describe('deliverStreamAlerts', () => {
  it('sends each alert and reports only the records whose alert failed', async () => {
    const ok = storedFinding();
    const failing = storedFinding();
    const okRecord = inserted(ok);
    const failingRecord = modified(failing, 'resolved');
    const { channel, sent } = recordingChannel(new Set([failing.fingerprint]));
    const result = await deliverStreamAlerts(alertsFromStream([okRecord, failingRecord]), channel);
    expect(sent.alerts).toEqual([ok.fingerprint]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberOf(failingRecord) }]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0].fingerprints).toEqual([failing.fingerprint]);
    expect(String(result.failures[0].error)).toContain('slack down for K8S-001');
  });

  it('sends one digest and fails all its records when the digest fails', async () => {
    const records = Array.from({ length: 3 }, () => inserted(storedFinding()));
    const ok = recordingChannel();
    const delivered = await deliverStreamAlerts(alertsFromStream(records, { digestAbove: 2 }), ok.channel);
    expect(ok.sent.digests).toHaveLength(1);
    expect(ok.sent.digests[0]).toHaveLength(3);
    expect(delivered.batchItemFailures).toEqual([]);

    const down = recordingChannel(new Set(), true);
    const failed = await deliverStreamAlerts(alertsFromStream(records, { digestAbove: 2 }), down.channel);
    expect(failed.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(records.map(sequenceNumberOf).sort());
  });

  it('reports unreadable finding records as failures', async () => {
    const broken = inserted(storedFinding());
    broken.dynamodb!.NewImage = { sk: { S: 'META' } } as Record<string, AttributeValue>;
    const { channel } = recordingChannel();
    const result = await deliverStreamAlerts(alertsFromStream([broken]), channel);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberOf(broken) }]);
  });
});
