import { api, type InventoryBody } from '../api.ts';
import { Loaded, useAsync } from '../components/async.tsx';
import { ScrollTable } from '../components/table.tsx';
import { SEVERITIES, when } from '../format.ts';
import { href } from '../route.ts';

/** The cluster inventory of the posture scan; clusters whose audit logs do not reach Shipwatch stand out. */
export function Inventory() {
  const [inventory] = useAsync(() => api.inventory(), 'inventory');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Cluster inventory
      </h1>
      {inventory.state === 'error' && inventory.status === 404 ? (
        <p class="muted">This server keeps no cluster inventory: the posture scan is not configured.</p>
      ) : (
        <Loaded result={inventory} what="the inventory">
          {(body) => <Clusters body={body} />}
        </Loaded>
      )}
    </section>
  );
}

function Clusters({ body }: { body: InventoryBody }) {
  if (body.clusters.length === 0) return <p class="muted">No clusters recorded yet: the posture scan has not run, or sees none.</p>;
  // Not connected first: those are the ones to act on.
  const clusters = [...body.clusters].sort((a, b) => Number(a.connected) - Number(b.connected));
  const { notConnected } = body.summary;
  return (
    <>
      <p role="status" class={notConnected ? 'warning' : 'muted'} id="inventory-summary">
        {notConnected
          ? `${notConnected} of ${body.summary.clusters} clusters are not connected to Shipwatch: their audit logs do not reach it, so nothing watches them.`
          : `All ${body.summary.clusters} clusters are connected.`}
      </p>
      <ScrollTable label="Clusters">
        <thead>
          <tr>
            <th scope="col">Cluster</th>
            <th scope="col">Account / region</th>
            <th scope="col">Version</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Control-plane logs</th>
            <th scope="col">Audit sink</th>
            <th scope="col">Open findings</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody id="clusters">
          {clusters.map((c) => (
            <tr key={c.arn} class={c.connected ? '' : 'not-connected'} data-connected={String(c.connected)}>
              <th scope="row">
                <a href={href(['findings'], { cluster: c.name })}>{c.name}</a>
              </th>
              <td>
                {c.account} / {c.region}
              </td>
              <td>{c.version ?? '–'}</td>
              <td>
                {c.endpointPublicAccess ? `public (${c.publicAccessCidrs.join(', ') || 'any'})` : 'private only'}
                {c.endpointPublicAccess && c.endpointPrivateAccess ? ' + private' : ''}
              </td>
              <td>{c.logging.length ? c.logging.join(', ') : 'none'}</td>
              <td>{c.connected ? 'connected' : <strong class="error">{c.auditLogEnabled ? 'not subscribed' : 'audit log off'}</strong>}</td>
              <td class="small">
                {SEVERITIES.filter((s) => c.findings[s] > 0)
                  .map((s) => `${c.findings[s]} ${s}`)
                  .join(', ') || 'none'}
              </td>
              <td class="nowrap small">{when(c.lastSeen)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </>
  );
}
