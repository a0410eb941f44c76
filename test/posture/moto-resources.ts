// Setting up what moto cannot be asked for with the SDK clients the project ships: an IAM role and
// a Lambda function (the audit sink a log subscription delivers to). moto dispatches on the
// service named in the Authorization header and does not check the signature.
import { writeZip } from '../support/zip.ts';

const authorization = (service: string, region: string) => `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;

export async function createAuditSinkFunction(endpoint: string, region: string, name: string): Promise<string> {
  const role = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { authorization: authorization('iam', region), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Action: 'CreateRole', Version: '2010-05-08', RoleName: `${name}-role`, AssumeRolePolicyDocument: '{"Statement":[]}' }),
  });
  if (!role.ok) throw new Error(`CreateRole: ${role.status} ${await role.text()}`);
  const fn = await fetch(`${endpoint}/2015-03-31/functions`, {
    method: 'POST',
    headers: { authorization: authorization('lambda', region), 'content-type': 'application/json' },
    body: JSON.stringify({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: `arn:aws:iam::123456789012:role/${name}-role`,
      Handler: 'index.handler',
      Code: { ZipFile: writeZip([{ name: 'index.js', content: 'exports.handler = async () => {};' }]).toString('base64') },
    }),
  });
  if (!fn.ok) throw new Error(`CreateFunction: ${fn.status} ${await fn.text()}`);
  return ((await fn.json()) as { FunctionArn: string }).FunctionArn;
}
