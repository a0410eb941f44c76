import { api, type ComplianceControl, type ControlFinding, type ControlStatus } from '../api.ts';
import { Loaded, useAsync } from '../components/async.tsx';
import { SeverityBadge, StatusBadge } from '../components/severity.tsx';
import { ScrollTable } from '../components/table.tsx';
import { STATUS_LABELS, when } from '../format.ts';
import { href, navigate } from '../route.ts';

const STATUSES: ControlStatus[] = ['fail', 'accepted', 'pass', 'not-assessed'];
const SCOPES = ['all', 'repo', 'image', 'cluster'] as const;

function ScopePicker({ scope, path }: { scope: string; path: string[] }) {
  return (
    <label class="inline">
      Scope{' '}
      <select name="scope" value={scope} onChange={(e) => navigate(path, { scope: (e.currentTarget as HTMLSelectElement).value })}>
        {SCOPES.map((s) => (
          <option value={s} key={s}>
            {s === 'all' ? 'everything' : s === 'repo' ? 'repositories' : `${s}s`}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Every framework's posture over the stored findings: controls per status. */
export function ComplianceOverview({ query }: { query: Record<string, string> }) {
  const scope = query.scope ?? 'all';
  const [summaries] = useAsync(() => api.complianceSummaries({ scope }), scope);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Compliance
      </h1>
      <ScopePicker scope={scope} path={['compliance']} />
      <Loaded result={summaries} what="compliance posture">
        {(s) => (
          <ScrollTable label="Controls per status and framework">
            <thead>
              <tr>
                <th scope="col">Framework</th>
                {STATUSES.map((st) => (
                  <th scope="col" class="num" key={st}>
                    {STATUS_LABELS[st]}
                  </th>
                ))}
                <th scope="col">Posture</th>
              </tr>
            </thead>
            <tbody>
              {s.frameworks.map((fw) => {
                const total = STATUSES.reduce((n, st) => n + fw.summary[st], 0);
                return (
                  <tr key={fw.id} data-framework={fw.id}>
                    <th scope="row">
                      <a href={href(['compliance', fw.id], { scope })}>{fw.name}</a> <span class="muted small">{fw.version}</span>
                    </th>
                    {STATUSES.map((st) => (
                      <td class="num" key={st} data-status={st}>
                        {fw.summary[st]}
                      </td>
                    ))}
                    <td>
                      <span class="stack-bar" aria-hidden="true">
                        {STATUSES.map((st) => (
                          <span key={st} class={`seg status-${st}`} style={{ width: `${total ? (fw.summary[st] / total) * 100 : 0}%` }} />
                        ))}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </ScrollTable>
        )}
      </Loaded>
    </section>
  );
}

/** One framework: its controls, each with the findings behind a fail and the accepted risks. */
export function ComplianceFramework({ framework, query }: { framework: string; query: Record<string, string> }) {
  const scope = query.scope ?? 'all';
  const [report] = useAsync(() => api.compliance(framework, { scope, limit: 20 }), `${framework} ${scope}`);
  return (
    <section aria-labelledby="page-title">
      <p>
        <a href={href(['compliance'], { scope })}>← All frameworks</a>
      </p>
      <Loaded result={report} what="the compliance report">
        {(r) => (
          <>
            <h1 id="page-title" tabIndex={-1}>
              {r.framework.name} <span class="muted">{r.framework.version}</span>
            </h1>
            <ScopePicker scope={scope} path={['compliance', framework]} />
            <p class="muted">
              Mapping {r.framework.mappingVersion}. {STATUSES.map((st) => `${r.summary[st]} ${STATUS_LABELS[st].toLowerCase()}`).join(', ')}.
              {r.truncated && ' Based on part of the findings: the store holds more than one report reads.'}
            </p>
            <ul class="controls" id="controls">
              {r.controls.map((c) => (
                <Control control={c} key={c.id} />
              ))}
            </ul>
          </>
        )}
      </Loaded>
    </section>
  );
}

function Control({ control: c }: { control: ComplianceControl }) {
  return (
    <li class={`control status-${c.status}`} data-control={c.id}>
      <details>
        <summary>
          <StatusBadge status={c.status} label={STATUS_LABELS[c.status]} /> <span class="mono">{c.id}</span> {c.title}{' '}
          <span class="muted small">
            ({c.automation}
            {c.findingCount + c.acceptedCount > 0 ? `, ${c.findingCount} failing, ${c.acceptedCount} accepted` : ''})
          </span>
        </summary>
        <div class="control-body">
          {c.reason && <p>Not assessed: {c.reason}.</p>}
          {c.rules.length > 0 && (
            <p>
              Evaluated by{' '}
              {c.rules.map((rule, i) => (
                <span key={rule}>
                  {i > 0 && ', '}
                  <a href={href(['findings'], { rule })}>{rule}</a>
                </span>
              ))}
              {c.evidenceAt && <>; evidence from {when(c.evidenceAt)}</>}.
            </p>
          )}
          {c.findings.length > 0 && <ControlFindings title={`Failing findings (${c.findingCount})`} findings={c.findings} shown={c.findingCount} />}
          {c.accepted.length > 0 && <ControlFindings title={`Accepted risks (${c.acceptedCount})`} findings={c.accepted} shown={c.acceptedCount} accepted />}
        </div>
      </details>
    </li>
  );
}

function ControlFindings({ title, findings, shown, accepted }: { title: string; findings: ControlFinding[]; shown: number; accepted?: boolean }) {
  return (
    <>
      <h3>{title}</h3>
      <ul class="plain">
        {findings.map((f) => (
          <li key={f.fingerprint}>
            <SeverityBadge severity={f.severity} /> <a href={href(['findings', f.fingerprint])}>{f.title}</a> <span class="muted small">{f.message}</span>
            {accepted && f.suppression && (
              <div class="small">
                Accepted ({f.suppression.source}
                {'suppressedBy' in f && f.suppressedBy ? ` by ${f.suppressedBy}` : ''}
                {f.suppression.expires ? ` until ${f.suppression.expires}` : ''}): {f.suppression.reason ?? 'no reason given'}
              </div>
            )}
          </li>
        ))}
      </ul>
      {shown > findings.length && <p class="muted small">…and {shown - findings.length} more; follow a rule above for all of them.</p>}
    </>
  );
}
