// A Deployment with a privileged container and a privileged sidecar suppressed by a comment:
// the formats render both a finding and a suppression from it.
export const PRIVILEGED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    spec:
      containers:
      - name: main
        image: nginx:1.27
        securityContext:
          privileged: true
      - name: sidecar
        image: envoy:1.30
        # shipwatch:skip=K8S-001 proxy needs iptables
        securityContext: {privileged: true}
`;
