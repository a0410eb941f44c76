import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type Node } from 'constructs';
import { FINDINGS_ROUTES } from './http-api.ts';

/** Where `npm run build:dashboard` (or `shipwatch serve`) leaves the bundle the site serves. */
export const DASHBOARD_BUILD = join(import.meta.dirname, '..', '..', 'dist', 'dashboard');

export interface DashboardSiteSettings {
  /** Prefix of the Cognito hosted UI domain (`<prefix>.auth.<region>.amazoncognito.com`), unique in the region. */
  domainPrefix: string;
  /** Folder of the built dashboard (default dist/dashboard). */
  buildDir?: string;
}

/**
 * The dashboard site settings from CDK context: `-c dashboard=true -c dashboardDomainPrefix=<prefix>`.
 * Off unless asked for; a missing or malformed prefix stops the synth with a message that names it.
 */
export function dashboardSiteSettings(node: Node): DashboardSiteSettings | null {
  const enabled = String(node.tryGetContext('dashboard') ?? '').trim();
  if (enabled === '' || enabled === 'false') return null;
  if (enabled !== 'true') throw new Error(`context "dashboard" must be true or false, got "${enabled}"`);
  const prefix = String(node.tryGetContext('dashboardDomainPrefix') ?? '').trim();
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
    throw new Error(`context "dashboardDomainPrefix" must be lower-case letters, digits and dashes without aws, amazon or cognito (the hosted sign-in domain), got "${prefix}"`);
  }
  return { domainPrefix: prefix };
}

export interface DashboardSiteProps extends DashboardSiteSettings {
  /** The HTTP API the findings routes live on; the site adds Cognito-authorised copies under /api. */
  api: apigw.HttpApi;
  findingsApi: lambda.IFunction;
}

/** The findings API routes the dashboard calls, under /api on the site's own origin. */
export const DASHBOARD_API_ROUTES: [apigw.HttpMethod, string][] = FINDINGS_ROUTES.map(([method, path]) => [method, `/api${path}`]);

/**
 * The dashboard as a static site: a private S3 bucket read by CloudFront through origin access
 * control, the findings API behind the same distribution under /api (one origin, no CORS), and
 * sign-in through a Cognito user pool's hosted UI. Nothing is public: the bucket is never readable
 * directly, and every /api route needs a token of the pool (the findings-api records its user).
 */
export class DashboardSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);
    const buildDir = props.buildDir ?? DASHBOARD_BUILD;
    if (!existsSync(join(buildDir, 'index.html'))) throw new Error(`no dashboard build in ${buildDir}: run \`npm run build:dashboard\` before the synth`);
    const stack = Stack.of(this);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // The bundle is rebuilt from the sources at every deploy; nothing in it needs keeping.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The bucket holds the built page and its scripts only, read by CloudFront alone; the data the page shows goes through the findings API, whose access log records every call.',
    });

    this.userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 14, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge(
      { id: 'AwsSolutions-COG3', reason: 'Threat protection needs the Plus feature plan (a per-user charge); operators opt in. Users exist only by invitation and MFA is required.' },
      { id: 'AwsSolutions-COG8', reason: 'The Plus feature plan is a per-user charge; the Essentials plan covers the hosted sign-in with required MFA. Operators opt in where policy asks for threat protection.' },
    );
    this.domain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: props.domainPrefix } });

    const apiOrigin = new origins.HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY });
    const signInOrigin = this.domain.baseUrl();
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            // The page exchanges the sign-in code for tokens at the hosted UI's token endpoint.
            `connect-src 'self' ${signInOrigin}`,
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
          ].join('; '),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'Shipwatch dashboard',
      defaultRootObject: 'index.html',
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        compress: true,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Every viewer header but Host, so the bearer token reaches API Gateway.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'Who may use the dashboard is decided by sign-in, not by country.' },
      { id: 'AwsSolutions-CFR2', reason: 'No WAF by default (a monthly charge): static files plus an API that refuses requests without a Cognito token. Attach a web ACL to the distribution where policy asks for one.' },
      { id: 'AwsSolutions-CFR3', reason: 'The data behind the page is only reachable through the findings API, whose access log records every call; the static files need no separate log.' },
      { id: 'AwsSolutions-CFR4', reason: 'The default CloudFront certificate cannot pin the viewer TLS policy; TLSv1.2_2021 applies as soon as a custom domain and certificate are attached.' },
    );

    const siteUrl = `https://${this.distribution.distributionDomainName}/`;
    this.client = this.userPool.addClient('Dashboard', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [siteUrl],
        logoutUrls: [siteUrl],
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
    });

    // The findings routes again under /api, for tokens of this pool's dashboard client.
    const authorizer = new HttpUserPoolAuthorizer('DashboardUsers', this.userPool, { userPoolClients: [this.client] });
    const integration = new HttpLambdaIntegration('DashboardFindingsApi', props.findingsApi);
    for (const [method, path] of DASHBOARD_API_ROUTES) props.api.addRoutes({ path, methods: [method], integration, authorizer });

    const build = new s3assets.Asset(this, 'Build', { path: buildDir, exclude: ['build-info.json', 'config.json'] });
    new s3deploy.BucketDeployment(this, 'Files', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.bucket(build.bucket, build.s3ObjectKey),
        s3deploy.Source.jsonData('config.json', { apiBase: '/api', auth: { region: stack.region, userPoolClientId: this.client.userPoolClientId, domain: signInOrigin }, user: null }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 256,
    });
    this.acknowledgeDeploymentHandler(stack, build.bucket.bucketName);

    new CfnOutput(this, 'Url', { value: siteUrl, description: 'Dashboard (sign in with a user of the DashboardUserPool)' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Add dashboard users with: aws cognito-idp admin-create-user --user-pool-id <this> --username <email>' });
  }

  /**
   * The CDK's own bucket-deployment function (one per stack) has cdk-nag findings of its own; each
   * is acknowledged by its exact id, so a new kind of finding there still fails the synth.
   */
  private acknowledgeDeploymentHandler(stack: Stack, assetBucketName: string): void {
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) return;
    // cdk-nag names CloudFormation references <Logical.Attribute> and pseudo parameters <AWS::Name>.
    const resolved: unknown = stack.resolve(assetBucketName);
    const sub = (resolved as { 'Fn::Sub'?: unknown } | null)?.['Fn::Sub'];
    const assets = typeof resolved === 'string' ? resolved : typeof sub === 'string' ? sub.replace(/\$\{(AWS::\w+)\}/g, '<$1>') : null;
    const siteBucket = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const copies = 'It copies the built files from the CDK asset bucket into the site bucket (object wildcards on both) and invalidates the distribution (CloudFront invalidations have no resource-level permissions).';
    Validations.of(handler).acknowledge(
      { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'The CDK bucket-deployment function logs with the basic execution role; it runs only while deploying.' },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: copies })),
      { id: `AwsSolutions-IAM5[Resource::<${siteBucket}.Arn>/*]`, reason: copies },
      ...(assets ? [{ id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${assets}/*]`, reason: copies }] : []),
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: copies },
      { id: 'AwsSolutions-L1', reason: 'The CDK picks the bucket-deployment runtime; it moves with aws-cdk-lib upgrades.' },
    );
  }
}
