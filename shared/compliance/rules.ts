// Every rule family a compliance report maps: a report resolves its controls against the registry,
// so each engine's rule index is loaded here (a new engine adds its index to this list).
import '../iac/k8s/rules/all.ts';
import '../iac/docker/rules/all.ts';
import '../secrets/patterns/all.ts';
import '../audit/detections/all.ts';
import '../image/checks/rules/all.ts';
import '../iac/cloud/rules/all.ts';
