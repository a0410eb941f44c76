import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';
import rule, { DEFAULT_TARGET_VERSION, REMOVED_APIS } from '../../../shared/iac/k8s/rules/k8s-066-removed-api-version.ts';

const object = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n`;
const at = (kubernetesVersion: string) => ({ config: { kubernetesVersion } });

describe('K8S-066 removed or deprecated API version', () => {
  it('fires on an extensions/v1beta1 Deployment, on the apiVersion line, naming the replacement and removal version', () => {
    const yaml = `kind: Deployment\nmetadata:\n  name: web\napiVersion: extensions/v1beta1\nspec: {}\n`;
    const [f, ...rest] = findingsFor('K8S-066', yaml);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('low');
    expect(f.message).toBe('extensions/v1beta1 Deployment was removed in Kubernetes 1.16: use apps/v1');
    expect(f.location?.line).toBe(4);
  });

  it('knows every API the catalog names', () => {
    const named: [string, string][] = [
      ['extensions/v1beta1', 'Deployment'],
      ['extensions/v1beta1', 'DaemonSet'],
      ['extensions/v1beta1', 'ReplicaSet'],
      ['extensions/v1beta1', 'Ingress'],
      ['extensions/v1beta1', 'NetworkPolicy'],
      ['extensions/v1beta1', 'PodSecurityPolicy'],
      ['apps/v1beta1', 'Deployment'],
      ['apps/v1beta2', 'DaemonSet'],
      ['batch/v1beta1', 'CronJob'],
      ['policy/v1beta1', 'PodDisruptionBudget'],
      ['policy/v1beta1', 'PodSecurityPolicy'],
      ['networking.k8s.io/v1beta1', 'Ingress'],
      ['networking.k8s.io/v1beta1', 'IngressClass'],
      ['autoscaling/v2beta1', 'HorizontalPodAutoscaler'],
      ['autoscaling/v2beta2', 'HorizontalPodAutoscaler'],
      ['rbac.authorization.k8s.io/v1beta1', 'ClusterRoleBinding'],
      ['admissionregistration.k8s.io/v1beta1', 'MutatingWebhookConfiguration'],
      ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition'],
      ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema'],
      ['flowcontrol.apiserver.k8s.io/v1beta2', 'PriorityLevelConfiguration'],
      ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema'],
    ];
    for (const [apiVersion, kind] of named) {
      expect(findingsFor('K8S-066', object(apiVersion, kind)), `${apiVersion} ${kind}`).toHaveLength(1);
    }
  });

  it('fires from the removal version on, and not before', () => {
    for (const api of REMOVED_APIS) {
      const [major, minor] = api.removedIn.split('.').map(Number);
      const yaml = object(api.apiVersion, api.kinds[0]);
      expect(findingsFor('K8S-066', yaml, at(api.removedIn)), `${api.apiVersion} at ${api.removedIn}`).toHaveLength(1);
      expect(findingsFor('K8S-066', yaml, at(`${major}.${minor + 5}`))).toHaveLength(1);
      expect(findingsFor('K8S-066', yaml, at(`${major}.${minor - 1}`)), `${api.apiVersion} before ${api.removedIn}`).toEqual([]);
    }
  });

  it('compares versions numerically (1.9 is before 1.16)', () => {
    const yaml = object('extensions/v1beta1', 'DaemonSet');
    expect(findingsFor('K8S-066', yaml, at('1.9'))).toEqual([]);
    expect(findingsFor('K8S-066', yaml, at('1.16'))[0].message).toBe('extensions/v1beta1 DaemonSet was removed in Kubernetes 1.16: use apps/v1');
  });

  it('uses the newest known removal as target when none is configured, and says so in its description', () => {
    expect(DEFAULT_TARGET_VERSION).toBe('1.32');
    expect(rule.description).toContain('1.32');
    const yaml = object('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema');
    expect(findingsFor('K8S-066', yaml)[0].message).toBe(
      'flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32: use flowcontrol.apiserver.k8s.io/v1',
    );
    expect(findingsFor('K8S-066', yaml, at('1.31'))).toEqual([]);
  });

  it('names the replacement of removed beta APIs', () => {
    expect(findingsFor('K8S-066', object('batch/v1beta1', 'CronJob'))[0].message).toBe('batch/v1beta1 CronJob was removed in Kubernetes 1.25: use batch/v1');
    expect(findingsFor('K8S-066', object('autoscaling/v2beta2', 'HorizontalPodAutoscaler'))[0].message).toBe(
      'autoscaling/v2beta2 HorizontalPodAutoscaler was removed in Kubernetes 1.26: use autoscaling/v2',
    );
    expect(findingsFor('K8S-066', object('networking.k8s.io/v1beta1', 'Ingress'))[0].message).toBe(
      'networking.k8s.io/v1beta1 Ingress was removed in Kubernetes 1.22: use networking.k8s.io/v1',
    );
    expect(findingsFor('K8S-066', object('policy/v1beta1', 'PodSecurityPolicy'))[0].message).toContain('Pod Security Admission');
  });

  it('reports each item of a List', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1beta1\n  kind: CronJob\n  metadata: {name: a}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: b}\n- apiVersion: policy/v1beta1\n  kind: PodDisruptionBudget\n  metadata: {name: c}\n`;
    expect(findingsFor('K8S-066', list).map((f) => f.location?.line)).toEqual([4, 10]);
  });

  it('passes for served API versions and for kinds that a removed group version never carried', () => {
    for (const [apiVersion, kind] of [
      ['apps/v1', 'Deployment'],
      ['networking.k8s.io/v1', 'Ingress'],
      ['policy/v1', 'PodDisruptionBudget'],
      ['batch/v1', 'CronJob'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema'],
      // Added to v1beta1 long after the webhook configurations left it.
      ['admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicy'],
      ['example.com/v1beta1', 'Deployment'],
    ]) {
      expect(findingsFor('K8S-066', object(apiVersion, kind), at('1.35'))).toEqual([]);
    }
  });
});
