import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { Loaded, useAsync } from '../components/async.tsx';
import { SeverityBadge, StatusBadge } from '../components/severity.tsx';
import { ScrollTable } from '../components/table.tsx';
import { locationLabel, SEVERITIES, SOURCE_LABELS, SOURCES, STATUSES, targetLabel, when } from '../format.ts';
import { href, navigate } from '../route.ts';

/** The filters the table offers, as they appear in the URL and in the API query. */
export const FILTERS = ['source', 'severity', 'status', 'repo', 'image', 'cluster', 'rule', 'q'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const PAGE_SIZE = 50;

/**
 * The findings table: filters and search run on the server, a page at a time (cursor pagination);
 * the filters live in the URL, so a filtered view is a link.
 */
export function Findings({ query }: { query: Record<string, string> }) {
  const filters: Filters = Object.fromEntries(FILTERS.filter((k) => query[k]).map((k) => [k, query[k]]));
  // Cursors of the pages before the current one, so "Previous" can go back.
  const cursors = query.cursors ? query.cursors.split(',') : [];
  const cursor = cursors.at(-1);
  const [page] = useAsync(() => api.findings({ ...filters, limit: PAGE_SIZE, cursor }), JSON.stringify([filters, cursor]));

  const go = (next: Filters, pageCursors: string[] = []) => navigate(['findings'], { ...next, cursors: pageCursors.join(',') || undefined });

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Findings
      </h1>
      <FilterForm key={JSON.stringify(filters)} filters={filters} onApply={(next) => go(next)} />
      <Loaded result={page} what="findings">
        {(p) => (
          <>
            <p class="muted" role="status" id="result-count">
              {p.findings.length === 0 ? 'No findings match.' : `Showing ${cursors.length * PAGE_SIZE + 1}–${cursors.length * PAGE_SIZE + p.findings.length}${p.cursor ? ' (more on the next page)' : ''}.`}
            </p>
            {p.findings.length > 0 && (
              <ScrollTable label="Findings">
                <thead>
                  <tr>
                    <th scope="col">Severity</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Finding</th>
                    <th scope="col">Target</th>
                    <th scope="col">Where</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody id="findings-rows">
                  {p.findings.map((f) => (
                    <tr key={f.fingerprint} data-fingerprint={f.fingerprint}>
                      <td>
                        <SeverityBadge severity={f.severity} />
                      </td>
                      <td class="nowrap">{f.ruleId}</td>
                      <td>
                        <a href={href(['findings', f.fingerprint])}>{f.title}</a>
                        <div class="muted small">{f.message}</div>
                      </td>
                      <td>{targetLabel(f)}</td>
                      <td class="small">{locationLabel(f)}</td>
                      <td class="nowrap small">{when(f.lastSeen)}</td>
                      <td>
                        <StatusBadge status={f.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            )}
            <nav class="pager" aria-label="Pages">
              <button type="button" disabled={cursors.length === 0} onClick={() => go(filters, cursors.slice(0, -1))}>
                Previous page
              </button>
              <button type="button" disabled={!p.cursor} onClick={() => p.cursor && go(filters, [...cursors, p.cursor])}>
                Next page
              </button>
            </nav>
          </>
        )}
      </Loaded>
    </section>
  );
}

function FilterForm({ filters, onApply }: { filters: Filters; onApply: (filters: Filters) => void }) {
  const [draft, setDraft] = useState<Filters>(filters);
  const set = (key: keyof Filters) => (e: Event) => setDraft({ ...draft, [key]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const select = (key: 'source' | 'severity' | 'status', label: string, options: readonly string[], labels: Record<string, string> = {}) => (
    <label>
      {label}
      <select name={key} value={draft[key] ?? ''} onChange={set(key)}>
        <option value="">{key === 'status' ? 'open' : 'any'}</option>
        {options.filter((o) => key !== 'status' || o !== 'open').map((o) => (
          <option value={o} key={o}>
            {labels[o] ?? o}
          </option>
        ))}
      </select>
    </label>
  );
  const text = (key: 'repo' | 'image' | 'cluster' | 'rule' | 'q', label: string, placeholder: string) => (
    <label>
      {label}
      {key === 'q' ? (
        <input name={key} type="search" value={draft[key] ?? ''} placeholder={placeholder} onInput={set(key)} autocomplete="off" spellcheck={false} />
      ) : (
        <input name={key} type="text" value={draft[key] ?? ''} placeholder={placeholder} onInput={set(key)} autocomplete="off" spellcheck={false} />
      )}
    </label>
  );
  return (
    <form
      class="filters"
      role="search"
      aria-label="Filter findings"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(Object.fromEntries(Object.entries(draft).filter(([, v]) => v && v.trim() !== '').map(([k, v]) => [k, v!.trim()])));
      }}
    >
      {text('q', 'Search', 'words in title, message, file…')}
      {select('source', 'Source', SOURCES, SOURCE_LABELS)}
      {select('severity', 'Severity', SEVERITIES)}
      {select('status', 'Status', STATUSES)}
      {text('repo', 'Repository', 'github:owner/repo')}
      {text('image', 'Image', 'registry/repository')}
      {text('cluster', 'Cluster', 'cluster name')}
      {text('rule', 'Rule', 'K8S-001')}
      <div class="actions">
        <button type="submit">Apply filters</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
