import { useState } from 'preact/hooks';
import { api, ApiError, currentConfig, type FindingDetail as Detail, type StoredFinding } from '../api.ts';
import { Loaded, useAsync } from '../components/async.tsx';
import { SeverityBadge, StatusBadge } from '../components/severity.tsx';
import { locationLabel, safeLink, SOURCE_LABELS, targetLabel, when } from '../format.ts';
import { href } from '../route.ts';

/** One finding: evidence, remediation, history, compliance references, links, and suppress / re-open. */
export function FindingDetail({ fingerprint }: { fingerprint: string }) {
  const [detail, setDetail] = useAsync(() => api.finding(fingerprint), fingerprint);
  return (
    <Loaded result={detail} what="the finding">
      {(d) => <FindingView detail={d} onChange={setDetail} />}
    </Loaded>
  );
}

function FindingView({ detail, onChange }: { detail: Detail; onChange: (d: Detail) => void }) {
  const f = detail.finding;
  const link = safeLink(f.url);
  return (
    <article aria-labelledby="page-title">
      <p>
        <a href={href(['findings'])}>← All findings</a>
      </p>
      <h1 id="page-title" tabIndex={-1}>
        {f.title}
      </h1>
      <p class="meta">
        <SeverityBadge severity={f.severity} /> <StatusBadge status={f.status} /> <span class="mono">{f.ruleId}</span> · {SOURCE_LABELS[f.source] ?? f.source}
      </p>
      <dl class="facts">
        <dt>Message</dt>
        <dd>{f.message}</dd>
        <dt>Target</dt>
        <dd>
          <TargetLinks finding={f} />
        </dd>
        <dt>Where</dt>
        <dd>{locationLabel(f)}</dd>
        {f.evidence != null && (
          <>
            <dt>Evidence</dt>
            <dd>
              <code>{f.evidence}</code>
            </dd>
          </>
        )}
        <Extra label="Image" value={f.image} />
        <Extra label="Vulnerability" value={f.vulnerability} />
        <Extra label="Audit events" value={f.audit} />
        <dt>First seen</dt>
        <dd>{when(f.firstSeen)}</dd>
        <dt>Last seen</dt>
        <dd>{when(f.lastSeen)}</dd>
        {f.resolvedAt && (
          <>
            <dt>Resolved</dt>
            <dd>{when(f.resolvedAt)}</dd>
          </>
        )}
        {link && (
          <>
            <dt>Link</dt>
            <dd>
              <a href={link} rel="noopener noreferrer" target="_blank">
                {link}
              </a>
            </dd>
          </>
        )}
      </dl>
      <section aria-labelledby="remediation">
        <h2 id="remediation">Remediation</h2>
        <p class="prewrap">{f.remediation || 'No remediation text.'}</p>
      </section>
      <section aria-labelledby="compliance-refs">
        <h2 id="compliance-refs">Compliance references</h2>
        {f.compliance.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <ul class="chips">
            {f.compliance.map((ref) => (
              <li key={ref}>{ref}</li>
            ))}
          </ul>
        )}
      </section>
      <Suppression detail={detail} onChange={onChange} />
      <section aria-labelledby="history">
        <h2 id="history">History</h2>
        <ol class="history" id="history-list">
          {detail.history.map((h, i) => (
            <li key={`${h.at}-${i}`}>
              <span class="nowrap">{when(h.at)}</span> <strong>{h.event}</strong>
              {h.by && <> by {h.by}</>}
              {h.reason && <>: {h.reason}</>}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

/** The target with links: its findings here, and the PR, commit or registry page when the store has one. */
function TargetLinks({ finding: f }: { finding: StoredFinding }) {
  const s = f.scope;
  const kind = s.repo ? 'repo' : s.image ? 'image' : 'cluster';
  const name = s.repo ?? s.image ?? s.cluster ?? '';
  return (
    <>
      <a href={href(['findings'], { [kind]: name })}>{targetLabel(f)}</a>
      {kind === 'cluster' && (
        <>
          {' '}
          (<a href={href(['inventory'])}>inventory</a>)
        </>
      )}
    </>
  );
}

/** Structured extras (image, vulnerability, audit) as key/value text. */
function Extra({ label, value }: { label: string; value: Record<string, unknown> | null | undefined }) {
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <dl class="inner">
          {Object.entries(value).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd class="mono small">{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
            </div>
          ))}
        </dl>
      </dd>
    </>
  );
}

/** Suppress (reason required, optional expiry) or re-open (optional reason); the server records who. */
function Suppression({ detail, onChange }: { detail: Detail; onChange: (d: Detail) => void }) {
  const f = detail.finding;
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const user = currentConfig().user;

  const act = async (action: () => Promise<Detail>, done: string) => {
    setBusy(true);
    setMessage(null);
    try {
      onChange(await action());
      setReason('');
      setExpires('');
      setMessage({ kind: 'ok', text: done });
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  const suppressed = f.status === 'suppressed';
  const closed = f.status === 'resolved' || f.status === 'superseded';
  return (
    <section aria-labelledby="suppression">
      <h2 id="suppression">{suppressed ? 'Suppressed' : f.status === 'superseded' ? 'Superseded' : closed ? 'Resolved' : 'Suppress'}</h2>
      {suppressed && (
        <p id="suppression-state">
          Suppressed by {f.suppressedBy ?? f.suppression?.source ?? 'unknown'}
          {f.suppressedUntil ? ` until ${f.suppressedUntil}` : ' with no expiry'}: {f.suppressedReason ?? f.suppression?.reason ?? 'no reason given'}
        </p>
      )}
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (suppressed || closed) void act(() => api.reopen(f.fingerprint, reason.trim() || undefined), 'Re-opened.');
          else void act(() => api.suppress(f.fingerprint, reason.trim(), expires || undefined), 'Suppressed.');
        }}
      >
        <label>
          Reason{suppressed || closed ? ' (optional)' : ''}
          <textarea name="reason" rows={2} required={!suppressed && !closed} maxLength={1000} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
        </label>
        {!suppressed && !closed && (
          <label>
            Expires (optional)
            <input name="expires" type="date" value={expires} onInput={(e) => setExpires((e.currentTarget as HTMLInputElement).value)} />
          </label>
        )}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {suppressed || closed ? 'Re-open' : 'Suppress'}
          </button>
          {user && <span class="muted small">Recorded as {user}.</span>}
        </div>
        <p role="status" aria-live="polite" class={message?.kind === 'error' ? 'error' : 'ok'}>
          {message?.text ?? ''}
        </p>
      </form>
    </section>
  );
}
