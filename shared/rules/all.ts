// Every rule, check and detection of every engine, for the commands that list them all
// (`shipwatch rules`, the README, compliance reports).
import '../iac/k8s/rules/all.ts';
import '../iac/docker/rules/all.ts';
import '../iac/cloud/rules/all.ts';
import '../secrets/patterns/all.ts';
import '../image/checks/rules/all.ts';
import '../audit/detections/all.ts';
import '../audit/baseline/detections.ts';
