// The cluster inventory: every EKS cluster the posture scan saw, whether it is connected to
// Shipwatch's audit sink, and when it was last seen. One port, a DynamoDB and a local adapter.
import type { SeveritySummary } from '../findings/finding.ts';

export interface ClusterInventoryItem {
  account: string;
  region: string;
  name: string;
  arn: string;
  version: string | null;
  platformVersion: string | null;
  status: string | null;
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  /** The CIDRs allowed to the public endpoint (EKS reports 0.0.0.0/0 when none were given). */
  publicAccessCidrs: string[];
  /** Enabled control-plane log types. */
  logging: string[];
  /** The `audit` log type is on. */
  auditLogEnabled: boolean;
  /** A subscription filter on `/aws/eks/<name>/cluster` delivers to the audit sink. */
  auditSinkSubscribed: boolean;
  /** Audit logging on and delivered to the audit sink: Shipwatch sees this cluster's audit events. */
  connected: boolean;
  nodegroups: number;
  /** Open posture findings on the cluster (and its node groups) from the scan that saw it. */
  findings: SeveritySummary;
  lastSeen: string;
}

export interface InventoryFilter {
  account?: string;
  region?: string;
  connected?: boolean;
}

export interface InventoryStore {
  /** Replaces what is known about one account and region: these clusters are upserted, the others removed. */
  replaceRegion(account: string, region: string, clusters: ClusterInventoryItem[]): Promise<void>;
  /** Clusters ordered by account, region and name. */
  list(filter?: InventoryFilter): Promise<ClusterInventoryItem[]>;
}

/** Sort key of an inventory item: `<account>#<region>#<name>`. */
export const inventoryKey = (account: string, region: string, name: string) => `${account}#${region}#${name}`;

export function matchesInventoryFilter(item: ClusterInventoryItem, filter: InventoryFilter): boolean {
  return (
    (filter.account === undefined || item.account === filter.account) &&
    (filter.region === undefined || item.region === filter.region) &&
    (filter.connected === undefined || item.connected === filter.connected)
  );
}
