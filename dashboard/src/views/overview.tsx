import { api, type FindingStats } from '../api.ts';
import { Loaded, useAsync } from '../components/async.tsx';
import { OpenedResolvedChart } from '../components/chart.tsx';
import { SeverityBadge } from '../components/severity.tsx';
import { ScrollTable } from '../components/table.tsx';
import { capitalize, SEVERITIES, SOURCE_LABELS, SOURCES } from '../format.ts';
import { href } from '../route.ts';

type TargetKind = keyof FindingStats['riskiest'];
const TARGET_TITLES: Record<TargetKind, string> = { repo: 'Riskiest repositories', image: 'Riskiest images', cluster: 'Riskiest clusters' };

/** Open findings by severity and source, new vs resolved per day, the top rules and the riskiest targets. */
export function Overview() {
  const [stats] = useAsync(() => api.stats({ days: 30 }), 'stats');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Overview
      </h1>
      <Loaded result={stats} what="the overview">
        {(s) => (
          <>
            {s.truncated && <p class="warning">These figures cover part of the findings: the store holds more than one overview reads.</p>}
            <div class="cards" id="open-by-severity">
              <a class="card total" href={href(['findings'])}>
                <span class="count" data-count="total">{s.open.total}</span>
                <span class="label">open findings</span>
              </a>
              {SEVERITIES.map((sev) => (
                <a class={`card sev-${sev}`} href={href(['findings'], { severity: sev })} key={sev}>
                  <span class="count" data-count={sev}>
                    {s.open.bySeverity[sev]}
                  </span>
                  <span class="label">{sev}</span>
                </a>
              ))}
            </div>
            <div class="grid-2">
              <section aria-labelledby="by-source">
                <h2 id="by-source">Open by source</h2>
                <ul class="bars" id="open-by-source">
                  {SOURCES.map((src) => {
                    const n = s.open.bySource[src] ?? 0;
                    return (
                      <li key={src}>
                        <a href={href(['findings'], { source: src })}>{SOURCE_LABELS[src]}</a>
                        <span class="bar" style={{ width: `${n && s.open.total ? Math.max(2, (n / s.open.total) * 100) : 0}%` }} aria-hidden="true" />
                        <span class="n" data-source={src}>
                          {n}
                        </span>
                      </li>
                    );
                  })}
                </ul>
                <p class="muted">
                  {s.byStatus.suppressed} suppressed, {s.byStatus.resolved} resolved, {s.byStatus.superseded ?? 0} superseded.
                </p>
              </section>
              <section aria-labelledby="trend">
                <h2 id="trend">New vs resolved</h2>
                <OpenedResolvedChart series={s.series} />
              </section>
            </div>
            <section aria-labelledby="top-rules">
              <h2 id="top-rules">Top rules</h2>
              {s.topRules.length === 0 ? (
                <p class="muted">No open findings.</p>
              ) : (
                <ScrollTable label="Rules with the most open findings">
                  <thead>
                    <tr>
                      <th scope="col">Rule</th>
                      <th scope="col">Title</th>
                      <th scope="col">Severity</th>
                      <th scope="col" class="num">
                        Open
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.topRules.map((r) => (
                      <tr key={r.ruleId}>
                        <td class="nowrap">
                          <a href={href(['findings'], { rule: r.ruleId })}>{r.ruleId}</a>
                        </td>
                        <td>{r.title}</td>
                        <td>
                          <SeverityBadge severity={r.severity} />
                        </td>
                        <td class="num">{r.open}</td>
                      </tr>
                    ))}
                  </tbody>
                </ScrollTable>
              )}
            </section>
            <div class="grid-3">
              {(Object.keys(TARGET_TITLES) as TargetKind[]).map((kind) => (
                <section aria-labelledby={`riskiest-${kind}`} key={kind}>
                  <h2 id={`riskiest-${kind}`}>{TARGET_TITLES[kind]}</h2>
                  {s.riskiest[kind].length === 0 ? (
                    <p class="muted">None with open findings.</p>
                  ) : (
                    <ol class="riskiest">
                      {s.riskiest[kind].map((t) => (
                        <li key={t.name}>
                          <a href={href(['findings'], { [kind]: t.name })}>{t.name}</a>
                          <span class="muted">
                            {' '}
                            score {t.score}:{' '}
                            {SEVERITIES.filter((sev) => t.open[sev] > 0)
                              .map((sev) => `${t.open[sev]} ${sev}`)
                              .join(', ')}
                          </span>
                        </li>
                      ))}
                    </ol>
                  )}
                </section>
              ))}
            </div>
            <p class="muted">Figures as of {capitalize(new Date(s.generatedAt).toUTCString())}.</p>
          </>
        )}
      </Loaded>
    </section>
  );
}
