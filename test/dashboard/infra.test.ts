// The dashboard site construct in a small stack of its own (an HTTP API and a stand-in function),
// so it synthesizes in seconds; infra/shipwatch-stack.ts adds it with `-c dashboard=true`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { DashboardSite, dashboardSiteSettings, DASHBOARD_API_ROUTES } from '../../infra/constructs/dashboard-site.ts';
import { ensureDashboardBuild } from '../../shared/server/dashboard.ts';

// CloudFormation JSON is untyped; `any` below is read-only template data.
type Resource = { Type: string; Properties?: Record<string, any> };

let stack: Stack;
let site: DashboardSite;
let template: Template;
let resources: Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

beforeAll(async () => {
  const buildDir = await ensureDashboardBuild();
  const app = new App();
  stack = new Stack(app, 'Site', { env: { account: '123456789012', region: 'eu-west-1' } });
  site = new DashboardSite(stack, 'Dashboard', { domainPrefix: 'shipwatch-test', buildDir, ...standIns(stack) });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
}, 120_000);

/** The HTTP API and findings function the site hangs its routes on (stand-ins: the real ones are in ShipwatchStack). */
function standIns(scope: Stack) {
  const api = new apigw.HttpApi(scope, 'Api');
  const findingsApi = new lambda.Function(scope, 'FindingsApi', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
  return { api, findingsApi };
}

describe('dashboard site', () => {
  it('keeps the bucket private: all public access blocked, TLS only, readable by this distribution alone', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: Match.anyValue(),
    });
    const [[, policy]] = ofType('AWS::S3::BucketPolicy');
    const statements = policy.Properties!.PolicyDocument.Statement as any[];
    expect(statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    for (const s of statements.filter((x) => x.Effect === 'Allow')) {
      const principal = JSON.stringify(s.Principal);
      // Only CloudFront (for this distribution) and the CDK's deployment role read or write it; never everyone.
      expect(principal).not.toBe('"*"');
      if (principal.includes('cloudfront.amazonaws.com')) expect(JSON.stringify(s.Condition)).toContain(stack.resolve(site.distribution.distributionId).Ref);
    }
    expect(ofType('AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
  });

  it('serves the page over HTTPS with strict headers and the findings API under /api without caching', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/api/*',
            ViewerProtocolPolicy: 'https-only',
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // CachingDisabled
          }),
        ],
      }),
    });
    const [[, distribution]] = ofType('AWS::CloudFront::Distribution');
    expect(distribution.Properties!.DistributionConfig.CacheBehaviors[0].AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST']));
    const [[, headers]] = ofType('AWS::CloudFront::ResponseHeadersPolicy');
    const csp = headers.Properties!.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    expect(JSON.stringify(csp)).toContain("script-src 'self'");
    expect(JSON.stringify(csp)).not.toContain('unsafe');
    expect(JSON.stringify(csp)).toContain('.auth.eu-west-1.amazoncognito.com');
  });

  it('signs users in through a Cognito pool: invitation only, MFA required, code flow with PKCE back to the site', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14 }) },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'shipwatch-test' });
    const [[, client]] = ofType('AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({ AllowedOAuthFlows: ['code'], GenerateSecret: false, AllowedOAuthFlowsUserPoolClient: true });
    expect(JSON.stringify(client.Properties!.CallbackURLs)).toContain('DomainName');
  });

  it('adds the dashboard routes under /api, each needing a token of the pool', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(DASHBOARD_API_ROUTES.map(([m, p]) => `${m} ${p}`).sort());
    for (const r of routes) expect(r.AuthorizationType, r.RouteKey).toBe('JWT');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: Match.objectLike({ Audience: Match.anyValue() }) });
  });

  it('uploads the built page with the settings the page signs in with', () => {
    const [[, deployment]] = ofType('Custom::CDKBucketDeployment');
    // config.json is written at deploy time with the client id and sign-in domain of this stack.
    const markers = JSON.stringify(deployment.Properties!.SourceMarkers);
    expect(markers).toContain(stack.resolve(site.client.userPoolClientId).Ref);
    expect(markers).toContain(stack.resolve(site.domain.domainName).Ref);
    expect(deployment.Properties!.DistributionPaths).toEqual(['/index.html', '/config.json']);
  });

  it('passes cdk-nag (AwsSolutions) with every exception written down, with and without an environment', async () => {
    const agnostic = new Stack(new App(), 'Site');
    new DashboardSite(agnostic, 'Dashboard', { domainPrefix: 'shipwatch-test', buildDir: await ensureDashboardBuild(), ...standIns(agnostic) });
    for (const s of [stack, agnostic]) {
      const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(s);
      // The stand-in API and function of this test are not part of the site.
      const ours = report.violations
        .map((v) => ({ ...v, violatingResources: v.violatingResources.filter((r) => !/^Site\/(FindingsApi|Api)\//.test(r.constructPath ?? '')) }))
        .filter((v) => v.violatingResources.length > 0);
      expect(ours.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });
});

describe('cfn-lint', () => {
  it('passes on the site template', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipwatch-site-lint-'));
    const file = join(dir, 'Site.json');
    writeFileSync(file, JSON.stringify(template.toJSON(), null, 2));
    // W3005: the CDK adds an explicit DependsOn on a Lambda's role next to the GetAtt (its own functions: the bucket deployment, this test's stand-in).
    const result = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', file], { encoding: 'utf8', timeout: 120_000 });
    rmSync(dir, { recursive: true, force: true });
    if (result.error) throw new Error(`cfn-lint could not run: ${result.error.message}`);
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }, 150_000);
});

describe('dashboard site settings (CDK context)', () => {
  const settings = (context: Record<string, string>) => dashboardSiteSettings(new App({ context }).node);
  it('is off unless asked for, and needs a valid sign-in domain prefix', () => {
    expect(settings({})).toBeNull();
    expect(settings({ dashboard: 'false' })).toBeNull();
    expect(settings({ dashboard: 'true', dashboardDomainPrefix: 'acme-shipwatch' })).toEqual({ domainPrefix: 'acme-shipwatch' });
    expect(() => settings({ dashboard: 'yes' })).toThrow(/context "dashboard" must be true or false/);
    expect(() => settings({ dashboard: 'true' })).toThrow(/context "dashboardDomainPrefix"/);
    expect(() => settings({ dashboard: 'true', dashboardDomainPrefix: 'my-aws-site' })).toThrow(/without aws, amazon or cognito/);
    expect(() => settings({ dashboard: 'true', dashboardDomainPrefix: 'Upper' })).toThrow(/lower-case/);
  });

  it('refuses to synthesize without a dashboard build', () => {
    const s = new Stack(new App(), 'Empty');
    expect(() => new DashboardSite(s, 'D', { domainPrefix: 'x', buildDir: '/nonexistent', ...standIns(s) })).toThrow(/run `npm run build:dashboard`/);
  });
});
